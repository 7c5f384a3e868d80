"""API tokens: a user's keys for the JSON API, stored only as a hash."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models import User
from workshop.timeutil import utcnow


class ApiToken(db.Model):
    """One token of one user. The token itself is shown once; the server keeps its SHA-256 hash.

    A revoked token stays as a row (who made it, when it was revoked) but opens nothing.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: What the user calls it ("Our ERP"), to tell her tokens apart.
    name: Mapped[str] = mapped_column(String(60))
    #: The first characters of the token, shown in her list (not enough to use it).
    prefix: Mapped[str] = mapped_column(String(12))
    #: SHA-256 of the whole token, hex: a 256-bit random token needs no slow hash.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
