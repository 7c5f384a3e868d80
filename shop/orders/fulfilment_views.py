"""Deliveries and the delivery note, and the order page's production, deliveries and impact sections."""
from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from production.signals import work_order_done
from workshop.forms import EmptyForm, saved
from workshop.models import Role, User
from workshop.security import found_or_404, role_required

from ..impact.statements import order_statement
from . import events, fulfilment, requests
from .fulfilment_forms import delivery_form_for
from .models import Order, OrderStatus
from .pages import register_section
from .services import order_for

S = OrderStatus
blueprint = Blueprint("fulfilment", __name__)

#: Who may see an order's deliveries and delivery notes (order_for narrows it to hers or her site's).
VIEWERS = (Role.LEADER, Role.STAFF, Role.CUSTOMER)


# --- The order page's sections ------------------------------------------------------------------


def production_section(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """Progress from the real tasks while in production; what was made, if the order was cancelled."""
    work_orders = fulfilment.work_orders_of(order)
    if order.status not in (S.IN_PRODUCTION, S.READY) and not (order.status == S.CANCELLED and work_orders):
        return None
    return {"progress": fulfilment.progress_for(order)}


def _may_deliver(order: Order, viewer: User | None) -> bool:
    return viewer is not None and viewer.role == Role.LEADER and order.status in fulfilment.DELIVERABLE


def deliveries_section(order: Order, viewer: User | None, for_workshop: bool, form=None) -> dict | None:
    """The deliveries so far with their notes, and the form for a leader."""
    deliveries = fulfilment.deliveries_of(order)
    left = fulfilment.left_to_deliver(order)
    may_deliver = _may_deliver(order, viewer) and any(left.values())
    if not deliveries and not may_deliver:
        return None
    if may_deliver and form is None:
        form = delivery_form_for(order, left, formdata=None)
    return {"deliveries": deliveries, "delivered": fulfilment.delivered_per_line(order), "left": left,
            "delivery_form": form if may_deliver else None, "delivery_number": fulfilment.delivery_number}


def impact_section(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """The impact statement, once the order is delivered: hours, training and paid, for how many (counts
    only); with the wages for a leader."""
    if order.status not in (S.DELIVERED, S.PAID):
        return None
    return {"impact": order_statement(order), "with_wages": viewer is not None and viewer.role == Role.LEADER}


def release_section(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """While accepted: what production still waits for, and for a leader the choice to start on invoice terms."""
    if order.status != S.ACCEPTED:
        return None
    may_approve = (viewer is not None and viewer.role == Role.LEADER
                   and not fulfilment.deposit_settled(order))
    return {"blockers": fulfilment.release_blockers(order), "terms_form": EmptyForm() if may_approve else None}


register_section("release", "shop/orders/_release.html", release_section, 35)
register_section("production", "shop/orders/_production.html", production_section, 40)
register_section("deliveries", "shop/orders/_deliveries.html", deliveries_section, 50)
register_section("impact", "shop/orders/_impact.html", impact_section, 80)


def init_app(app: Flask) -> None:
    """The routes, and the receivers that carry an order from accepted to delivered (connecting twice is harmless)."""
    app.register_blueprint(blueprint)
    events.quote_accepted.connect(fulfilment.on_quote_accepted)
    events.invoice_paid.connect(fulfilment.on_invoice_paid)
    events.proof_approved.connect(fulfilment.try_release)
    events.order_cancelled.connect(fulfilment.on_order_cancelled)
    work_order_done.connect(fulfilment.on_work_order_done)
    events.order_ready.connect(requests.queue_ready_message)


# --- Routes -------------------------------------------------------------------------------------


def _deliveries_page(order: Order, form=None, status: int = 200):
    context = deliveries_section(order, current_user, current_user.role != Role.CUSTOMER, form) or {
        "deliveries": [], "delivered": {}, "left": {}, "delivery_form": None,
        "delivery_number": fulfilment.delivery_number}
    if form is not None and context["delivery_form"] is None:  # refused where no form is offered: say why
        field_errors = [error for form_field in form for error in form_field.errors]
        for message in [*form.form_errors, *field_errors]:
            flash(message, "danger")
    return render_template("shop/orders/deliveries.html", order=order,
                           for_workshop=current_user.role != Role.CUSTOMER, **context), status


@blueprint.route("/orders/<int:order_id>/deliveries")
@role_required(*VIEWERS)
def deliveries(order_id: int):
    return _deliveries_page(found_or_404(order_for, current_user, order_id))


@blueprint.route("/orders/<int:order_id>/deliveries", methods=["POST"])
@role_required(Role.LEADER)
def record_delivery(order_id: int):
    order = found_or_404(order_for, current_user, order_id, True)
    form = delivery_form_for(order, fulfilment.left_to_deliver(order))
    done = {}
    if form.validate_on_submit() and saved(form, lambda: done.setdefault("delivery", fulfilment.record_delivery(
            order, current_user, form.delivered_on.data, form.quantities(), form.note.data)),
            _("The delivery is recorded.")):
        return redirect(url_for("fulfilment.delivery_note", order_id=order.id, delivery_id=done["delivery"].id))
    order = found_or_404(order_for, current_user, order_id)
    return _deliveries_page(order, form, 400)


@blueprint.route("/orders/<int:order_id>/deliveries/<int:delivery_id>/note")
@role_required(*VIEWERS)
def delivery_note(order_id: int, delivery_id: int):
    order = found_or_404(order_for, current_user, order_id)
    delivery = fulfilment.delivery_of(order, delivery_id)
    if delivery is None:
        abort(404)
    return render_template("shop/orders/delivery_note.html", order=order, delivery=delivery,
                           number=fulfilment.delivery_number(delivery),
                           delivered=fulfilment.delivered_up_to(delivery))
