"""Core tables: sites, users and the audit log."""
import enum
import secrets
from datetime import datetime

from flask_babel import get_locale
from flask_login import UserMixin
import sqlalchemy as sa
from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .timeutil import utcnow

#: The slow, salted hash for passwords (also for the stand-in checked when no account has the e-mail).
PASSWORD_HASH_METHOD = "scrypt"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum by its value as a plain string (portable, readable in SQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Role(enum.StrEnum):
    LEADER = "leader"
    STAFF = "staff"
    TRAINEE = "trainee"
    CUSTOMER = "customer"


class Site(db.Model):
    """One workshop of the organisation (e.g. Ishøj, Høje Gladsaxe)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short code used in URLs, ticket numbers and the CLI.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Course places the job centre has agreed to (15-20 in practice).
    capacity: Mapped[int] = mapped_column(default=15)
    address: Mapped[str] = mapped_column(String(200), default="")
    #: The workshop's CVR number, printed on its invoices.
    cvr: Mapped[str] = mapped_column(String(8), default="", server_default="")
    #: Bank registration number (4 digits) and account number, for payment by bank transfer.
    bank_reg_no: Mapped[str] = mapped_column(String(4), default="", server_default="")
    bank_account_no: Mapped[str] = mapped_column(String(10), default="", server_default="")
    #: Her leaders must log in with a code from an authenticator app too (two-factor login).
    require_two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When webshop buyers can pick up their orders, as the leader writes it ("Mon-Thu 10-15");
    #: empty: a general text is shown.
    pickup_hours: Mapped[str] = mapped_column(String(200), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"


class User(UserMixin, db.Model):
    """Someone who logs in. A trainee's personal data lives in staffing, not here."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    #: Preferred interface language ("da" or "en"); remembered across logins.
    locale: Mapped[str] = mapped_column(String(8), default="da")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What the session cookie names her by (Flask-Login's alternative id), not her id: a new
    #: token on logout, password change or deactivation makes every copy of an old cookie useless.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)

    #: The shared secret of her authenticator app (base32), once she confirmed it with a code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last 30-second step whose code she used: a code works once (no replay).
    totp_last_step: Mapped[int | None]

    site: Mapped[Site | None] = relationship()

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def get_id(self) -> str:
        return self.session_token

    def end_sessions(self) -> None:
        """Log her out everywhere: the session cookies that name the old token stop working."""
        self.session_token = new_session_token()

    @validates("is_active_account")
    def _end_sessions_when_deactivated(self, _key, active: bool) -> bool:
        if not active:
            self.end_sessions()
        return active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AlsoLeads(db.Model):
    """A leader who also leads a workshop besides her own (`User.site_id`, her home site).

    Only the impact figures read it (she sees every site she leads); the rest of the app scopes by her home site.
    """

    __tablename__ = "also_leads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()
    site: Mapped[Site] = relationship()


class RecoveryCode(db.Model):
    """A one-time code that replaces the authenticator app (she lost her phone). Only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: SHA-256 of the code (a code is 50 random bits: no slow hash needed).
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class PasswordReset(db.Model):
    """A link sent by e-mail to choose a new password: works once, for a short time. Only its hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """Who did or saw what, when. Written for every read of health data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    #: A dotted verb, e.g. "accommodations.read" or "user.login".
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()


class BilingualName:
    """Reference data (operations, products, repairs) named in Danish and English."""

    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")

    @property
    def name(self) -> str:
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.name_en:
            return self.name_en
        return self.name_da
