"""Company accounts: register from the login page, a leader's approval, the company page, invitations."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.forms import saved
from workshop.models import Role
from workshop.security import found_or_404, public_form_limit, role_required

from ..services import business_customers, get_customer
from . import services
from .forms import DecisionForm, InvitationForm, JoinForm, RegistrationForm
from .models import RegistrationStatus

blueprint = Blueprint("companies", __name__, url_prefix="/companies")


@blueprint.route("/register", methods=["GET", "POST"])
@public_form_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("workshop.home"))
    form = RegistrationForm()
    if form.validate_on_submit() and saved(form, lambda: services.register_company(form.data), _(
            "Thank you. The workshop will look at your registration. Log in to see when it is approved.")):
        return redirect(url_for("workshop.login"))
    return render_template("shop/companies/register.html", form=form), 400 if form.errors else 200


@blueprint.route("/invite", methods=["POST"])
@role_required(Role.CUSTOMER)
def invite():
    found_or_404(services.my_company, current_user)
    form = InvitationForm()
    if form.validate_on_submit() and saved(
            form, lambda: services.invite_colleague(current_user, form.email.data), _("The invitation is sent.")):
        return redirect(url_for("shop.account"))
    for message in [*form.email.errors, *form.form_errors]:
        flash(message, "danger")
    return redirect(url_for("shop.account"))


@blueprint.route("/join/<token>", methods=["GET", "POST"])
@public_form_limit
def join(token: str):
    try:
        invitation = services.open_invitation(token)
    except services.LinkProblem as problem:
        return render_template("shop/companies/link_problem.html", message=problem.message), 410
    form = JoinForm()
    if form.validate_on_submit() and saved(
            form, lambda: services.accept_invitation(token, form.name.data, form.password.data),
            _("Welcome. Log in with your e-mail and new password.")):
        return redirect(url_for("workshop.login"))
    return render_template("shop/companies/join.html", form=form, invitation=invitation), 400 if form.errors else 200


@blueprint.route("/registrations")
@role_required(Role.LEADER)
def registrations():
    return render_template("shop/companies/registrations.html", registrations=services.registrations(),
                           pending=RegistrationStatus.PENDING)


@blueprint.route("/registrations/<int:registration_id>", methods=["GET", "POST"])
@role_required(Role.LEADER)
def decide(registration_id: int):
    registration = found_or_404(services.get_registration, registration_id)
    form = DecisionForm()
    form.customer_id.choices = [(0, _("A new customer from the registration"))] + [
        (customer.id, f"{customer.company_name} ({customer.cvr or '-'})") for customer in business_customers()]
    if registration.status != RegistrationStatus.PENDING:
        form = None
    elif form.validate_on_submit():
        if form.decline.data:
            action, message = (lambda: services.decline_registration(current_user, registration)), _("Declined.")
        else:
            existing = found_or_404(get_customer, form.customer_id.data) if form.customer_id.data else None
            action, message = (lambda: services.approve_registration(current_user, registration, existing)), _(
                "Approved. She can now log in and see her company.")
        if saved(form, action, message):
            return redirect(url_for("companies.registrations"))
    return render_template("shop/companies/decide.html", registration=registration, form=form), \
        400 if form and form.errors else 200
