"""Online payments for any kind of sale, and the Stripe events already handled."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.extensions import db
from workshop.models import enum_column
from workshop.timeutil import utcnow


class OnlinePaymentStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"


#: A payment in one of these states is settled: no later event changes it (events may come out of order).
SETTLED = (OnlinePaymentStatus.PAID, OnlinePaymentStatus.FAILED, OnlinePaymentStatus.EXPIRED)


class OnlinePayment(db.Model):
    """A Stripe Checkout Session for something payable, named neutrally by its kind and id
    ("repair_ticket" 12); the webhook or the success page settles it and the kind fulfils it."""

    __tablename__ = "online_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    payable_kind: Mapped[str] = mapped_column(String(40))
    payable_id: Mapped[int]
    #: What the money is for: "full", later "deposit" or "balance" of an order.
    payment_kind: Mapped[str] = mapped_column(String(20), default="full")
    #: Stripe's Checkout Session id ("cs_...").
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    #: The page the customer pays on (Stripe's hosted Checkout).
    url: Mapped[str] = mapped_column(String(2048), default="")
    amount_ore: Mapped[int]
    status: Mapped[OnlinePaymentStatus] = mapped_column(
        enum_column(OnlinePaymentStatus), default=OnlinePaymentStatus.PENDING, index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    #: The Stripe event that settled it (empty when the success page did).
    event_id: Mapped[str | None] = mapped_column(String(255))
    #: Stripe's PaymentIntent ("pi_..."), known once paid: refunds and `charge.refunded` name it.
    payment_intent: Mapped[str | None] = mapped_column(String(255), index=True)

    __table_args__ = (
        CheckConstraint("amount_ore > 0", name="online_amount_positive"),
        Index("ix_online_payments_payable", "payable_kind", "payable_id"),
    )


class PaymentEvent(db.Model):
    """A Stripe event handled once: its unique id makes a repeated or concurrent delivery change nothing."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    session_id: Mapped[str] = mapped_column(String(255), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefundStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Refund(db.Model):
    """Money given back on an online payment (all or part), through Stripe, with the leader's reason.

    `charge.refunded` reconciles it; the idempotency key makes a repeated click one refund."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    online_payment_id: Mapped[int] = mapped_column(ForeignKey("online_payments.id"), index=True)
    amount_ore: Mapped[int]
    reason: Mapped[str] = mapped_column(String(300))
    #: Stripe's refund id ("re_..."); empty until Stripe has answered.
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), default=RefundStatus.PENDING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("amount_ore > 0", name="refund_amount_positive"),)
