"""A leader's shop set-up (the repair price list, business customers) and a customer's own account."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from production.services import all_operations
from workshop.extensions import db
from workshop.forms import EmptyForm, saved
from workshop.models import Role
from workshop.security import found_or_404, role_required

from . import services
from .companies.forms import InvitationForm
from .companies.services import account_overview
from .repairs.catalogue import price_list
from .forms import CUSTOMER_KIND_LABELS, CustomerForm, RepairTypeForm

blueprint = Blueprint("shop", __name__, url_prefix="/shop")


@blueprint.route("/customers")
@role_required(Role.LEADER)
def customers():
    return render_template("shop/customers.html", customers=services.business_customers(),
                           kind_labels=CUSTOMER_KIND_LABELS)


@blueprint.route("/customers/new", methods=["GET", "POST"])
@blueprint.route("/customers/<int:customer_id>", methods=["GET", "POST"])
@role_required(Role.LEADER)
def customer_form(customer_id: int | None = None):
    customer = found_or_404(services.get_customer, customer_id) if customer_id else None
    form = CustomerForm(obj=customer)
    if form.validate_on_submit() and saved(
        form, lambda: services.save_customer(customer, form.data), _("The customer is saved."),
    ):
        return redirect(url_for("shop.customers"))
    return render_template("shop/customer_form.html", form=form, customer=customer), 400 if form.errors else 200


@blueprint.route("/repair-prices")
@role_required(Role.LEADER, Role.STAFF)
def repair_prices():
    site = current_user.site
    repairs = services.repair_types(site) if current_user.role == Role.LEADER else price_list(site)
    return render_template("shop/repair_prices.html", repairs=repairs, empty_form=EmptyForm())


@blueprint.route("/repair-prices/new", methods=["GET", "POST"])
@blueprint.route("/repair-prices/<int:repair_id>", methods=["GET", "POST"])
@role_required(Role.LEADER)
def repair_form(repair_id: int | None = None):
    site = current_user.site
    repair = found_or_404(services.get_repair_type, site, repair_id) if repair_id else None
    form = RepairTypeForm(obj=repair)
    form.operation_id.choices = [(operation.id, operation.name) for operation in all_operations()]
    if form.validate_on_submit() and saved(
        form, lambda: services.save_repair_type(site, repair, form.data),
        _("The repair is saved: %(name)s.", name=form.name_da.data),
    ):
        return redirect(url_for("shop.repair_prices"))
    return render_template("shop/repair_form.html", form=form, repair=repair), 400 if form.errors else 200


@blueprint.route("/repair-prices/<int:repair_id>/retire", methods=["POST"])
@role_required(Role.LEADER)
def retire_repair(repair_id: int):
    return _set_offered(repair_id, False, _("The repair is retired: residents can no longer book it."))


@blueprint.route("/repair-prices/<int:repair_id>/offer", methods=["POST"])
@role_required(Role.LEADER)
def offer_repair(repair_id: int):
    return _set_offered(repair_id, True, _("The repair is on the booking page again."))


def _set_offered(repair_id: int, offered: bool, message: str):
    repair = found_or_404(services.get_repair_type, current_user.site, repair_id)
    if EmptyForm().validate_on_submit():
        services.set_repair_offered(repair, offered)
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("shop.repair_prices"))


@blueprint.route("/account")
@role_required(Role.CUSTOMER)
def account():
    return render_template("shop/account.html", **account_overview(current_user), invitation_form=InvitationForm())
