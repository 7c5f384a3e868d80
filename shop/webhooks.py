"""Stripe's webhook: a paid Checkout Session records the payment and collects the ticket.

`POST /webhooks/stripe` is public (Stripe calls it) and CSRF-exempt; the Stripe-Signature header
is checked with STRIPE_WEBHOOK_SECRET before anything is read. Events to enable in Stripe:
`checkout.session.completed` and `checkout.session.expired`.

Delivery is at least once, so handling is idempotent: the OnlinePayment row is locked
(`SELECT ... FOR UPDATE`) and a payment that is no longer pending is left alone.
"""
import logging

import stripe
from flask import Blueprint, current_app, request
from sqlalchemy import select

from workshop.extensions import csrf, db
from workshop.timeutil import utcnow

from . import tickets
from .models import OnlinePayment, OnlinePaymentStatus, PaymentMethod, RepairTicket
from .payments import PaymentResult, StripeCheckoutProvider

log = logging.getLogger(__name__)

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(blueprint)


def _locked_payment(session_id: str) -> OnlinePayment | None:
    return db.session.scalar(
        select(OnlinePayment).where(OnlinePayment.session_id == session_id).with_for_update())


def handle_checkout_event(event_id: str, event_type: str, session: dict) -> str:
    """Apply one Checkout Session event; returns what happened ("paid", "expired", "ignored", "unknown").

    Flushes, never commits: the caller commits once, so the payment, the ticket's status and its
    history row are written together or not at all.
    """
    session_id = str(session.get("id") or "")
    if event_type not in ("checkout.session.completed", "checkout.session.expired") or not session_id:
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
    amount = session.get("amount_total")
    amount = int(amount) if isinstance(amount, int) else online.amount_ore
    online.status = OnlinePaymentStatus.PAID
    online.paid_at = utcnow()
    online.event_id = event_id
    ticket = db.session.get(RepairTicket, online.ticket_id)
    if ticket.status != tickets.TicketStatus.READY:
        log.warning("Stripe payment %s arrived for %s, which is %s: recorded, status unchanged",
                    session_id, ticket.number, ticket.status.value)
    tickets.record_payment(ticket, None, PaymentMethod.STRIPE, amount,
                           PaymentResult(StripeCheckoutProvider.name, session_id), note="Stripe")
    return "paid"


@blueprint.route("/stripe", methods=["POST"])
def stripe_webhook():
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return {"error": "not configured"}, 404
    payload = request.get_data(as_text=True)
    try:
        event = stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature"), secret)
    except (ValueError, stripe.SignatureVerificationError):
        return {"error": "bad signature or payload"}, 400
    data = event.to_dict()
    session = (data.get("data") or {}).get("object") or {}
    outcome = handle_checkout_event(str(data.get("id", "")), str(data.get("type", "")), session)
    db.session.commit()
    return {"received": True, "outcome": outcome}, 200
