"""API tokens: create, list, revoke, and find the user a request's token belongs to.

Services flush, never commit; the view or command commits once.
"""
import hashlib
import hmac
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import utcnow

from .models import ApiToken

#: Who may hold a token: the roles the API has something for.
TOKEN_ROLES = (Role.CUSTOMER, Role.LEADER)
#: Tokens start with this, so a leaked one is easy to recognise in logs and code.
TOKEN_PREFIX = "sw_"
TOKEN_BYTES = 32  # 256 bits
#: A user keeps at most this many tokens that work.
MAX_ACTIVE_TOKENS = 10
MAX_NAME_LENGTH = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def user_tokens(user: User) -> list[ApiToken]:
    """Her tokens, the working ones first, newest first."""
    query = (select(ApiToken).where(ApiToken.user_id == user.id)
             .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()))
    return list(db.session.scalars(query))


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: (the stored row, the token itself - shown to her once, never stored)."""
    if user.role not in TOKEN_ROLES or not user.is_active:
        raise DomainError(_l("Only business customers and leaders can have API tokens."))
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise DomainError(_l("Give the token a name of at most %(count)d characters.", count=MAX_NAME_LENGTH),
                          field="name")
    active = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) or 0
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(_l("You have %(count)d tokens. Revoke one you no longer use first.",
                             count=MAX_ACTIVE_TOKENS))
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=hash_token(token))
    db.session.add(row)
    db.session.flush()
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of her own tokens (another user's id is NotFound). Revoking twice changes nothing."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_l("No such token."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()
    return row


def user_for_token(token: str | None) -> User | None:
    """The active user a working token belongs to; None for anything else."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    wanted = hash_token(token)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == wanted))
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    user = row.user
    return user if user.is_active and user.role in TOKEN_ROLES else None


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None when there is none."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None
