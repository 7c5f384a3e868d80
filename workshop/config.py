"""Configuration from environment variables, with safe local defaults."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Keys that must never protect a real deployment.
KNOWN_DEFAULT_KEYS = {"", "dev", "change-me", "secret", "changeme"}

#: The domain packages, lowest first. create_app() loads them by name, so the
#: core never imports upward (see README, "Architecture").
DOMAIN_PACKAGES = ("staffing", "production", "shop")


class ConfigError(RuntimeError):
    """The app refuses to start with this configuration."""


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


def build_config(instance_path: str) -> dict:
    """The app's settings: environment first, then local defaults."""
    instance = Path(instance_path)
    env = os.environ
    is_production = env.get("STITCHWORK_ENV", "development") == "production"
    secret_key = env.get("SECRET_KEY", "")
    if is_production and secret_key in KNOWN_DEFAULT_KEYS:
        raise ConfigError("SECRET_KEY must be set to a long random value in production.")
    session_days = _positive(env, "SESSION_DAYS", 14, int)
    return {
        "ENV_NAME": "production" if is_production else "development",
        "SECRET_KEY": secret_key or _local_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{instance / 'stitchwork.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_SECURE": is_production,
        # How long a login lasts (workshop/security.py, end_expired_session): leaders see health
        # data, so theirs ends after idle minutes and at most a working day; others' after days.
        "LEADER_IDLE_MINUTES": _positive(env, "LEADER_IDLE_MINUTES", 30, int),
        "LEADER_SESSION_HOURS": _positive(env, "LEADER_SESSION_HOURS", 12, int),
        "SESSION_DAYS": session_days,
        # No session cookie is read once it is older than this, whatever it holds.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=session_days),
        # A form is good for a working day: a tablet on the shop floor keeps a page open for hours.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
        "TRUSTED_PROXIES": _positive(env, "TRUSTED_PROXIES", 0, int, zero_allowed=True),
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "BABEL_TRANSLATION_DIRECTORIES": _translation_directories(),
        "LANGUAGES": {"da": "Dansk", "en": "English"},
        "BOOTSTRAP_SERVE_LOCAL": True,
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A moving window: no burst of tries allowed just after a window resets.
        "RATELIMIT_STRATEGY": "moving-window",
        # Failed logins are limited three ways (see workshop/views.py, login):
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": env.get("LOGIN_ACCOUNT_RATE_LIMIT", "50 per hour"),
        "LOGIN_ADDRESS_RATE_LIMIT": env.get("LOGIN_ADDRESS_RATE_LIMIT", "100 per hour"),
        "REDIS_URL": env.get("REDIS_URL"),
        "STRIPE_SECRET_KEY": env.get("STRIPE_SECRET_KEY"),
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET"),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Production: the longest task a work order step is cut into (one work session).
        "PRODUCTION_MAX_BATCH_MINUTES": _positive(env, "PRODUCTION_MAX_BATCH_MINUTES", 120, int),
        # Planner: seconds the optimiser may search per site.
        "PLANNER_SECONDS": _positive(env, "PLANNER_SECONDS", 15, float),
        "DOMAIN_PACKAGES": DOMAIN_PACKAGES,
    }


def _positive(env, name: str, default, kind, zero_allowed: bool = False):
    """A positive number (or zero, when allowed) from the environment; a clear refusal to start when it is not one."""
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if value < 0 or (value == 0 and not zero_allowed):
        wanted = "zero or a positive number" if zero_allowed else "a positive number"
        raise ConfigError(f"{name} must be {wanted}, not {raw!r}.")
    return value
