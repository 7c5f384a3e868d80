"""What can be paid online: each kind of sale registers how to price itself and how to fulfil.

Payments know nothing of tickets or orders. A kind ("repair_ticket", later "order" and
"retail_sale") gives a `Charge` for one of its things (the amount and line items, computed on
the server; a DomainError when it cannot be paid now), a `fulfil` that is called exactly once
when the money has arrived, and the page the payer goes back to.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import OnlinePayment


@dataclass(frozen=True)
class ChargeLine:
    name: str
    unit_amount_ore: int
    quantity: int = 1


@dataclass(frozen=True)
class Charge:
    """What a payable asks for now: its site, a label for Stripe and the lines to pay."""

    site_id: int
    label: str
    lines: tuple[ChargeLine, ...]
    #: When the Checkout Session must end (naive UTC, within `services.checkout_expiry`'s bounds);
    #: None: Stripe's default (24 hours).
    expires_at: datetime | None = None

    @property
    def amount_ore(self) -> int:
        return sum(line.unit_amount_ore * line.quantity for line in self.lines)


@dataclass(frozen=True)
class PayableKind:
    name: str
    #: (payable id, payment kind) -> the Charge; raises DomainError when it cannot be paid now.
    charge: Callable[[int, str], Charge]
    #: Called once, inside the transaction that marks the payment paid (flush, never commit).
    fulfil: Callable[[OnlinePayment], None]
    #: The payable's page on the public address, where the payer lands after paying or giving up.
    return_url: Callable[[int], str]
    #: Called when money of one of its payments has been refunded (the payment, the amount in øre);
    #: e.g. an order issues a credit note. None: nothing more to do than record the refund.
    refunded: Callable[[OnlinePayment, int], None] | None = None
    #: Called once when one of its Checkout Sessions expired unpaid (e.g. a web order gives back what
    #: it reserved). None: nothing more to do than record it.
    expired: Callable[[OnlinePayment], None] | None = None


_KINDS: dict[str, PayableKind] = {}


def register_payable(kind: PayableKind) -> None:
    _KINDS[kind.name] = kind


def payable_kind(name: str) -> PayableKind:
    """The registered kind; a KeyError for a name nobody registered (a programming error)."""
    return _KINDS[name]
