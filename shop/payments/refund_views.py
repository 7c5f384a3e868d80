"""A leader gives money of an online payment back: `POST /payments/<id>/refund` (leaders of the
payment's site only; 404 for another site's), then back to the page the form was on."""
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import show_domain_error
from workshop.models import Role
from workshop.money import kroner
from workshop.security import local_path, role_required

from .forms import refund_form
from .models import OnlinePayment, RefundStatus
from .payables import payable_kind
from .refunds import is_manual, paid_payments, refundable_ore, refunds_of, start_refund

blueprint = Blueprint("refunds", __name__, url_prefix="/payments")


def _payment_or_404(online_payment_id: int) -> OnlinePayment:
    online = db.session.get(OnlinePayment, online_payment_id)
    if online is None or online.site_id != current_user.site_id:
        abort(404)
    return online


def back_url(online: OnlinePayment, next_url: str | None) -> str:
    """The page the form came from when it is on this site, else the payable's own page."""
    local = local_path(next_url)
    if local:
        return local
    try:
        return payable_kind(online.payable_kind).return_url(online.payable_id)
    except (KeyError, DomainError):
        return "/"


def _say(refund) -> None:
    amount = format_currency(kroner(refund.amount_ore), "DKK")
    if refund.status == RefundStatus.FAILED:
        flash(_("The refund of %(amount)s failed. Nothing was given back.", amount=amount), "danger")
    elif is_manual(refund):
        flash(_("%(amount)s is written down as given back. Online payment is not set up: "
                "pay the money back to the customer by bank transfer.", amount=amount), "warning")
    elif refund.status == RefundStatus.SUCCEEDED:
        flash(_("%(amount)s is given back to the customer's card.", amount=amount), "success")
    else:
        flash(_("Stripe is giving %(amount)s back. It can take a few days.", amount=amount), "success")


@blueprint.route("/<int:online_payment_id>/refund", methods=["POST"])
@role_required(Role.LEADER)
def refund(online_payment_id: int):
    online = _payment_or_404(online_payment_id)
    form = refund_form(online.id)
    status = 400
    if form.validate_on_submit():
        try:
            made = start_refund(online, form.amount_ore, form.reason.data, current_user,
                                commit=db.session.commit, request_key=form.request_key.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            status = 400 if error.field else 409
        else:
            _say(made)
            return redirect(back_url(online, form.next.data), 303)
    online = db.session.get(OnlinePayment, online_payment_id)
    panel = RefundPanel(online, refunds_of(online), refundable_ore(online), form)
    return render_template("shop/payments/refund.html", panel=panel, back=back_url(online, form.next.data)), status


REFUND_STATUS_LABELS = {RefundStatus.PENDING: _l("On its way"), RefundStatus.SUCCEEDED: _l("Given back"),
                        RefundStatus.FAILED: _l("Failed")}


@dataclass(frozen=True)
class RefundPanel:
    """One paid online payment on a page: its refunds, what is left, and the form when the viewer may refund."""

    online: OnlinePayment
    refunds: list
    refundable: int
    form: object | None


def may_refund(viewer, online: OnlinePayment) -> bool:
    return (viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.role == Role.LEADER
            and viewer.site_id == online.site_id)


def refund_panels(kind_name: str, payable_ids, viewer, next_url: str) -> list[RefundPanel]:
    """A panel for each paid online payment of these payables (for templates/shop/payments/_refunds.html)."""
    panels = []
    for online in paid_payments(kind_name, payable_ids):
        refundable = refundable_ore(online)
        form = refund_form(online.id, next_url) if refundable and may_refund(viewer, online) else None
        panels.append(RefundPanel(online, refunds_of(online), refundable, form))
    return panels


@blueprint.app_context_processor
def _refund_labels():
    return {"refund_status_labels": REFUND_STATUS_LABELS}
