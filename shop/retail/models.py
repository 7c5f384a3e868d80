"""Finished goods per site: every change is a recorded movement; the level row caches the sums.

`StockLevel.on_hand` is the sum of the on-hand movements and `reserved` the sum of the reservation
movements of its site, product and variant; both are changed only in the transaction that records
the movement (see `stock.py`), and a test checks them against the movements.
"""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from production.models import Product, ProductVariant
from workshop.extensions import db
from workshop.models import Site, User, enum_column
from workshop.timeutil import utcnow


class MovementKind(enum.StrEnum):
    PRODUCED = "produced"
    SOLD = "sold"
    RESERVED = "reserved"
    RELEASED = "released"
    RETURNED = "returned"
    ADJUSTED = "adjusted"
    MOVED_IN = "moved_in"
    MOVED_OUT = "moved_out"


#: Kinds that change what is on the shelf; the others change what is promised to a buyer.
ON_HAND_KINDS = frozenset({MovementKind.PRODUCED, MovementKind.SOLD, MovementKind.RETURNED, MovementKind.ADJUSTED,
                           MovementKind.MOVED_IN, MovementKind.MOVED_OUT})
RESERVATION_KINDS = frozenset({MovementKind.RESERVED, MovementKind.RELEASED})


class StockMovement(db.Model):
    """One recorded event that moved finished goods at a site. Never changed, never deleted."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind))
    #: Signed: + adds to on hand (or to reserved), - takes away.
    quantity: Mapped[int]
    #: Why, in the leader's words (required for an adjustment).
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: A neutral pointer to what caused it, e.g. "work_order:12" or "receipt:2026-0042".
    reference: Mapped[str] = mapped_column(String(80), default="")
    #: The batch (restock work order) the goods came from, where known.
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()
    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        #: A finished restock work order adds its goods once, however often the signal comes.
        Index("uq_stock_movements_produced_once", "work_order_id", unique=True,
              sqlite_where=text("kind = 'produced'"), postgresql_where=text("kind = 'produced'")),
    )


class StockLevel(db.Model):
    """What a site has of a product (variant) now, cached, with the leader's restock levels."""

    __tablename__ = "stock_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    #: Sum of the on-hand movements.
    on_hand: Mapped[int] = mapped_column(default=0)
    #: Sum of the reservation movements: promised to buyers, still on the shelf.
    reserved: Mapped[int] = mapped_column(default=0)
    #: Below this (on hand plus what is in production) a restock is proposed; 0 = no proposals.
    min_level: Mapped[int] = mapped_column(default=0)
    #: A restock fills up to this.
    target_level: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site] = relationship()
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        CheckConstraint("min_level >= 0 AND target_level >= min_level", name="levels_in_order"),
        #: One row per site, product and variant; NULL variants are not equal in a UNIQUE, hence two indexes.
        Index("uq_stock_levels_variant", "site_id", "product_id", "variant_id", unique=True,
              sqlite_where=text("variant_id IS NOT NULL"), postgresql_where=text("variant_id IS NOT NULL")),
        Index("uq_stock_levels_no_variant", "site_id", "product_id", unique=True,
              sqlite_where=text("variant_id IS NULL"), postgresql_where=text("variant_id IS NULL")),
    )

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class SaleChannel(enum.StrEnum):
    WEB = "web"
    TILL = "till"


class SalePaymentMethod(enum.StrEnum):
    """How the buyer paid. Only Stripe is processed by the system; the others are recorded."""

    CASH = "cash"
    CARD_TERMINAL = "card_terminal"
    MOBILEPAY = "mobilepay"
    STRIPE = "stripe"


class SaleCounter(db.Model):
    """The last receipt number at a site: one unbroken sequence for sales and returns (bookkeeping).
    Locked while a number is taken, so two sales at once never share or skip one."""

    __tablename__ = "sale_counters"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Sale(db.Model):
    """One receipt: a retail sale, or a return against an earlier receipt (negative amounts).

    Amounts are øre including VAT, with the VAT beside them; never changed after it is written."""

    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    number: Mapped[int]
    channel: Mapped[SaleChannel] = mapped_column(enum_column(SaleChannel))
    payment_method: Mapped[SalePaymentMethod] = mapped_column(enum_column(SalePaymentMethod))
    total_ore: Mapped[int]
    vat_ore: Mapped[int]
    #: The receipt this one gives items back for; None for a sale.
    returns_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    #: Why the items came back (returns only).
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: A neutral pointer to what caused it, e.g. "web_order:12".
    reference: Mapped[str] = mapped_column(String(80), default="")
    #: The till's sell form that made it: the same form sent again finds this receipt.
    request_key: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    actor: Mapped[User | None] = relationship()
    lines: Mapped[list["SaleLine"]] = relationship(back_populates="sale", order_by="SaleLine.id",
                                                   cascade="all, delete-orphan")
    returns_sale: Mapped["Sale | None"] = relationship(remote_side=[id])

    __table_args__ = (
        Index("uq_sales_site_number", "site_id", "number", unique=True),
        Index("uq_sales_site_request_key", "site_id", "request_key", unique=True),
        Index("ix_sales_site_at", "site_id", "at"),
    )

    @property
    def is_return(self) -> bool:
        return self.returns_sale_id is not None


class SaleLine(db.Model):
    """Items of one product (variant) on a receipt, from one batch where known (quantity < 0 on a return)."""

    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    quantity: Mapped[int]
    #: The price of one item including VAT when it was sold, øre.
    unit_price_ore: Mapped[int]
    #: quantity x unit price, including VAT, øre (negative on a return).
    total_ore: Mapped[int]
    vat_ore: Mapped[int]
    #: The restock work order (batch) the items were made in, so revenue meets the hours that made it.
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    #: On a return: the line of the original receipt the items came back from.
    returns_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_lines.id"))

    sale: Mapped[Sale] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()

    __table_args__ = (CheckConstraint("quantity <> 0", name="sale_quantity_not_zero"),)


class TillDay(db.Model):
    """A closed day at a site's till: the Z report's figures frozen, the counted cash and the difference.

    A closed day cannot change: the till refuses sales and returns on it (see sales.py)."""

    __tablename__ = "till_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date]
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The change in the drawer when the day began, øre.
    float_ore: Mapped[int]
    #: Cash staff counted in the drawer at closing, øre.
    counted_cash_ore: Mapped[int]
    #: Float plus cash sales minus cash returns, øre.
    expected_cash_ore: Mapped[int]
    #: Counted minus expected: negative when cash is missing.
    difference_ore: Mapped[int]
    #: The day's figures as they were at closing (JSON: receipts, sales per payment method, returns, VAT).
    figures: Mapped[str] = mapped_column(Text)

    site: Mapped[Site] = relationship()
    closed_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("uq_till_days_site_day", "site_id", "day", unique=True),)
