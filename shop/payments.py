"""Payment providers. At the counter, cash, card terminal and MobilePay are recorded, not processed.

A provider has `name`, `methods` and `record(method, amount_ore, reference)`; the offline
provider is the only one built in. Stripe Checkout (online card payment) can be added as
another provider when STRIPE_SECRET_KEY is configured.
"""
import secrets
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError

from .models import PaymentMethod

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


def get_provider() -> PaymentProvider:
    """The configured provider (tests may put one in REPAIRS_PAYMENT_PROVIDER)."""
    return current_app.config.get("REPAIRS_PAYMENT_PROVIDER") or OfflineProvider()


def counter_methods() -> list[tuple[str, str]]:
    return [(method.value, str(METHOD_LABELS[method])) for method in get_provider().methods]
