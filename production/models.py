"""What the workshop makes and how: operations, products and their routings."""
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from staffing.models import Skill
from workshop.extensions import db
from workshop.models import BilingualName


class Operation(BilingualName, db.Model):
    """A kind of work (cut, sew, embroider, press, pack, a repair type...).

    Carries what it demands of body and mind, so the planner can match it
    against accommodations and skills. Org-wide reference data.
    """

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    #: Skill level 0-3 needed to do it unsupervised.
    min_skill_level: Mapped[int] = mapped_column(default=0)
    lift_kg: Mapped[int] = mapped_column(default=0)
    #: Continuous standing it needs, in minutes (0 = can be done seated).
    standing_minutes: Mapped[int] = mapped_column(default=0)
    #: 0 none, 1 some, 2 a lot.
    fine_motor: Mapped[int] = mapped_column(default=0)
    noisy: Mapped[bool] = mapped_column(default=False)
    #: 0 none, 1 some, 2 a lot.
    concentration: Mapped[int] = mapped_column(default=0)
    #: A Bootstrap icon name, shown as the operation's pictogram.
    pictogram: Mapped[str] = mapped_column(String(40), default="scissors")

    skill: Mapped[Skill] = relationship()

    __table_args__ = (CheckConstraint("min_skill_level BETWEEN 0 AND 3", name="min_skill_range"),)


class Product(BilingualName, db.Model):
    """Something the workshop makes: for a B2B order, for retail, or as a prototype."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    #: Material cost per unit, øre.
    material_cost_ore: Mapped[int] = mapped_column(default=0)
    #: List price per unit excl. VAT, øre (volume prices live in the shop).
    unit_price_ore: Mapped[int] = mapped_column(default=0)
    sold_in_retail: Mapped[bool] = mapped_column(default=False)
    is_prototype: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    routing: Mapped[list["RoutingStep"]] = relationship(
        back_populates="product", order_by="RoutingStep.position", cascade="all, delete-orphan"
    )


class RoutingStep(db.Model):
    """One operation in a product's routing, in order, with its standard time."""

    __tablename__ = "routing_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int]
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    #: Standard time per unit in seconds (a unit can take less than a minute).
    seconds_per_unit: Mapped[int]
    setup_minutes: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="routing")
    operation: Mapped[Operation] = relationship()

    __table_args__ = (
        UniqueConstraint("product_id", "position"),
        CheckConstraint("seconds_per_unit > 0", name="time_positive"),
    )
