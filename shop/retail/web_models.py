"""Web orders: what a buyer reserved in the webshop, how she pays, and where she collects it.

A web order holds the items it reserved in the stock (`stock.reserve`) until it is paid, collected or
released. Its `status` is changed only by a conditional UPDATE from the state it is expected in
(see webshop.py), so a lapse, an expired Checkout Session and a payment racing each other end in one
release or one sale, never both. Maker consents say whose name may stand on a product page.
"""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from production.models import Product, ProductVariant
from staffing.models import Person
from workshop.extensions import db
from workshop.models import Site, User, enum_column
from workshop.timeutil import utcnow

from .models import Sale, SalePaymentMethod


class WebOrderStatus(enum.StrEnum):
    #: Stripe Checkout started; the items are reserved until `reserved_until`.
    AWAITING_PAYMENT = "awaiting_payment"
    #: Paid online, or to be paid at pick-up: the workshop packs it.
    OPEN = "open"
    PACKED = "packed"
    COLLECTED = "collected"
    SHIPPED = "shipped"
    #: The reservation was given back (lapsed, Checkout Session expired, not collected in time, or
    #: cancelled by staff).
    RELEASED = "released"
    #: Paid online after its reservation was given back, and the items were no longer in stock: staff
    #: reserve them again when they are in stock, or give the money back.
    PAID_LAPSED = "paid_lapsed"
    #: Paid after its reservation lapsed and the money given back in full.
    REFUNDED = "refunded"


class WebPayment(enum.StrEnum):
    STRIPE = "stripe"
    AT_PICKUP = "at_pickup"


class WebOrder(db.Model):
    """One checkout in the webshop: the buyer, the pick-up site, the reserved lines and, once paid, the receipt."""

    __tablename__ = "web_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    #: SHA-256 (hex) of the unguessable key of the buyer's order page (secrets.token_urlsafe(24), 192 bits);
    #: the key itself is only in her e-mail and her browser.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[WebOrderStatus] = mapped_column(enum_column(WebOrderStatus), index=True)
    payment: Mapped[WebPayment] = mapped_column(enum_column(WebPayment))
    buyer_name: Mapped[str] = mapped_column(String(120))
    buyer_email: Mapped[str] = mapped_column(String(254))
    buyer_phone: Mapped[str] = mapped_column(String(40))
    #: The language she shopped in: every e-mail to her is written in it.
    locale: Mapped[str] = mapped_column(String(5), default="da", server_default="da")
    #: The sum of the lines, øre including VAT.
    total_ore: Mapped[int]
    #: Until when the reservation holds while waiting for an online payment (None: until collected).
    reserved_until: Mapped[datetime | None] = mapped_column(index=True)
    #: The receipt, once paid (online, or at pick-up when collected).
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))
    #: How she paid at pick-up (None until then, or when she paid online).
    paid_at_pickup_with: Mapped[SalePaymentMethod | None] = mapped_column(enum_column(SalePaymentMethod))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the status last changed.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    site: Mapped[Site] = relationship()
    sale: Mapped[Sale | None] = relationship()
    lines: Mapped[list["WebOrderLine"]] = relationship(back_populates="order", order_by="WebOrderLine.id",
                                                      cascade="all, delete-orphan")

    __table_args__ = (CheckConstraint("total_ore > 0", name="web_order_total_positive"),)

    #: The key of the order page, on the object that placed the order only (never stored).
    token = None

    @property
    def number(self) -> str:
        return f"W-{self.id}"


class WebOrderLine(db.Model):
    """Items of one product (variant) in a web order, at the shelf price when it was ordered."""

    __tablename__ = "web_order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("web_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    quantity: Mapped[int]
    unit_price_ore: Mapped[int]

    order: Mapped[WebOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()

    __table_args__ = (CheckConstraint("quantity > 0", name="web_line_quantity_positive"),)

    @property
    def total_ore(self) -> int:
        return self.quantity * self.unit_price_ore


class MakerConsent(db.Model):
    """A maker's written consent to have her name on the products she made; revocable."""

    __tablename__ = "maker_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    given_on: Mapped[date]
    #: The day she took it back; None while it holds.
    revoked_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_maker_consents_active", "person_id", "revoked_on"),)
