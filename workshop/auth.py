"""Logging in safely: password changes and reset links, two-factor login (TOTP) with recovery codes.

Services flush; views commit. Times come from workshop/timeutil only.
"""
import base64
import hashlib
import io
import secrets
from datetime import timedelta

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from .errors import DomainError
from .extensions import db
from .mail import send_mail
from .models import PasswordReset, RecoveryCode, Role, Site, User
from .passwords import check_new_password
from .services import find_user_by_email, record_audit
from .timeutil import as_utc, utcnow

RECOVERY_CODE_COUNT = 10
#: The issuer an authenticator app shows beside the account.
TOTP_ISSUER = "Stitchwork"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- Passwords ---------------------------------------------------------------------------------


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Her new password, after the one she has now. Every other login of hers ends (a new session token)."""
    if not user.check_password(current_password or ""):
        raise DomainError(_l("That is not your current password."), field="current_password")
    user.set_password(check_new_password(new_password, user.email))
    record_audit(user, "user.password_changed", user)


def end_sessions_everywhere(user: User) -> None:
    """'Log out everywhere': every session cookie of hers, on any device, stops working."""
    user.end_sessions()
    record_audit(user, "user.logout_everywhere", user)


def request_password_reset(email: str) -> None:
    """E-mail a reset link to an active account with this address; nothing (and no hint) otherwise.

    The link works once, for PASSWORD_RESET_MINUTES; only its hash is stored. A new link makes
    the older ones useless."""
    user = find_user_by_email(email or "")
    if user is None or not user.is_active:
        return
    now = utcnow()
    _retire_resets(user, now)
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(PasswordReset(user_id=user.id, token_hash=_sha256(token), created_at=now,
                                 expires_at=now + timedelta(minutes=minutes)))
    url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/password/reset/{token}"
    with force_locale(user.locale or "da"):
        subject = _("Choose a new password")
        body = _("Someone asked for a new password for your login at the workshop. If it was you, open this "
                 "link and choose a new password: %(url)s The link works once, for %(minutes)d minutes. "
                 "If it was not you, do nothing: your password stays the same.", url=url, minutes=minutes)
    send_mail("password_reset", user.email, subject, body)
    record_audit(None, "user.password_reset_sent", user)


def _retire_resets(user: User, now) -> None:
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=now))


def valid_reset(token: str) -> PasswordReset:
    """The unused, unexpired reset of an active account this link names, or a DomainError."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _sha256(token or "")))
    if (reset is None or reset.used_at is not None or as_utc(reset.expires_at) <= utcnow()
            or not reset.user.is_active):
        raise DomainError(_l("This link does not work any more. Ask for a new one."))
    return reset


def reset_password(token: str, new_password: str) -> User:
    """Her new password by a reset link, which is then used up; every login of hers ends."""
    reset = valid_reset(token)
    user = reset.user
    user.set_password(check_new_password(new_password, user.email))
    _retire_resets(user, utcnow())
    record_audit(user, "user.password_reset", user)
    return user


# --- Two-factor login (TOTP) -------------------------------------------------------------------


def may_use_two_factor(user: User) -> bool:
    """Two-factor login is for leaders, who see health data."""
    return user.role == Role.LEADER


def must_enrol(user: User) -> bool:
    """A leader of a site that requires two-factor login who has not set it up yet."""
    return (may_use_two_factor(user) and not user.has_two_factor
            and user.site is not None and user.site.require_two_factor)


def set_two_factor_rule(site: Site, required: bool) -> Site:
    site.require_two_factor = bool(required)
    db.session.flush()
    return site


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_qr_data_uri(user: User, secret: str) -> str:
    """The QR code an authenticator app scans, as an SVG data: address for an <img> (nothing inline)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(uri)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _matching_step(secret: str, code: str) -> int | None:
    """The 30-second step whose code this is (the one before and after count too: clocks drift)."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def enable_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor login once she typed a code from her app; returns her recovery codes (shown once)."""
    if not may_use_two_factor(user):
        raise DomainError(_l("Two-factor login is for leaders."))
    step = _matching_step(secret, code)
    if step is None:
        raise DomainError(_l("That code is not right. Type the 6 digits your app shows now."), field="code")
    user.totp_secret, user.totp_last_step = secret, step
    codes = new_recovery_codes(user)
    record_audit(user, "user.two_factor_enabled", user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten new one-time codes (the old ones stop working); only their hashes are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _number in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_sha256(raw)))
    db.session.flush()
    return codes


def check_second_factor(user: User, code: str) -> bool:
    """True for a fresh code from her app or an unused recovery code (which is then used up)."""
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        user.totp_last_step = step
        record_audit(user, "user.login_second_factor", user)
        return True
    raw = "".join((code or "").split()).replace("-", "").lower()
    recovery = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _sha256(raw), RecoveryCode.used_at.is_(None)))
    if recovery is not None and user.totp_secret:
        recovery.used_at = utcnow()
        record_audit(user, "user.login_recovery_code", user)
        return True
    record_audit(user, "user.second_factor_failed", user)
    return False


def disable_two_factor(user: User, password: str) -> None:
    """Turn two-factor login off, with her password; not while her workshop requires it."""
    if not user.check_password(password or ""):
        raise DomainError(_l("That is not your current password."), field="password")
    if user.site is not None and user.site.require_two_factor:
        raise DomainError(_l("Your workshop requires two-factor login. It cannot be turned off."))
    user.totp_secret = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_audit(user, "user.two_factor_disabled", user)
