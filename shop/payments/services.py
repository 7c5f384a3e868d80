"""Payment providers. At the counter, cash, card terminal and MobilePay are recorded, not processed.

A provider has `name`, `methods` and `record(method, amount_ore, reference)`. The offline
provider is the default. When STRIPE_SECRET_KEY is configured, `StripeCheckoutProvider` is used:
the counter methods still work, and `start_checkout` makes a Stripe Checkout Session the resident
pays on her phone; Stripe's webhook (shop/payments/views.py) then records the payment and collects.
"""
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db

from ..models import OnlinePayment, OnlinePaymentStatus, PaymentMethod, RepairTicket, TicketStatus

log = logging.getLogger(__name__)

#: Stripe refuses card payments under 2,50 kr.
STRIPE_MINIMUM_ORE = 250

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

    @staticmethod
    def idempotency_key(ticket: RepairTicket, amount_ore: int, attempt: int = 0) -> str:
        """The same ticket, amount and attempt always give the same key: a double click makes one session."""
        raw = f"stitchwork|repair|{ticket.id}|{ticket.number}|{amount_ore}|{attempt}"
        return "checkout-" + hashlib.sha256(raw.encode()).hexdigest()[:40]

    def start_checkout(self, ticket: RepairTicket, amount_ore: int, success_url: str, cancel_url: str,
                       attempt: int = 0) -> tuple[str, str]:
        """Create a Checkout Session for the ticket; returns (session id, the page to pay on)."""
        params = {
            "mode": "payment",
            "line_items": [{
                "quantity": 1,
                "price_data": {"currency": "dkk", "unit_amount": amount_ore,
                               "product_data": {"name": f"Reparation {ticket.number}"}},
            }],
            "client_reference_id": str(ticket.id),
            "metadata": {"ticket_id": str(ticket.id), "ticket_number": ticket.number},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": self.idempotency_key(ticket, amount_ore, attempt)})
        except self._stripe.StripeError as error:
            log.warning("Stripe Checkout Session for %s failed: %s", ticket.number, error)
            raise DomainError(_l("Online payment does not work right now. Take the payment at the counter.")) \
                from None
        return session.id, session.url


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


def pending_online_payment(ticket: RepairTicket) -> OnlinePayment | None:
    return db.session.scalar(select(OnlinePayment).where(
        OnlinePayment.ticket_id == ticket.id, OnlinePayment.status == OnlinePaymentStatus.PENDING)
        .order_by(OnlinePayment.id.desc()).limit(1))


def latest_online_payment(ticket: RepairTicket) -> OnlinePayment | None:
    return db.session.scalar(select(OnlinePayment).where(OnlinePayment.ticket_id == ticket.id)
                             .order_by(OnlinePayment.id.desc()).limit(1))


def start_online_payment(ticket: RepairTicket, actor, success_url: str, cancel_url: str) -> OnlinePayment:
    """The desk asks for online payment of a ready ticket: one pending Checkout Session per ticket and amount.

    A pending session for the same amount is reused; otherwise Stripe is asked, with an idempotency
    key from the ticket, the amount and the number of earlier expired sessions.
    """
    if ticket.status != TicketStatus.READY:
        raise DomainError(_l("Only a ticket that is ready can be collected."))
    provider = get_provider()
    if not online_payment_enabled():
        raise DomainError(_l("Online payment is not set up."))
    amount = ticket.total_ore
    if amount < STRIPE_MINIMUM_ORE:
        raise DomainError(_l("The amount is too small to pay online. Take the payment at the counter."))
    pending = pending_online_payment(ticket)
    if pending is not None and pending.amount_ore == amount:
        return pending
    attempt = db.session.scalar(select(func.count()).select_from(OnlinePayment).where(
        OnlinePayment.ticket_id == ticket.id, OnlinePayment.amount_ore == amount))
    session_id, url = provider.start_checkout(ticket, amount, success_url, cancel_url, attempt=attempt)
    existing = db.session.scalar(select(OnlinePayment).where(OnlinePayment.session_id == session_id))
    if existing is not None:
        return existing
    payment = OnlinePayment(ticket_id=ticket.id, session_id=session_id, url=url or "", amount_ore=amount,
                            started_by_id=getattr(actor, "id", None))
    db.session.add(payment)
    db.session.flush()
    return payment


def counter_methods() -> list[tuple[str, str]]:
    return [(method.value, str(METHOD_LABELS[method])) for method in get_provider().methods]
