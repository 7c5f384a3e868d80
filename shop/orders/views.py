"""Order pages: a company asks for a quote and follows its orders; the workshop's order list;
the order page, with every section other modules register (see `pages.py`)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import EmptyForm, show_domain_error
from workshop.inputs import whole_number
from workshop.models import Role
from workshop.security import found_or_404, role_required

from .. import images
from ..companies.services import company_of
from . import fulfilment, requests, services
from .catalogue import offered_products
from .forms import FilterForm, ReasonForm, RequestForm
from .models import OrderStatus
from .pages import sections_for
from .states import STATUS_LABELS, can_change

blueprint = Blueprint("orders", __name__, url_prefix="/orders")

WORKSHOP = (Role.LEADER, Role.STAFF)
EVERYONE = (Role.CUSTOMER, Role.LEADER, Role.STAFF)


@blueprint.context_processor
def _labels():
    return {"status_labels": STATUS_LABELS}


# --- The customer's side ----------------------------------------------------------------------------


def _fill_choices(form: RequestForm, company) -> None:
    items = offered_products(company)
    products = [(0, _("Choose a product"))] + [(item.product.id, item.product.name) for item in items]
    variants = [(0, _("No choice"))] + [(variant.id, f"{item.product.name}: {variant.label}")
                                        for item in items for variant in item.product.variants]
    for row in form.lines:
        row.form.product_id.choices = products
        row.form.variant_id.choices = variants
    form.site_id.choices = [(site.id, site.name) for site in requests.request_sites()]


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(Role.CUSTOMER)
def new():
    company = company_of(current_user)
    if company is None:
        flash(_("Your company must be approved before you can ask for a price."), "warning")
        return redirect(url_for("shop.account"))
    form = RequestForm()
    _fill_choices(form, company)
    if not form.is_submitted():
        form.lines[0].form.product_id.data = whole_number(request.args.get("product", "")) or 0
        form.site_id.data = current_user.site_id or (form.site_id.choices[0][0] if form.site_id.choices else 0)
    elif form.validate():
        if len(form.site_id.choices) == 1 and not form.site_id.data:
            form.site_id.data = form.site_id.choices[0][0]
        try:
            order = requests.request_quote(current_user, requests.QuoteRequest(
                site_id=form.site_id.data, lines=form.requested_lines(), wished_date=form.wished_date.data,
                prototype_first=form.prototype_first.data, note=form.note.data or "",
                customer_reference=form.customer_reference.data or "", logos=form.logos()))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, aliases={"lines": ""})  # a line's problem is said above the form
        else:
            db.session.commit()
            flash(_("Thank you. We have your request %(number)s. We will send you a price.", number=order.number),
                  "success")
            return redirect(url_for("orders.order", order_id=order.id), 303)
    return render_template("shop/orders/new.html", form=form, company=company), 400 if form.is_submitted() else 200


@blueprint.route("/")
@role_required(*EVERYONE)
def mine():
    if current_user.role != Role.CUSTOMER:
        return redirect(url_for("orders.workshop"))
    company = company_of(current_user)
    orders = requests.company_orders(company) if company else []
    return render_template("shop/orders/mine.html", company=company, orders=orders,
                           latest_quote=lambda order: requests.latest_quote(order, sent_only=True))


# --- The workshop's side ------------------------------------------------------------------------------


@blueprint.route("/workshop")
@role_required(*WORKSHOP)
def workshop():
    form = FilterForm(request.args)
    valid = form.validate()
    site = current_user.site
    orders = requests.workshop_orders(
        site, form.status.data if valid else "open", form.customer.data if valid else "",
        form.wished_by.data if valid else None) if site else []
    return render_template("shop/orders/workshop.html", form=form, orders=orders,
                           waiting=requests.waiting_for_quote(site) if site else 0,
                           latest_quote=lambda order: requests.latest_quote(order, sent_only=False)), \
        200 if valid or not request.args else 400


# --- The order page --------------------------------------------------------------------------------------


def _order_page(order, status: int = 200, reason_form: ReasonForm | None = None):
    for_workshop = current_user.role in WORKSHOP
    sections = sections_for(order, current_user)
    sections_html = [render_template(template, **context) for template, context in sections]
    return render_template(
        "shop/orders/order.html", order=order, for_workshop=for_workshop, timeline=requests.timeline(order),
        sections_html=sections_html, empty_form=EmptyForm(), reason_form=reason_form or ReasonForm(),
        is_leader=current_user.role == Role.LEADER,
        can_decline=order.status == OrderStatus.REQUESTED,
        can_cancel=can_change(order, OrderStatus.CANCELLED),
        can_withdraw=current_user.role == Role.CUSTOMER and order.status == OrderStatus.REQUESTED,
        can_quote=order.status in (OrderStatus.REQUESTED, OrderStatus.EXPIRED),
    ), status


@blueprint.route("/<int:order_id>")
@role_required(*EVERYONE)
def order(order_id: int):
    return _order_page(found_or_404(services.order_for, current_user, order_id))


@blueprint.route("/<int:order_id>/logos/<int:logo_id>")
@role_required(*EVERYONE)
def logo(order_id: int, logo_id: int):
    found = found_or_404(requests.order_logo, current_user, order_id, logo_id)
    return images.send_image(found.stored_name)


def _change(order_id: int, form, action, message: str):
    """A POST that changes the order's status: 400 for a bad form, 409 for a move the order cannot make."""
    found = found_or_404(services.order_for, current_user, order_id, True)
    if not form.validate_on_submit():
        flash(_("Please correct the fields marked in red."), "danger")
        return _order_page(found, 400, form if isinstance(form, ReasonForm) else None)
    try:
        action(found)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _order_page(found_or_404(services.order_for, current_user, order_id), 409)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("orders.order", order_id=order_id), 303)


@blueprint.route("/<int:order_id>/approve-terms", methods=["POST"])
@role_required(Role.LEADER)
def approve_terms(order_id: int):
    return _change(order_id, EmptyForm(), lambda order: fulfilment.approve_invoice_terms(order, current_user),
                   _("Invoice terms approved. Production starts when nothing else is missing."))


@blueprint.route("/<int:order_id>/decline", methods=["POST"])
@role_required(Role.LEADER)
def decline(order_id: int):
    form = ReasonForm()
    return _change(order_id, form, lambda found: requests.decline(found, current_user, form.reason.data),
                   _("The request is declined."))


@blueprint.route("/<int:order_id>/cancel", methods=["POST"])
@role_required(Role.LEADER)
def cancel(order_id: int):
    form = ReasonForm()
    return _change(order_id, form, lambda found: requests.cancel(found, current_user, form.reason.data),
                   _("The order is cancelled."))


@blueprint.route("/<int:order_id>/withdraw", methods=["POST"])
@role_required(Role.CUSTOMER)
def withdraw(order_id: int):
    return _change(order_id, EmptyForm(), lambda found: requests.withdraw(found, current_user),
                   _("Your request is taken back."))
