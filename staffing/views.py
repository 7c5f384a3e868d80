from flask import Blueprint, render_template
from flask_login import current_user

from workshop.models import Role
from workshop.security import role_required

from . import services
from .labels import PERSON_KIND_LABELS

blueprint = Blueprint("staffing", __name__, url_prefix="/people")


@blueprint.route("/")
@role_required(Role.LEADER, Role.STAFF)
def people():
    return render_template(
        "staffing/people.html",
        people=services.people_at_site(current_user.site),
        person_kind_labels=PERSON_KIND_LABELS,
    )


@blueprint.route("/me")
@role_required(Role.TRAINEE)
def my_page():
    return render_template("staffing/my_page.html", person=services.person_for_user(current_user))
