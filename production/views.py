from flask import Blueprint, render_template

from workshop.models import Role
from workshop.security import role_required

from . import services

blueprint = Blueprint("production", __name__, url_prefix="/production")


@blueprint.route("/products")
@role_required(Role.LEADER, Role.STAFF)
def products():
    return render_template("production/products.html", products=services.all_products())
