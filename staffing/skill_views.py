"""A leader's list of skills: the competences operations need and people are assessed on."""
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _

from workshop.forms import saved
from workshop.models import Role
from workshop.security import found_or_404, role_required

from . import services
from .forms import SkillForm

blueprint = Blueprint("skills", __name__, url_prefix="/skills")


@blueprint.route("/", methods=["GET", "POST"])
@role_required(Role.LEADER)
def index():
    form = SkillForm()
    if form.validate_on_submit() and saved(
        form, lambda: services.save_skill(None, form.code.data, form.name_da.data, form.name_en.data),
        _("The skill is added: %(name)s.", name=form.name_da.data),
    ):
        return redirect(url_for("skills.index"))
    return render_template("staffing/skills.html", form=form, skills=services.all_skills()), \
        400 if form.errors else 200


@blueprint.route("/<int:skill_id>", methods=["GET", "POST"])
@role_required(Role.LEADER)
def edit(skill_id: int):
    skill = found_or_404(services.get_skill, skill_id)
    form = SkillForm(obj=skill)
    if form.validate_on_submit() and saved(
        form, lambda: services.save_skill(skill, form.code.data, form.name_da.data, form.name_en.data),
        _("The skill is saved: %(name)s.", name=form.name_da.data),
    ):
        return redirect(url_for("skills.index"))
    return render_template("staffing/skill_form.html", form=form, skill=skill), 400 if form.errors else 200
