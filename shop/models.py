"""Who buys: business customers, and the repair price list residents choose from."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from production.models import Operation
from workshop.extensions import db
from workshop.models import BilingualName, Site, User, enum_column
from workshop.timeutil import utcnow


class CustomerKind(enum.StrEnum):
    BUSINESS = "business"
    INSTITUTION = "institution"
    PRIVATE = "private"


class Customer(db.Model):
    """A company, museum or designer that orders production."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CustomerKind] = mapped_column(enum_column(CustomerKind), default=CustomerKind.BUSINESS)
    company_name: Mapped[str] = mapped_column(String(160))
    #: Danish company registration number (CVR), 8 digits.
    cvr: Mapped[str] = mapped_column(String(8), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: EAN/GLN location number, 13 digits: public institutions receive invoices by it (NemHandel).
    ean: Mapped[str] = mapped_column(String(13), default="", server_default="")
    billing_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    delivery_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Invoiced without VAT (e.g. some public and charitable bodies).
    vat_exempt: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RepairType(BilingualName, db.Model):
    """A line on a site's repair price list (hem trousers, replace zip...)."""

    __tablename__ = "repair_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    price_ore: Mapped[int]
    standard_minutes: Mapped[int]
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    active: Mapped[bool] = mapped_column(default=True)

    site: Mapped[Site] = relationship()
    operation: Mapped[Operation] = relationship()

    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        CheckConstraint("price_ore >= 0", name="price_not_negative"),
        CheckConstraint("standard_minutes > 0", name="minutes_positive"),
    )


# --- Clothing repairs booked with a QR ticket ------------------------------------------------


class GarmentKind(enum.StrEnum):
    TROUSERS = "trousers"
    JACKET = "jacket"
    DRESS = "dress"
    SHIRT = "shirt"
    SKIRT = "skirt"
    OTHER = "other"


class TicketStatus(enum.StrEnum):
    BOOKED = "booked"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CARD_TERMINAL = "card_terminal"
    MOBILEPAY = "mobilepay"
    STRIPE = "stripe"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class MessageChannel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


class DropOffSlot(db.Model):
    """A time window in which residents may hand in garments; `capacity` bookings at most."""

    __tablename__ = "drop_off_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    #: Naive UTC.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()

    __table_args__ = (
        UniqueConstraint("site_id", "starts_at"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class TicketCounter(db.Model):
    """The last ticket number used at a site; locked while a new number is taken."""

    __tablename__ = "repair_ticket_counters"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class RepairTicket(db.Model):
    """A resident's repair booking, from booking to pick-up."""

    __tablename__ = "repair_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    #: Per-site running number; `number` is what people read ("G-0142").
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(20))
    #: The unguessable key of the public ticket page (secrets.token_urlsafe(24), 192 bits).
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: The booking form's one-time key: a resent form finds this ticket instead of making a second.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), default=TicketStatus.BOOKED, index=True)
    garment: Mapped[GarmentKind] = mapped_column(enum_column(GarmentKind))
    customer_name: Mapped[str] = mapped_column(String(80))
    #: Normalised Danish number, "+4512345678".
    phone: Mapped[str] = mapped_column(String(16), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    #: The language the resident booked in; messages are written in it.
    locale: Mapped[str] = mapped_column(String(8), default="da")
    consent_at: Mapped[datetime]
    #: Who asked the resident for consent at the counter; None when she gave it herself on the booking page.
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Brought in without a booking: created and received at the desk, with no drop-off slot.
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("drop_off_slots.id"), index=True)
    total_ore: Mapped[int]
    damage_note: Mapped[str] = mapped_column(String(300), default="")
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    last_reminder_at: Mapped[datetime | None]

    site: Mapped[Site] = relationship()
    slot: Mapped[DropOffSlot | None] = relationship()
    consent_by: Mapped[User | None] = relationship()
    lines: Mapped[list["RepairTicketLine"]] = relationship(
        back_populates="ticket", order_by="RepairTicketLine.id", cascade="all, delete-orphan"
    )
    history: Mapped[list["RepairTicketStatusChange"]] = relationship(order_by="RepairTicketStatusChange.id")
    payments: Mapped[list["RepairPayment"]] = relationship(order_by="RepairPayment.id")

    __table_args__ = (
        UniqueConstraint("site_id", "sequence"),
        UniqueConstraint("site_id", "number"),
        CheckConstraint("total_ore >= 0", name="total_not_negative"),
    )


class RepairTicketLine(db.Model):
    """One repair on a ticket; name, price and minutes are copied from the price list when booked."""

    __tablename__ = "repair_ticket_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("repair_tickets.id"), index=True)
    repair_type_id: Mapped[int] = mapped_column(ForeignKey("repair_types.id"))
    price_ore: Mapped[int]
    standard_minutes: Mapped[int]

    ticket: Mapped[RepairTicket] = relationship(back_populates="lines")
    repair_type: Mapped[RepairType] = relationship()


class RepairTicketStatusChange(db.Model):
    """Audit trail of a ticket: who changed the status, when, from what to what."""

    __tablename__ = "repair_ticket_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("repair_tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")

    by_user: Mapped[User | None] = relationship()


class RepairPayment(db.Model):
    """A payment recorded at pick-up (cash, card terminal, MobilePay are recorded, not processed)."""

    __tablename__ = "repair_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("repair_tickets.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount_ore: Mapped[int]
    provider: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("amount_ore >= 0", name="amount_not_negative"),)


class OutboxMessage(db.Model):
    """A message to a resident, written in the same transaction as the change it tells about.

    A separate step (`flask outbox send`) delivers pending messages at least once.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for a message that belongs to no workshop (an invitation to a company's colleague).
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("repair_tickets.id"), index=True)
    #: An invoice whose PDF goes with the e-mail (the sender renders it when sending).
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    #: What happened: "ticket_booked", "ticket_received" (a walk-in), "ticket_ready", "pickup_reminder".
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[MessageChannel] = mapped_column(enum_column(MessageChannel))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(String(2000))
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.PENDING,
                                                  index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
