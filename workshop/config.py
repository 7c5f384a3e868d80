"""Configuration from environment variables, with safe local defaults.

`SETTINGS` is the one list of the environment variables the app reads: build_config()
reads each of them here (no other module reads the environment), converts and checks its
text, and refuses to start with a ConfigError that names the variable and the bad value.
README.md, "Configuration", has one row per setting (a test keeps the two alike).
"""
import os
import pkgutil
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from limits import parse_many
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Keys that must never protect a real deployment.
KNOWN_DEFAULT_KEYS = {"", "dev", "change-me", "secret", "changeme"}

#: The domain packages, lowest first. create_app() loads them by name, so the
#: core never imports upward (see README, "Architecture").
DOMAIN_PACKAGES = ("staffing", "production", "shop")


class ConfigError(RuntimeError):
    """The app refuses to start with this configuration."""


# --- Turning a variable's text into a value (raise ValueError saying what it must be) ---------


def text(raw: str) -> str:
    return raw


def whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    wanted = f"a whole number from {minimum} to {maximum}" if maximum is not None \
        else f"a whole number of at least {minimum}"

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(wanted) from None
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(wanted)
        return value

    return parse


def positive_number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not value > 0:  # also refuses "nan"
        raise ValueError("a positive number")
    return value


FLAG_WORDS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


def flag(raw: str) -> bool:
    try:
        return FLAG_WORDS[raw.strip().lower()]
    except KeyError:
        raise ValueError("true or false (also yes/no, 1/0)") from None


def rate_limit(raw: str) -> str:
    """A limit as Flask-Limiter reads it, e.g. "20 per hour" or "5/minute; 100/day"."""
    try:
        parse_many(raw)
    except ValueError:
        raise ValueError('a rate limit such as "20 per hour"') from None
    return raw


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(" or ".join(choices))
        return raw

    return parse


def web_address(raw: str) -> str:
    if not raw.startswith(("http://", "https://")) or len(raw) < len("http://x"):
        raise ValueError("an address starting with http:// or https://")
    return raw.rstrip("/")


def redis_address(raw: str) -> str:
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("an address starting with redis://, rediss:// or unix://")
    return raw


def database_address(raw: str) -> str:
    try:
        make_url(raw)
    except Exception:  # noqa: BLE001 - SQLAlchemy raises several kinds for a bad address
        raise ValueError("a database address such as postgresql+psycopg://user@host/db") from None
    return raw


def e_mail_address(raw: str) -> str:
    if "@" not in raw or " " in raw.strip():
        raise ValueError("an e-mail address")
    return raw.strip()


def sms_gateway(raw: str) -> object:
    """The object a dotted path names ("package.module:gateway" or "package.module.gateway");
    anything with a method send(phone, text), e.g. a module that defines send()."""
    try:
        gateway = pkgutil.resolve_name(raw)
    except (ImportError, AttributeError, ValueError) as error:
        raise ValueError(f"the import path of an object with send(phone, text) ({error})") from None
    if not callable(getattr(gateway, "send", None)):
        raise ValueError("the import path of an object with send(phone, text); it has no send()")
    return gateway


# --- The settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One environment variable: its default, how its text becomes a value, its app.config key."""

    name: str
    default: object
    parse: Callable[[str], object] = text
    #: The app.config key, when it is not the variable's name.
    key: str = ""
    #: Never repeat the value in an error message.
    secret: bool = False

    @property
    def config_key(self) -> str:
        return self.key or self.name

    def read(self, env: Mapping[str, str]) -> object:
        """The value from the environment (an empty variable counts as not set), or the default."""
        raw = env.get(self.name, "")
        if raw == "":
            return self.default
        try:
            return self.parse(raw)
        except ValueError as error:
            shown = "the value given" if self.secret else repr(raw)
            raise ConfigError(f"{self.name} must be {error}, not {shown}.") from None


#: Every environment variable the app reads. A default of None is filled in by build_config
#: (a file in the instance folder) or means "not used" (e.g. no SMTP host: no e-mail by SMTP).
SETTINGS = (
    Setting("STITCHWORK_ENV", "development", one_of("development", "production"), key="ENV_NAME"),
    Setting("SECRET_KEY", "", secret=True),
    Setting("DATABASE_URL", None, database_address, key="SQLALCHEMY_DATABASE_URI", secret=True),
    Setting("REDIS_URL", None, redis_address, secret=True),
    Setting("PUBLIC_BASE_URL", "http://127.0.0.1:5000", web_address),
    # Failed logins are limited three ways (see workshop/security.py, the rate limit keys).
    Setting("LOGIN_RATE_LIMIT", "10 per minute", rate_limit),
    Setting("LOGIN_ACCOUNT_RATE_LIMIT", "50 per hour", rate_limit),
    Setting("LOGIN_ADDRESS_RATE_LIMIT", "100 per hour", rate_limit),
    # Two-factor codes at the second login step, per account and per address (workshop/auth_views.py).
    Setting("TWO_FACTOR_RATE_LIMIT", "5 per 15 minutes", rate_limit),
    # Password reset links: how many asked for per address and per e-mail, and how long a link works.
    Setting("PASSWORD_RESET_RATE_LIMIT", "5 per hour", rate_limit),
    Setting("PASSWORD_RESET_MINUTES", 60, whole_number(5, 1440)),
    # Every other public form (company registration, joining a company, a quote's answer): per address.
    Setting("PUBLIC_FORM_RATE_LIMIT", "30 per hour", rate_limit),
    # How long a login lasts (workshop/security.py, end_expired_session): leaders see health
    # data, so theirs ends after idle minutes and at most a working day; others' after days.
    Setting("LEADER_IDLE_MINUTES", 30, whole_number(1)),
    Setting("LEADER_SESSION_HOURS", 12, whole_number(1)),
    Setting("SESSION_DAYS", 14, whole_number(1)),
    # How long personal data is kept (`flask --app workshop retention run`, nightly): a resident's name and
    # phone after her repair is closed; a trainee's logbook notes and accommodations after her last course
    # ends; audit entries.
    Setting("RETENTION_RESIDENT_DAYS", 30, whole_number(1, 3650)),
    Setting("RETENTION_HEALTH_DATA_YEARS", 5, whole_number(1, 50)),
    Setting("RETENTION_AUDIT_YEARS", 10, whole_number(1, 50)),
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
    Setting("TRUSTED_PROXIES", 0, whole_number(0, 5)),
    # Log lines as text or as one JSON object a line (workshop/observability.py); both carry the request id.
    Setting("LOG_FORMAT", "text", one_of("text", "json")),
    # How long the busy public pages' slowly-changing parts are kept rendered (workshop/fragments.py);
    # 0 renders them on every request.
    Setting("PUBLIC_FRAGMENT_SECONDS", 10, whole_number(0, 300)),
    Setting("PLANNER_SECONDS", 15.0, positive_number),
    Setting("PLANNER_BREAK_MINUTES", 15, whole_number(1)),
    Setting("PLANNER_WAGE_SHARE_PERCENT", 40, whole_number(0, 100)),
    Setting("PRODUCTION_MAX_BATCH_MINUTES", 120, whole_number(1)),
    Setting("STRIPE_SECRET_KEY", None, secret=True),
    Setting("STRIPE_WEBHOOK_SECRET", None, secret=True),
    Setting("STRIPE_API_BASE", "https://api.stripe.com", web_address),
    Setting("COMPANY_INVITATION_DAYS", 7, whole_number(1, 365)),
    Setting("INVOICE_REMINDER_DAYS", 7, whole_number(1, 365)),
    Setting("REPAIRS_BOOKING_RATE_LIMIT", "20 per hour", rate_limit),
    Setting("REPAIRS_DUE_DAYS", 7, whole_number(0)),
    Setting("REPAIRS_PICKUP_DAYS", 14, whole_number(1)),
    Setting("REPAIRS_TICKET_PAGE_DAYS", 90, whole_number(0)),
    Setting("REPAIRS_OUTBOX_LOG", None),
    Setting("REPAIRS_OUTBOX_MAX_ATTEMPTS", 5, whole_number(1)),
    Setting("REPAIRS_SMTP_HOST", None),
    Setting("REPAIRS_SMTP_PORT", 25, whole_number(1, 65535)),
    Setting("REPAIRS_SMTP_FROM", "repairs@stitchwork.example", e_mail_address),
    Setting("REPAIRS_SMTP_USERNAME", None),
    Setting("REPAIRS_SMTP_PASSWORD", None, secret=True),
    Setting("REPAIRS_SMTP_STARTTLS", False, flag),
    Setting("REPAIRS_SMS_GATEWAY", None, sms_gateway),
    Setting("RETAIL_RESERVATION_MINUTES", 30, whole_number(1, 24 * 60)),
    Setting("RETAIL_PICKUP_HOLD_DAYS", 7, whole_number(1, 365)),
)


def _translation_directories() -> str:
    packages = ("workshop",) + DOMAIN_PACKAGES
    return ";".join(str(PROJECT_ROOT / name / "translations") for name in packages)


def _local_secret_key(instance_path: Path) -> str:
    """Read, or create once, a random key kept in instance/ for local use."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_config(instance_path: str, env: Mapping[str, str] | None = None) -> dict:
    """The app's settings: each of SETTINGS from the environment (default: os.environ), then
    local defaults and the fixed settings of the extensions."""
    instance = Path(instance_path)
    settings = {setting.config_key: setting.read(os.environ if env is None else env) for setting in SETTINGS}
    is_production = settings["ENV_NAME"] == "production"
    if is_production and settings["SECRET_KEY"] in KNOWN_DEFAULT_KEYS:
        raise ConfigError("SECRET_KEY must be set to a long random value in production.")
    return {
        **settings,
        "SECRET_KEY": settings["SECRET_KEY"] or _local_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": settings["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{instance / 'stitchwork.sqlite3'}",
        "REPAIRS_OUTBOX_LOG": settings["REPAIRS_OUTBOX_LOG"] or str(instance / "outbox.log"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        # A __Host- cookie is only accepted over HTTPS, for this host and path /: no sub-domain can set it.
        "SESSION_COOKIE_NAME": "__Host-session" if is_production else "session",
        "REMEMBER_COOKIE_SECURE": is_production,
        # No session cookie is read once it is older than this, whatever it holds.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=settings["SESSION_DAYS"]),
        # A form is good for a working day: a tablet on the shop floor keeps a page open for hours.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "BABEL_TRANSLATION_DIRECTORIES": _translation_directories(),
        "LANGUAGES": {"da": "Dansk", "en": "English"},
        "BOOTSTRAP_SERVE_LOCAL": True,
        "RATELIMIT_STORAGE_URI": settings["REDIS_URL"] or "memory://",
        # Shared by every web process when there is a Redis; each process its own otherwise.
        "CACHE_TYPE": "RedisCache" if settings["REDIS_URL"] else "SimpleCache",
        "CACHE_REDIS_URL": settings["REDIS_URL"],
        "CACHE_KEY_PREFIX": "stitchwork:fragment:",
        "RATELIMIT_HEADERS_ENABLED": True,
        # A moving window: no burst of tries allowed just after a window resets.
        "RATELIMIT_STRATEGY": "moving-window",
        "DOMAIN_PACKAGES": DOMAIN_PACKAGES,
    }
