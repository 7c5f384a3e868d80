"""Giving money back on an online payment, in full or in part, with the leader's reason.

A leader's refund runs in two steps, with a commit between them (`commit`, as `reconcile` takes it):

1. Under the OnlinePayment's row lock, the amount is checked against what is still refundable (the paid
   amount minus refunds pending or succeeded) and a PENDING Refund row is written and committed. The
   committed row reserves the amount, so two refunds at once can never give back more than was paid,
   and the lock is not held across the call to Stripe.
2. Stripe is asked for the refund with the row's idempotency key and our ids in its metadata; its
   answer (or the webhook, whichever comes first: `apply_stripe_refund` decides under the same lock)
   sets the row's Stripe id and status. When Stripe refuses or cannot be reached, the row is FAILED
   and the leader is told.

The idempotency key comes from the payment, the amount and the form's one-time request key (or the
number of earlier refunds): the same click sent twice finds the row of the first and gives back nothing
more, and Stripe itself would dedupe the same key. Without Stripe keys (the offline provider), a refund
is written down as a manual one, already succeeded: the money must be paid back by bank transfer.

Stripe's `charge.refunded`, `refund.created`, `refund.updated` and `refund.failed` events reconcile
the rows (`handle_refund_event`), also for a refund made in Stripe's dashboard. The payable's kind
is told (`PayableKind.refunded`) once, when a refund first succeeds.
"""
import hashlib
import logging

import stripe
from flask_babel import format_currency
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.money import kroner
from workshop.services import record_audit
from workshop.timeutil import utcnow

from .models import OnlinePayment, OnlinePaymentStatus, PaymentEvent, Refund, RefundStatus
from .payables import payable_kind
from .services import get_provider, is_stripe_id

log = logging.getLogger(__name__)

#: The longest reason a leader may give (the column's size).
REASON_MAX = 300
#: Refunds that hold money back from being refunded again.
RESERVING = (RefundStatus.PENDING, RefundStatus.SUCCEEDED)
#: The refund events handled; Stripe should be set to send these too.
CHARGE_REFUNDED = "charge.refunded"
REFUND_EVENTS = (CHARGE_REFUNDED, "refund.created", "refund.updated", "refund.failed")
#: Stripe's refund statuses, as ours.
STRIPE_STATUSES = {"succeeded": RefundStatus.SUCCEEDED, "pending": RefundStatus.PENDING,
                   "requires_action": RefundStatus.PENDING, "failed": RefundStatus.FAILED,
                   "canceled": RefundStatus.FAILED}
MANUAL_PREFIX = "manual-"


def refunded_ore(online: OnlinePayment, statuses=RESERVING) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount_ore), 0)).where(
        Refund.online_payment_id == online.id, Refund.status.in_(statuses)))


def refundable_ore(online: OnlinePayment) -> int:
    """What may still be given back: the paid amount minus refunds pending or succeeded (0 unless paid)."""
    if online.status != OnlinePaymentStatus.PAID:
        return 0
    return max(0, online.amount_ore - refunded_ore(online))


def refunds_of(online: OnlinePayment) -> list[Refund]:
    return list(db.session.scalars(select(Refund).where(Refund.online_payment_id == online.id).order_by(Refund.id)))


def paid_payments(kind_name: str, payable_ids) -> list[OnlinePayment]:
    """The paid online payments of some payables of one kind, oldest first."""
    return list(db.session.scalars(select(OnlinePayment).where(
        OnlinePayment.payable_kind == kind_name, OnlinePayment.payable_id.in_(list(payable_ids)),
        OnlinePayment.status == OnlinePaymentStatus.PAID).order_by(OnlinePayment.id)))


def is_manual(refund: Refund) -> bool:
    """Written down without Stripe: the money is paid back by bank transfer."""
    return refund.idempotency_key.startswith(MANUAL_PREFIX)


def refund_key(online_payment_id: int, amount_ore: int, request_key: str) -> str:
    """The same payment, amount and request always give the same key (one refund for a double click)."""
    raw = f"stitchwork|refund|{online_payment_id}|{amount_ore}|{request_key}"
    return "refund-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def refunded_for_payable(kind_name: str, payable_id: int) -> int:
    """Money given back (succeeded) on all online payments of one payable."""
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount_ore), 0)).join(
        OnlinePayment, OnlinePayment.id == Refund.online_payment_id).where(
        OnlinePayment.payable_kind == kind_name, OnlinePayment.payable_id == payable_id,
        Refund.status == RefundStatus.SUCCEEDED))


def _locked(online_id: int) -> OnlinePayment:
    """The payment row, locked until the transaction ends; refunds of one payment go one at a time."""
    return db.session.scalar(select(OnlinePayment).where(OnlinePayment.id == online_id).with_for_update()
                             .execution_options(populate_existing=True))


def _reload(refund_id: int) -> Refund:
    return db.session.scalar(select(Refund).where(Refund.id == refund_id).execution_options(populate_existing=True))


def start_refund(online: OnlinePayment, amount_ore: int, reason: str, actor, *, commit,
                 request_key: str | None = None) -> Refund:
    """Give `amount_ore` of a paid online payment back, for `reason`; returns the Refund (see the module).

    Raises DomainError for an amount outside 1..refundable, a missing or long reason, a payment not
    paid, or when Stripe refuses (the row is then committed as FAILED). Commits through `commit`.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Write why the money is given back."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("At most 300 characters."), field="reason")
    provider = get_provider()
    manual = not hasattr(provider, "client")
    if not manual and not online.payment_intent:
        _fill_payment_intent(provider, online)  # before the lock: no lock is held across a call to Stripe
    online = _locked(online.id)
    if online.status != OnlinePaymentStatus.PAID:
        raise DomainError(_l("Only a paid online payment can be refunded."))
    if not manual and not online.payment_intent:
        raise DomainError(_l("Stripe cannot tell which card payment this is yet. Try again later."))
    earlier = db.session.scalar(select(func.count(Refund.id)).where(Refund.online_payment_id == online.id))
    key = refund_key(online.id, amount_ore, request_key or f"count-{earlier}")
    if manual:
        key = MANUAL_PREFIX + key
    same = db.session.scalar(select(Refund).where(Refund.idempotency_key == key))
    if same is not None:
        log.info("Refund %s asked for again (same request): nothing more given back", same.id)
        return same
    most = refundable_ore(online)
    if most == 0:
        raise DomainError(_l("Everything paid is already given back."), field="amount")
    if type(amount_ore) is not int or not 1 <= amount_ore <= most:
        raise DomainError(_l("Write an amount above 0 kr. and at most %(most)s",
                             most=format_currency(kroner(most), "DKK")), field="amount")
    refund = Refund(online_payment_id=online.id, amount_ore=amount_ore, reason=reason, idempotency_key=key,
                    status=RefundStatus.PENDING, created_by_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(refund)
    db.session.flush()
    record_audit(actor, "payment.refund", online, refund_id=refund.id, amount_ore=amount_ore, manual=manual)
    if manual:
        _set_status(refund, online, RefundStatus.SUCCEEDED)
        commit()
        return refund
    commit()  # the pending row reserves the amount; the lock is released before Stripe is asked
    return _send(provider, refund.id, online.id, commit)


def _fill_payment_intent(provider, online: OnlinePayment) -> None:
    """A payment settled before its PaymentIntent was kept: ask Stripe's Checkout Session for it."""
    session = provider.read_session(online.session_id) if online.status == OnlinePaymentStatus.PAID else None
    session = session or {}
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if is_stripe_id(intent):
        online.payment_intent = intent
        db.session.flush()


def _send(provider, refund_id: int, online_id: int, commit) -> Refund:
    """Ask Stripe for the committed pending refund, then apply its answer under the payment's lock."""
    refund = _reload(refund_id)
    online = db.session.get(OnlinePayment, online_id)
    answer, error = None, None
    try:
        answer = provider.client.v1.refunds.create(params={
            "payment_intent": online.payment_intent, "amount": refund.amount_ore,
            "metadata": {"refund_key": refund.idempotency_key, "online_payment_id": str(online.id)},
        }, options={"idempotency_key": refund.idempotency_key}).to_dict()
    except stripe.StripeError as stripe_error:
        error = str(stripe_error)
    online = _locked(online_id)
    refund = _reload(refund_id)
    if answer is not None and is_stripe_id(answer.get("id")):
        apply_stripe_refund(online, answer)
        commit()
        return _reload(refund_id)
    log.warning("Stripe refund %s of %s failed: %s", refund.id, online.session_id, error)
    if refund.status == RefundStatus.PENDING and refund.stripe_refund_id is None:
        _set_status(refund, online, RefundStatus.FAILED)
    commit()
    raise DomainError(_l("Stripe did not make the refund. Nothing was given back. Try again later."))


def _set_status(refund: Refund, online: OnlinePayment, status: RefundStatus, revive: bool = False) -> str:
    """Move a refund to `status` when that is a step forward; the payable is told once, on success.

    A succeeded refund only goes on to failed (its bank sent it back); a failed one Stripe reported
    stays failed unless `revive` (the row failed on our side before Stripe's word about it came); a
    pending answer never undoes a later word (events come out of order)."""
    current = refund.status
    if status == current:
        return "unchanged"
    if status == RefundStatus.PENDING and current == RefundStatus.SUCCEEDED:
        return "unchanged"
    if current == RefundStatus.SUCCEEDED and status != RefundStatus.FAILED:
        return "unchanged"
    if current == RefundStatus.FAILED and not revive:
        return "unchanged"
    refund.status = status
    db.session.flush()
    if status == RefundStatus.SUCCEEDED:
        _tell_payable(online, refund)
    elif current == RefundStatus.SUCCEEDED:
        log.error("Refund %s failed after it had succeeded", refund.id)
        record_audit(None, "payment.refund_failed_late", online, refund_id=refund.id, amount_ore=refund.amount_ore)
    return status.value


def _tell_payable(online: OnlinePayment, refund: Refund) -> None:
    try:
        callback = payable_kind(online.payable_kind).refunded
    except KeyError:
        log.error("Refund %s: no payable kind %r is registered to tell", refund.id, online.payable_kind)
        return
    if callback is not None:
        callback(online, refund.amount_ore)


def apply_stripe_refund(online: OnlinePayment, data: dict, event_id: str = "") -> str:
    """Apply what Stripe says of one refund of a locked payment: find our row by Stripe's id or by our
    key in its metadata, or write one for a refund made in Stripe's dashboard. Returns what happened."""
    refund_id, amount = data.get("id"), data.get("amount")
    status = STRIPE_STATUSES.get(data.get("status"))
    if not is_stripe_id(refund_id) or status is None:
        return "ignored"
    refund = db.session.scalar(select(Refund).where(Refund.stripe_refund_id == refund_id)
                               .execution_options(populate_existing=True))
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    if refund is None and isinstance(metadata.get("refund_key"), str):
        refund = db.session.scalar(select(Refund).where(
            Refund.idempotency_key == metadata["refund_key"], Refund.online_payment_id == online.id)
            .execution_options(populate_existing=True))
    if refund is None:
        if type(amount) is not int or amount <= 0:
            return "ignored"
        log.info("Stripe refund %s (event %s) was made outside the workshop: recorded", refund_id, event_id)
        refund = Refund(online_payment_id=online.id, amount_ore=amount, reason="", status=RefundStatus.PENDING,
                        idempotency_key=f"stripe-{refund_id}"[:120], created_at=utcnow())
        db.session.add(refund)
    newly_known = refund.stripe_refund_id is None
    if newly_known:
        refund.stripe_refund_id = refund_id
    db.session.flush()
    return _set_status(refund, online, status, revive=newly_known)


def handle_refund_event(event_id: str, event_type: str, thing: dict) -> str:
    """Apply one refund event once (the event id is written first, as for sessions); returns what
    happened: "succeeded", "failed", "pending", "unchanged", "unknown", "duplicate" or "ignored"."""
    if event_type not in REFUND_EVENTS or not is_stripe_id(thing.get("id")):
        return "ignored"
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event_id)) is not None:
        return "duplicate"
    event = PaymentEvent(event_id=event_id, event_type=event_type, session_id=thing["id"], received_at=utcnow())
    db.session.add(event)
    db.session.flush()
    online = _payment_of(thing)
    if online is None:
        log.warning("Stripe event %s (%s) for a payment we do not know", event_id, event_type)
        event.outcome = "unknown"
    else:
        outcomes = [apply_stripe_refund(online, data, event_id) for data in _refunds_in(event_type, thing)]
        event.outcome = next((outcome for outcome in outcomes if outcome not in ("unchanged", "ignored")),
                             outcomes[0] if outcomes else "ignored")[:20]
    db.session.flush()
    return event.outcome


def _payment_of(thing: dict) -> OnlinePayment | None:
    """The locked payment an event's refund or charge belongs to: by PaymentIntent, else by our metadata."""
    intent = thing.get("payment_intent")
    if is_stripe_id(intent):
        online = db.session.scalar(select(OnlinePayment).where(OnlinePayment.payment_intent == intent))
        if online is not None:
            return _locked(online.id)
    metadata = thing.get("metadata") if isinstance(thing.get("metadata"), dict) else {}
    online_id = metadata.get("online_payment_id")
    if isinstance(online_id, str) and online_id.isascii() and online_id.isdigit() and len(online_id) < 12:
        online = _locked(int(online_id))
        if online is not None and is_stripe_id(intent) and not online.payment_intent:
            online.payment_intent = intent
        return online
    return None


def _refunds_in(event_type: str, thing: dict) -> list[dict]:
    """The refund objects an event names: the refund itself, or a charge's refunds (asked of Stripe
    when the event leaves them out, as newer API versions do)."""
    if event_type != CHARGE_REFUNDED:
        return [thing]
    listed = thing.get("refunds")
    data = listed.get("data") if isinstance(listed, dict) else None
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    provider = get_provider()
    if not hasattr(provider, "client") or not is_stripe_id(thing.get("payment_intent")):
        return []
    try:
        found = provider.client.v1.refunds.list(params={"payment_intent": thing["payment_intent"], "limit": 100})
    except stripe.StripeError as error:
        log.warning("Stripe refunds of %s could not be read: %s", thing["payment_intent"], error)
        return []
    return [item.to_dict() for item in found.data]
