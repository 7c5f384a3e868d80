"""Access rules: who may open which page, how long a login lasts, and input no view should see."""
import unicodedata
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, Request, Response, abort, current_app, g, render_template, request, session
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user, user_logged_in, user_logged_out

from .errors import NotFound
from .extensions import limiter, login_manager
from .models import Role
from .timeutil import utcnow


def role_required(*roles: Role):
    """Anonymous users go to the login page; other roles get 403."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def found_or_404(getter, *args):
    """What a service's getter finds, or a 404 when it raises NotFound (also for another site's ids)."""
    try:
        return getter(*args)
    except NotFound:
        abort(404)


# --- Where to go after login or a language change ------------------------------------------------


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirect).

    Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so
    `/<TAB>/evil.example` would open evil.example: any control character, space or backslash
    refuses the target outright, and what is left must be a path without a scheme or host.
    """
    if not target or any(unicodedata.category(char)[0] in "CZ" for char in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return target


# --- Sessions the server can end ----------------------------------------------------------------


def session_limits(role: Role) -> tuple[int, int]:
    """(idle, total) seconds a login may last. Leaders see health data: theirs end soonest."""
    config = current_app.config
    if role == Role.LEADER:
        return config["LEADER_IDLE_MINUTES"] * 60, config["LEADER_SESSION_HOURS"] * 3600
    total = config["SESSION_DAYS"] * 86400
    return total, total


def _now() -> int:
    return int(utcnow().timestamp())


@user_logged_in.connect
def _start_session_clock(_app, **_extra) -> None:
    session["login_at"] = session["seen_at"] = _now()


@user_logged_out.connect
def _stop_session_clock(_app, **_extra) -> None:
    session.pop("login_at", None)
    session.pop("seen_at", None)


def end_expired_session() -> None:
    """Before every request: log out a login that was idle or lasted too long for its role.

    The times live in the signed cookie, so a copied cookie ages like the original. (A session
    without them was not made by the login form, only by tests: its clock starts now.)
    """
    if not current_user.is_authenticated:
        return
    now = _now()
    idle_limit, total_limit = session_limits(current_user.role)
    if now - session.get("seen_at", now) > idle_limit or now - session.get("login_at", now) > total_limit:
        logout_user()
        return
    session.setdefault("login_at", now)
    session["seen_at"] = now


# --- Security headers on every response (Flask-Talisman, configured in app.py) -------------------

#: The Content-Security-Policy: only this site's own files, no inline script or style, no framing.
#: form-action names Stripe Checkout: a pay button posts to our server, which redirects there,
#: and browsers hold the redirect of a form's post to form-action too.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self' https://checkout.stripe.com",
}
#: Browser features no page of the app uses.
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "interest-cohort": "()"}


def talisman_options(config) -> dict:
    """Flask-Talisman's settings: HSTS only in production; cookies as config.py sets them."""
    return {
        "force_https": False,  # TLS ends at the reverse proxy, which redirects http to https
        "strict_transport_security": config["ENV_NAME"] == "production",
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "permissions_policy": PERMISSIONS_POLICY,
        "frame_options": "DENY",
        "referrer_policy": "same-origin",
        "session_cookie_secure": config["SESSION_COOKIE_SECURE"],
        "session_cookie_samesite": config["SESSION_COOKIE_SAMESITE"],
        "session_cookie_http_only": True,
        "x_content_type_options": True,
    }


def token_pages(blueprint: Blueprint) -> None:
    """Mark a blueprint whose pages are opened by a secret link (a ticket, a quote): see keep_pages_private."""
    blueprint.after_request(_mark_token_page)


def _mark_token_page(response: Response) -> Response:
    g.token_page = True
    return response


def keep_pages_private(response: Response) -> Response:
    """After every response (and after Talisman's headers): no copy of a personal page in any cache.

    A logged-in user's pages and the token pages are `no-store`; a token page also sends no Referer,
    so its secret link never leaves the site. Static files stay cacheable.
    """
    if request.endpoint == "static" or (request.endpoint or "").endswith(".static"):
        return response
    if g.get("token_page"):
        response.headers["Referrer-Policy"] = "no-referrer"
    if g.get("token_page") or current_user.is_authenticated:
        if "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store"
    return response


# --- Input the forms cannot read ----------------------------------------------------------------


class FormRequest(Request):
    """The app's request: a JSON body counts as JSON only for a view marked `takes_json`.

    Flask-WTF hands a JSON body to every form as its data, so `[1]` or `"s"` posted to any page
    (error pages too, whose layout has forms) was a 500. Forms read form fields only.
    """

    @property
    def is_json(self) -> bool:
        view = current_app.view_functions.get(self.endpoint) if self.endpoint else None
        return super().is_json and getattr(view, "takes_json", False)


def takes_json(view):
    """Mark a view that reads a JSON body."""
    view.takes_json = True
    return view


def refuse_nul_characters():
    """Before every request: a clear 400 for a NUL character in a form field, the query or the path.

    PostgreSQL cannot take NUL in text (a 500 where it reached the database); checked once, for every page.
    """
    path_values = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    if any("\x00" in value for value in path_values) or any(
            "\x00" in key or "\x00" in value
            for values in (request.args, request.form) for key, value in values.items(multi=True)):
        message = _("The form had a character that cannot be saved. Please remove it and try again.")
        return render_template("errors/400.html", message=message), 400
    return None


# --- Rate limit keys for the login form ----------------------------------------------------------
# Failed logins are counted three ways (successful ones cost nothing, see workshop/views.py):
# - per address and e-mail (LOGIN_RATE_LIMIT): someone guessing at one account. Trainees on the
#   workshop's shared Wi-Fi have one address but each her own e-mail, so they never share a count;
# - per e-mail from any address (LOGIN_ACCOUNT_RATE_LIMIT): one account cannot be guessed at from
#   many addresses (the price: someone can lock an account out for a while by failing on purpose);
# - per address for any e-mail (LOGIN_ADDRESS_RATE_LIMIT, higher): one address trying many accounts.
# The address is the client's, also behind a reverse proxy (TRUSTED_PROXIES, ProxyFix in app.py).


def _login_email() -> str:
    return request.form.get("email", "").strip().lower()[:254]


def login_address_and_email_key() -> str:
    return f"login-address-email:{get_remote_address()}:{_login_email()}"


def login_email_key() -> str:
    return f"login-email:{_login_email()}"


def login_address_key() -> str:
    return f"login-address:{get_remote_address()}"


def login_failed(response) -> bool:
    return response.status_code != 302


# --- Rate limit keys for the second login step and the password reset ------------------------------


def pending_login_key() -> str:
    """The account waiting for its two-factor code (her session token), else the address."""
    pending = session.get("pending_login") or {}
    return f"two-factor:{pending.get('token') or get_remote_address()}"


def two_factor_address_key() -> str:
    return f"two-factor-address:{get_remote_address()}"


def reset_email_key() -> str:
    return f"reset-email:{_login_email()}"


def reset_address_key() -> str:
    return f"reset-address:{get_remote_address()}"


def public_form_key() -> str:
    return f"public-form:{request.endpoint}:{get_remote_address()}"


def public_form_limit(view):
    """Limit a public form's posts per client address (PUBLIC_FORM_RATE_LIMIT): every form anyone can
    post without logging in has this or a limit of its own (tests/workshop/test_logging_in.py checks)."""
    return limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], key_func=public_form_key,
                         methods=["POST"])(view)
