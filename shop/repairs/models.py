"""The repairs' own table beside the tickets (which live in shop/models.py): a resident's request to
see her tickets, proved by a one-time code sent to her phone or e-mail."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.extensions import db
from workshop.timeutil import utcnow


class ResidentLookup(db.Model):
    """One "show me my tickets" request. Only hashes of its key and code are stored; it expires."""

    __tablename__ = "resident_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random key kept in her browser's session.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The phone number asked about (normalised, +45...): made, whether or not it has tickets.
    phone: Mapped[str] = mapped_column(String(16), index=True)
    #: HMAC-SHA256 of the code with the app's secret key and the request's key.
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    #: Wrong codes tried; at MAX_ATTEMPTS the request is spent.
    attempts: Mapped[int] = mapped_column(default=0)
    #: When the right code was typed; she then sees her tickets until `expires_at`.
    verified_at: Mapped[datetime | None]
