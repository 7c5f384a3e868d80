"""Finished goods per site: every change is a recorded movement; the level row caches the sums.

`StockLevel.on_hand` is the sum of the on-hand movements and `reserved` the sum of the reservation
movements of its site, product and variant; both are changed only in the transaction that records
the movement (see `stock.py`), and a test checks them against the movements.
"""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
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
