"""Who belongs to which company, registrations waiting for a leader, and invitations to colleagues.

The company itself is `shop.models.Customer` (the business customer a leader already keeps);
these tables add its users, a self-service registration and invitations by e-mail."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models import User, enum_column
from workshop.timeutil import utcnow

from ..models import Customer


class CompanyMember(db.Model):
    """A login that acts for a company; a login belongs to one company at most."""

    __tablename__ = "company_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    user: Mapped[User] = relationship()


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class CompanyRegistration(db.Model):
    """A company registered from the login page, waiting until a leader approves or declines it."""

    __tablename__ = "company_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The login she made while registering; she sees only that it waits until it is approved.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus),
                                                       default=RegistrationStatus.PENDING, index=True)
    company_name: Mapped[str] = mapped_column(String(160))
    cvr: Mapped[str] = mapped_column(String(8))
    ean: Mapped[str] = mapped_column(String(13), default="")
    billing_address: Mapped[str] = mapped_column(String(300))
    delivery_address: Mapped[str] = mapped_column(String(300), default="")
    vat_exempt: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The customer record it became, or was linked to, when approved.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    customer: Mapped[Customer | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class CompanyInvitation(db.Model):
    """An invitation for a colleague to join a company: single use, expiring.

    Only a hash of the link's random token is stored, so the table alone opens nothing."""

    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    #: SHA-256 of the token in the link, hex.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Naive UTC.
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer: Mapped[Customer] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
