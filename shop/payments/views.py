"""Stripe's webhook: a paid Checkout Session records the payment and collects the ticket.

`POST /webhooks/stripe` is public (Stripe calls it) and CSRF-exempt; the Stripe-Signature header
is checked with STRIPE_WEBHOOK_SECRET before anything is read. Events to enable in Stripe:
`checkout.session.completed` and `checkout.session.expired`.

Delivery is at least once, so handling is idempotent: the OnlinePayment row is locked
(`SELECT ... FOR UPDATE`) and a payment that is no longer pending is left alone. A paid session
whose amount or currency is not the payment's collects nothing and is written in the audit log.
"""
import json
import logging
import re

import stripe
from flask import Blueprint, current_app, request
from sqlalchemy import select

from workshop.extensions import csrf, db
from workshop.security import takes_json
from workshop.services import record_audit
from workshop.timeutil import utcnow

from ..models import OnlinePayment, OnlinePaymentStatus, PaymentMethod, RepairTicket
from ..repairs import tickets
from .services import PaymentResult, StripeCheckoutProvider

log = logging.getLogger(__name__)

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(blueprint)

#: How far the time a Stripe signature was made may be from ours, back or ahead (Stripe's default).
SIGNATURE_TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE
#: Stripe's ids ("evt_...", "cs_test_...").
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


class UnreadableEvent(ValueError):
    """Not a Stripe event signed with our secret at about this time, or not shaped like one."""


def read_event(payload: str, signature: str | None, secret: str) -> tuple[str, str, dict]:
    """(id, type, its object) of a signed Stripe event; UnreadableEvent when it is not one."""
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, SIGNATURE_TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as error:
        raise UnreadableEvent(str(error)) from None
    # Stripe's check refuses a signature made too long ago, not one dated ahead of our clock.
    if _signed_at(signature) > utcnow().timestamp() + SIGNATURE_TOLERANCE_SECONDS:
        raise UnreadableEvent("signed in the future")
    try:
        event = json.loads(payload)
    except ValueError:
        raise UnreadableEvent("not JSON") from None
    data = event.get("data") if isinstance(event, dict) else None
    thing = data.get("object") if isinstance(data, dict) else None
    if not isinstance(thing, dict) or not _is_stripe_id(event.get("id")) or not isinstance(event.get("type"), str):
        raise UnreadableEvent("not shaped like a Stripe event")
    return event["id"], event["type"], thing


def _signed_at(signature: str) -> int:
    """The time in a verified Stripe-Signature header (`t=...,v1=...`; the first `t` counts, as for Stripe)."""
    return int(next(value for key, _, value in (item.partition("=") for item in signature.split(",")) if key == "t"))


def _is_stripe_id(value) -> bool:
    return isinstance(value, str) and STRIPE_ID.fullmatch(value) is not None


def _locked_payment(session_id: str) -> OnlinePayment | None:
    return db.session.scalar(
        select(OnlinePayment).where(OnlinePayment.session_id == session_id).with_for_update())


def handle_checkout_event(event_id: str, event_type: str, session: dict) -> str:
    """Apply one Checkout Session event; returns what happened ("paid", "expired", "ignored", "unknown").

    Flushes, never commits: the caller commits once, so the payment, the ticket's status and its
    history row are written together or not at all.
    """
    session_id = session.get("id")
    if event_type not in ("checkout.session.completed", "checkout.session.expired") or not _is_stripe_id(session_id):
        return "ignored"
    online = _locked_payment(session_id)
    if online is None:
        log.warning("Stripe event %s (%s) for an unknown Checkout Session %s", event_id, event_type, session_id)
        return "unknown"
    if online.status != OnlinePaymentStatus.PENDING:
        log.info("Stripe event %s: session %s is already %s", event_id, session_id, online.status.value)
        return "ignored"
    if event_type == "checkout.session.expired":
        online.status = OnlinePaymentStatus.EXPIRED
        online.event_id = event_id
        db.session.flush()
        return "expired"
    if session.get("payment_status") != "paid":
        # Delayed payment methods complete first and pay later; cards are paid at once.
        return "ignored"
    ticket = db.session.get(RepairTicket, online.ticket_id)
    amount, currency = session.get("amount_total"), session.get("currency")
    if type(amount) is not int or amount != online.amount_ore or currency != "dkk":
        log.error("Stripe event %s: session %s paid %r %r, not %d dkk: nothing collected",
                  event_id, session_id, amount, currency, online.amount_ore)
        record_audit(None, "payment.amount_mismatch", online, site=ticket.site, event_id=event_id,
                     expected_ore=online.amount_ore, amount_total=amount if type(amount) is int else None,
                     currency=str(currency)[:8])
        return "mismatch"
    online.status = OnlinePaymentStatus.PAID
    online.paid_at = utcnow()
    online.event_id = event_id
    if ticket.status != tickets.TicketStatus.READY:
        log.warning("Stripe payment %s arrived for %s, which is %s: recorded, status unchanged",
                    session_id, ticket.number, ticket.status.value)
    tickets.record_payment(ticket, None, PaymentMethod.STRIPE, amount,
                           PaymentResult(StripeCheckoutProvider.name, session_id), note="Stripe")
    return "paid"


@blueprint.route("/stripe", methods=["POST"])
@takes_json
def stripe_webhook():
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return {"error": "not configured"}, 404
    try:
        event_id, event_type, session = read_event(
            request.get_data(as_text=True), request.headers.get("Stripe-Signature"), secret)
    except UnreadableEvent as error:
        log.warning("Stripe webhook refused: %s", error)
        return {"error": "bad signature or payload"}, 400
    outcome = handle_checkout_event(event_id, event_type, session)
    db.session.commit()
    return {"received": True, "outcome": outcome}, 200
