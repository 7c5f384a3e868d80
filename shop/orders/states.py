"""An order's states and the one place its status changes.

`change_status` allows the legal moves only and writes a history row (who, when, from, to).
Services flush, never commit; the request or command commits once.
"""
from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User

from .models import Order, OrderStatus, OrderStatusChange

S = OrderStatus

#: Legal order moves; anything else is refused.
TRANSITIONS: dict[OrderStatus, set[OrderStatus]] = {
    S.REQUESTED: {S.QUOTED, S.DECLINED, S.CANCELLED},
    # A new quote version keeps the order quoted (quoted -> quoted is a re-quote).
    S.QUOTED: {S.QUOTED, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CANCELLED},
    # An expired quote can be renewed with a new version.
    S.EXPIRED: {S.QUOTED, S.CANCELLED},
    S.ACCEPTED: {S.IN_PRODUCTION, S.CANCELLED},
    S.IN_PRODUCTION: {S.READY, S.CANCELLED},
    # Ready again after a partial delivery needs nothing: delivered is the last delivery.
    S.READY: {S.DELIVERED, S.CANCELLED},
    S.DELIVERED: {S.PAID},
    S.PAID: set(),
    S.DECLINED: set(),
    S.CANCELLED: set(),
}

STATUS_LABELS = {
    S.REQUESTED: _l("Quote requested"),
    S.QUOTED: _l("Quote sent"),
    S.ACCEPTED: _l("Quote accepted"),
    S.IN_PRODUCTION: _l("In production"),
    S.READY: _l("Ready"),
    S.DELIVERED: _l("Delivered"),
    S.PAID: _l("Paid in full"),
    S.DECLINED: _l("Declined"),
    S.EXPIRED: _l("Quote expired"),
    S.CANCELLED: _l("Cancelled"),
}

#: The order's normal path, shown as its timeline.
HAPPY_PATH = (S.REQUESTED, S.QUOTED, S.ACCEPTED, S.IN_PRODUCTION, S.READY, S.DELIVERED, S.PAID)
OPEN_STATUSES = (S.REQUESTED, S.QUOTED, S.ACCEPTED, S.IN_PRODUCTION, S.READY, S.DELIVERED)
CLOSED_STATUSES = (S.PAID, S.DECLINED, S.EXPIRED, S.CANCELLED)


def can_change(order: Order, to: OrderStatus) -> bool:
    return to in TRANSITIONS[order.status]


def change_status(order: Order, to: OrderStatus, actor: User | None = None, note: str = "") -> Order:
    """Move the order to `to` if that is a legal move from where it is, and record it."""
    if not can_change(order, to):
        raise DomainError(_l("An order that is \"%(now)s\" cannot become \"%(to)s\".",
                             now=STATUS_LABELS[order.status], to=STATUS_LABELS[to]))
    before = order.status
    order.status = to
    actor_id = actor.id if actor is not None and getattr(actor, "is_authenticated", True) else None
    db.session.add(OrderStatusChange(order_id=order.id, by_user_id=actor_id, from_status=before.value,
                                     to_status=to.value, note=note[:300]))
    db.session.flush()
    return order
