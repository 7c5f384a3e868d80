"""Who buys: business customers, and the repair price list residents choose from."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
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
    #: The customer's login, if they order online.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


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
