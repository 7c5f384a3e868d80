"""Payment providers and online payment for every kind of sale.

At the counter, cash, card terminal and MobilePay are recorded, not processed. A provider has
`name`, `methods` and `record(method, amount_ore, reference)`. The offline provider is the default.
When STRIPE_SECRET_KEY is configured, `StripeCheckoutProvider` is used: the counter methods still
work, and `start_checkout` makes a Stripe Checkout Session the customer pays on her phone.

`start_online_payment` prices a payable through its registered kind (payables.py); Stripe's webhook
and the success page (views.py) both settle a session with `settle_session`, which fulfils once.
"""
import hashlib
import logging
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode, urlsplit

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.services import record_audit
from workshop.timeutil import utcnow

from ..models import PaymentMethod
from .models import SETTLED, OnlinePayment, OnlinePaymentStatus, PaymentEvent
from .payables import Charge, payable_kind

log = logging.getLogger(__name__)

#: Stripe refuses card payments under 2,50 kr.
STRIPE_MINIMUM_ORE = 250
#: A Checkout Session may expire from 30 minutes to 24 hours after Stripe creates it; a minute's margin
#: each side for the moment between our clock and Stripe making the session.
CHECKOUT_SHORTEST = timedelta(minutes=31)
CHECKOUT_LONGEST = timedelta(hours=24) - timedelta(minutes=1)

METHOD_LABELS = {
    PaymentMethod.CASH: _l("Cash"),
    PaymentMethod.CARD_TERMINAL: _l("Card terminal"),
    PaymentMethod.MOBILEPAY: _l("MobilePay"),
    PaymentMethod.STRIPE: _l("Card online (Stripe)"),
}


@dataclass(frozen=True)
class PaymentResult:
    provider: str
    reference: str


class PaymentProvider(Protocol):
    name: str
    methods: tuple[PaymentMethod, ...]

    def record(self, method: PaymentMethod, amount_ore: int, reference: str) -> PaymentResult: ...


class OfflineProvider:
    """Money taken at the counter: we only write down how much, how and a receipt reference."""

    name = "offline"
    methods = (PaymentMethod.CASH, PaymentMethod.CARD_TERMINAL, PaymentMethod.MOBILEPAY)

    def record(self, method: PaymentMethod, amount_ore: int, reference: str) -> PaymentResult:
        if method not in self.methods:
            raise DomainError(_l("This payment method is not available here."), field="method")
        return PaymentResult(self.name, f"{reference}-{method.value}-{secrets.token_hex(3)}")


class StripeCheckoutProvider(OfflineProvider):
    """Online card payment by Stripe Checkout; the counter's offline methods stay available.

    `api_base` points the client at another address (STRIPE_API_BASE; the tests use a local fake).
    """

    name = "stripe"

    def __init__(self, secret_key: str, api_base: str, http_client=None):
        import stripe

        self._stripe = stripe
        self.client = stripe.StripeClient(
            secret_key, base_addresses={"api": api_base}, http_client=http_client,
            max_network_retries=2)

    def record(self, method: PaymentMethod, amount_ore: int, reference: str) -> PaymentResult:
        if method == PaymentMethod.STRIPE:
            # Only the webhook records a Stripe payment; its reference is the Checkout Session id.
            return PaymentResult(self.name, reference)
        return super().record(method, amount_ore, reference)

    def start_checkout(self, charge: Charge, reference: dict[str, str], idempotency_key: str,
                       success_url: str, cancel_url: str) -> tuple[str, str]:
        """Create a Checkout Session for the charge; returns (session id, the page to pay on)."""
        params = {
            "mode": "payment",
            "line_items": [{
                "quantity": line.quantity,
                "price_data": {"currency": "dkk", "unit_amount": line.unit_amount_ore,
                               "product_data": {"name": line.name}},
            } for line in charge.lines],
            "client_reference_id": f"{reference['payable_kind']}-{reference['payable_id']}",
            "metadata": reference,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        if charge.expires_at is not None:
            params["expires_at"] = int(charge.expires_at.replace(tzinfo=UTC).timestamp())
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key})
        except self._stripe.StripeError as error:
            log.warning("Stripe Checkout Session for %s failed: %s", charge.label, error)
            raise DomainError(_l("Online payment does not work right now. Take the payment at the counter.")) \
                from None
        return session.id, session.url

    def read_session(self, session_id: str) -> dict | None:
        """The Checkout Session as Stripe has it now, or None when Stripe cannot be asked."""
        try:
            return self.client.v1.checkout.sessions.retrieve(session_id).to_dict()
        except self._stripe.StripeError as error:
            log.warning("Stripe Checkout Session %s could not be read: %s", session_id, error)
            return None


def idempotency_key(payable_kind_name: str, payable_id: int, payment_kind: str, amount_ore: int,
                    attempt: int = 0) -> str:
    """The same payable, kind of payment, amount and attempt always give the same key: a double
    click (even two racing past the database) makes one Checkout Session."""
    raw = f"stitchwork|{payable_kind_name}|{payable_id}|{payment_kind}|{amount_ore}|{attempt}"
    return "checkout-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def checkout_expiry(wanted: datetime) -> datetime:
    """`wanted` (naive UTC) moved into what Stripe allows a Checkout Session made now: 30 minutes to 24 hours."""
    now = utcnow().replace(tzinfo=None)
    return min(max(wanted, now + CHECKOUT_SHORTEST), now + CHECKOUT_LONGEST)


def get_provider() -> PaymentProvider:
    """The configured provider (tests may put one in REPAIRS_PAYMENT_PROVIDER); Stripe when
    STRIPE_SECRET_KEY is set, otherwise offline."""
    configured = current_app.config.get("REPAIRS_PAYMENT_PROVIDER")
    if configured is not None:
        return configured
    key = current_app.config.get("STRIPE_SECRET_KEY")
    if key:
        return StripeCheckoutProvider(key, current_app.config["STRIPE_API_BASE"])
    return OfflineProvider()


def online_payment_enabled() -> bool:
    """Stripe is configured with both keys (without the webhook secret no payment could be confirmed)."""
    return bool(current_app.config.get("STRIPE_WEBHOOK_SECRET")) and hasattr(get_provider(), "start_checkout")


def _payments_of(kind_name: str, payable_id: int):
    return select(OnlinePayment).where(OnlinePayment.payable_kind == kind_name, OnlinePayment.payable_id == payable_id)


def pending_online_payment(kind_name: str, payable_id: int) -> OnlinePayment | None:
    return db.session.scalar(_payments_of(kind_name, payable_id).where(
        OnlinePayment.status == OnlinePaymentStatus.PENDING).order_by(OnlinePayment.id.desc()).limit(1))


def latest_online_payment(kind_name: str, payable_id: int) -> OnlinePayment | None:
    return db.session.scalar(_payments_of(kind_name, payable_id).order_by(OnlinePayment.id.desc()).limit(1))


def success_url(back: str | None = None) -> str:
    """Stripe sends the payer here after paying; it fills in the session id. `back`: the public page she
    goes on to (its path is kept in `next`), when her payable's kind cannot name it later."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    url = f"{base}{url_for('payments.done')}?session_id={{CHECKOUT_SESSION_ID}}"
    return url + "&" + urlencode({"next": urlsplit(back).path}) if back else url


def start_online_payment(kind_name: str, payable_id: int, actor, payment_kind: str = "full",
                         return_url: str | None = None) -> OnlinePayment:
    """Ask Stripe for a Checkout Session for a payable: one pending session per payable, kind and amount.

    The amount and lines come from the payable's kind, never from the browser. A pending session for
    the same amount is reused; otherwise Stripe is asked, with an idempotency key from the payable,
    the kind of payment, the amount and the number of earlier sessions for that amount. `return_url`
    is the payer's page when only the caller knows it (a web order's secret link is stored hashed).
    """
    kind = payable_kind(kind_name)
    charge = kind.charge(payable_id, payment_kind)
    provider = get_provider()
    if not online_payment_enabled():
        raise DomainError(_l("Online payment is not set up."))
    amount = charge.amount_ore
    if amount < STRIPE_MINIMUM_ORE:
        raise DomainError(_l("The amount is too small to pay online. Take the payment at the counter."))
    pending = pending_online_payment(kind_name, payable_id)
    if pending is not None and pending.amount_ore == amount and pending.payment_kind == payment_kind:
        return pending
    attempt = db.session.scalar(_payments_of(kind_name, payable_id).where(
        OnlinePayment.payment_kind == payment_kind, OnlinePayment.amount_ore == amount)
        .with_only_columns(func.count()))
    reference = {"payable_kind": kind_name, "payable_id": str(payable_id), "payment_kind": payment_kind}
    session_id, url = provider.start_checkout(
        charge, reference, idempotency_key(kind_name, payable_id, payment_kind, amount, attempt),
        success_url(return_url), return_url or kind.return_url(payable_id))
    existing = db.session.scalar(select(OnlinePayment).where(OnlinePayment.session_id == session_id))
    if existing is not None:
        return existing
    payment = OnlinePayment(site_id=charge.site_id, payable_kind=kind_name, payable_id=payable_id,
                            payment_kind=payment_kind, session_id=session_id, url=url or "", amount_ore=amount,
                            started_by_id=getattr(actor, "id", None))
    db.session.add(payment)
    db.session.flush()
    return payment


def counter_methods() -> list[tuple[str, str]]:
    return [(method.value, str(METHOD_LABELS[method])) for method in get_provider().methods]


# --- Settling a Checkout Session (the webhook and the success page) --------------------------------

#: The Checkout Session events handled; Stripe should be set to send these.
COMPLETED = "checkout.session.completed"
ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded"
ASYNC_FAILED = "checkout.session.async_payment_failed"
EXPIRED = "checkout.session.expired"
HANDLED_EVENTS = (COMPLETED, ASYNC_SUCCEEDED, ASYNC_FAILED, EXPIRED)
#: Stripe's ids ("evt_...", "cs_test_...").
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


def is_stripe_id(value) -> bool:
    return isinstance(value, str) and STRIPE_ID.fullmatch(value) is not None


def locked_payment(session_id: str) -> OnlinePayment | None:
    """The payment row, locked until the transaction ends (`SELECT ... FOR UPDATE`): the webhook and
    the success page, or two deliveries, settle one after the other."""
    return db.session.scalar(
        select(OnlinePayment).where(OnlinePayment.session_id == session_id).with_for_update()
        .execution_options(populate_existing=True))  # what another transaction settled, not a stale copy


def settle_session(online: OnlinePayment, event_type: str, session: dict, event_id: str | None = None) -> str:
    """Apply what Stripe says of a locked payment's session; returns what happened.

    "paid" (the payable's kind fulfils, once), "waiting" (completed, but a delayed method has not
    paid yet), "failed", "expired", "mismatch" (paid another amount: nothing fulfilled, audited) or
    "ignored" (already settled: events may arrive out of order or twice, the first settlement
    stands). The session's PaymentIntent is kept (refunds name it). Flushes, never commits: the
    caller commits once.
    """
    intent = session.get("payment_intent")
    if is_stripe_id(intent) and not online.payment_intent:
        online.payment_intent = intent
    if online.status in SETTLED:
        log.info("Stripe %s: session %s is already %s", event_type, online.session_id, online.status.value)
        return "ignored"
    if event_type == EXPIRED:
        outcome = _close(online, OnlinePaymentStatus.EXPIRED, event_id)
        on_expired = payable_kind(online.payable_kind).expired
        if on_expired is not None:
            on_expired(online)
        return outcome
    if event_type == ASYNC_FAILED:
        return _close(online, OnlinePaymentStatus.FAILED, event_id)
    if session.get("payment_status") != "paid":
        return "waiting"
    amount, currency = session.get("amount_total"), session.get("currency")
    if type(amount) is not int or amount != online.amount_ore or currency != "dkk":
        log.error("Stripe %s %s: session %s paid %r %r, not %d dkk: nothing fulfilled",
                  event_type, event_id, online.session_id, amount, currency, online.amount_ore)
        record_audit(None, "payment.amount_mismatch", online, event_id=event_id or "",
                     expected_ore=online.amount_ore, amount_total=amount if type(amount) is int else None,
                     currency=str(currency)[:8])
        return "mismatch"
    online.paid_at = utcnow()
    _close(online, OnlinePaymentStatus.PAID, event_id)
    payable_kind(online.payable_kind).fulfil(online)
    return "paid"


def _close(online: OnlinePayment, status: OnlinePaymentStatus, event_id: str | None) -> str:
    online.status = status
    online.event_id = event_id
    db.session.flush()
    return status.value


def settle_from_stripe(session_id: str) -> OnlinePayment | None:
    """Ask Stripe about a session we started and settle it as the webhook would (the success page and
    the reconcile command). None for a session we did not start; when Stripe cannot be asked,
    nothing changes (the webhook still comes)."""
    online = db.session.scalar(select(OnlinePayment).where(OnlinePayment.session_id == session_id))
    if online is None:
        return None
    provider = get_provider()
    # Ask Stripe before taking the row lock: the lock is not held across the network call.
    session = provider.read_session(session_id) if hasattr(provider, "read_session") else None
    if session is not None and session.get("id") == session_id:
        online = locked_payment(session_id)
        settle_session(online, EXPIRED if session.get("status") == "expired" else COMPLETED, session)
    return online


def reconcile(commit, older_than: timedelta) -> Counter:
    """Settle every Checkout Session still pending after `older_than` from what Stripe says of it
    (for a lost webhook); commits after each. Returns how many ended paid, expired, ... or pending."""
    cutoff = utcnow().replace(tzinfo=None) - older_than
    session_ids = db.session.scalars(select(OnlinePayment.session_id).where(
        OnlinePayment.status == OnlinePaymentStatus.PENDING, OnlinePayment.created_at <= cutoff)
        .order_by(OnlinePayment.id)).all()
    outcomes = Counter()
    for session_id in session_ids:
        online = settle_from_stripe(session_id)
        commit()
        outcomes[online.status.value] += 1
    return outcomes


def handle_event(event_id: str, event_type: str, session: dict) -> str:
    """Apply one Checkout Session event once; returns what happened (see `settle_session`), or
    "duplicate", "unknown" (a session we did not start) or "ignored" (another kind of event).

    The event's id is written first: a second delivery finds it and changes nothing; a concurrent
    one fails on the unique id (IntegrityError, for the caller). Flushes, never commits.
    """
    session_id = session.get("id")
    if event_type not in HANDLED_EVENTS or not is_stripe_id(session_id):
        return "ignored"
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event_id)) is not None:
        log.info("Stripe event %s was handled before", event_id)
        return "duplicate"
    event = PaymentEvent(event_id=event_id, event_type=event_type, session_id=session_id, received_at=utcnow())
    db.session.add(event)
    db.session.flush()
    online = locked_payment(session_id)
    if online is None:
        log.warning("Stripe event %s (%s) for an unknown Checkout Session %s", event_id, event_type, session_id)
        event.outcome = "unknown"
    else:
        event.outcome = settle_session(online, event_type, session, event_id)
    db.session.flush()
    return event.outcome
