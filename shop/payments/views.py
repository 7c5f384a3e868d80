"""Stripe's webhook and the page Stripe sends the payer back to; both settle the session the same way.

`POST /webhooks/stripe` is public (Stripe calls it) and CSRF-exempt; the Stripe-Signature header
is checked with STRIPE_WEBHOOK_SECRET on the raw body before anything is read. Events to enable
in Stripe: `checkout.session.completed`, `checkout.session.async_payment_succeeded`,
`checkout.session.async_payment_failed` and `checkout.session.expired`; for refunds (refunds.py)
`charge.refunded`, `refund.created`, `refund.updated` and `refund.failed`.

Delivery is at least once, so handling is idempotent: each event id is written once in
`payment_events` (unique), the OnlinePayment row is locked (`SELECT ... FOR UPDATE`) and a settled
payment is left alone. The payable's kind (payables.py) is told when money has arrived.
"""
import json
import logging

import stripe
from flask import Blueprint, abort, current_app, redirect, request
from sqlalchemy.exc import IntegrityError

from workshop.extensions import csrf, db, limiter
from workshop.security import local_path, takes_json
from workshop.timeutil import utcnow

from .payables import payable_kind
from .refunds import REFUND_EVENTS, handle_refund_event
from .services import handle_event, is_stripe_id, settle_from_stripe

log = logging.getLogger(__name__)

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(blueprint)
#: The payer's way back from Stripe (public: she may have no account).
payer_blueprint = Blueprint("payments", __name__, url_prefix="/payments")

#: How far the time a Stripe signature was made may be from ours, back or ahead (Stripe's default).
SIGNATURE_TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE


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
    if not isinstance(thing, dict) or not is_stripe_id(event.get("id")) or not isinstance(event.get("type"), str):
        raise UnreadableEvent("not shaped like a Stripe event")
    return event["id"], event["type"], thing


def _signed_at(signature: str) -> int:
    """The time in a verified Stripe-Signature header (`t=...,v1=...`; the first `t` counts, as for Stripe)."""
    return int(next(value for key, _, value in (item.partition("=") for item in signature.split(",")) if key == "t"))


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
    try:
        handler = handle_refund_event if event_type in REFUND_EVENTS else handle_event
        outcome = handler(event_id, event_type, session)
        db.session.commit()
    except IntegrityError:
        # The same event is being handled by another delivery right now; that one settles it.
        db.session.rollback()
        outcome = "duplicate"
    return {"received": True, "outcome": outcome}, 200


@payer_blueprint.route("/done")
@limiter.limit("30 per minute")
def done():
    """Stripe's success page: settle the session at once (as the webhook would) and go to the payable's page
    (the local path in `next`, when the checkout named one)."""
    session_id = request.args.get("session_id", "")
    if not is_stripe_id(session_id):
        abort(404)
    online = settle_from_stripe(session_id)
    if online is None:
        abort(404)
    db.session.commit()
    back = local_path(request.args.get("next"))
    return redirect(back or payable_kind(online.payable_kind).return_url(online.payable_id))
