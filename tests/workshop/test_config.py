import re
import sys
import types

import pytest

from workshop import create_app
from workshop.config import PROJECT_ROOT, SETTINGS, ConfigError, build_config


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("STITCHWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "change-me")
    with pytest.raises(ConfigError):
        create_app()
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_a_real_key_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("STITCHWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_local_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("STITCHWORK_ENV", raising=False)
    first = build_config(str(tmp_path))["SECRET_KEY"]
    second = build_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_selects_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

    assert build_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg")


def test_number_settings_come_from_the_environment_and_bad_ones_stop_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("PRODUCTION_MAX_BATCH_MINUTES", "90")
    monkeypatch.setenv("PLANNER_SECONDS", "2.5")
    config = build_config(str(tmp_path))
    assert (config["PRODUCTION_MAX_BATCH_MINUTES"], config["PLANNER_SECONDS"]) == (90, 2.5)
    for bad in ("0", "-5", "many"):
        monkeypatch.setenv("PLANNER_SECONDS", bad)
        with pytest.raises(ConfigError, match="PLANNER_SECONDS must be a positive number"):
            build_config(str(tmp_path))


def test_break_length_comes_from_the_environment_and_a_bad_one_stops_the_start(monkeypatch, tmp_path):
    from workshop.config import build_config

    assert build_config(str(tmp_path))["PLANNER_BREAK_MINUTES"] == 15
    monkeypatch.setenv("PLANNER_BREAK_MINUTES", "10")
    assert build_config(str(tmp_path))["PLANNER_BREAK_MINUTES"] == 10
    for bad in ("0", "-5", "7.5", "long"):
        monkeypatch.setenv("PLANNER_BREAK_MINUTES", bad)
        with pytest.raises(ConfigError, match="PLANNER_BREAK_MINUTES must be a whole number"):
            build_config(str(tmp_path))


def test_server_errors_show_no_traceback_and_a_calm_message():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t" * 32})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret detail" not in page and "Traceback" not in page
    assert "Intet blev gemt" in page


def test_database_sessions_speak_utc(app):
    from sqlalchemy import text

    from workshop.extensions import db

    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("SQLite has no session time zone: it stores what it is given (UTC)")
    assert db.session.scalar(text("SHOW timezone")) == "UTC"


# --- Every setting from the environment, in one place ------------------------------------------


def _readme_configuration_variables() -> list[str]:
    """The first column of the table "| variable | default | meaning |" in README.md, one variable a row."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n| variable | default | meaning |\n|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    first_cells = [row.split("|")[1].strip() for row in table.splitlines()]
    assert all(re.fullmatch(r"`[A-Z][A-Z0-9_]*`", cell) for cell in first_cells), first_cells
    return [cell.strip("`") for cell in first_cells]


class RecordingEnvironment(dict):
    """An environment that remembers which variables were looked up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)


def test_the_readme_table_lists_exactly_the_variables_build_config_reads(tmp_path):
    documented = _readme_configuration_variables()
    assert len(documented) == len(set(documented)), "a variable has two rows"
    environment = RecordingEnvironment()
    build_config(str(tmp_path), environment)
    assert environment.read == {setting.name for setting in SETTINGS}
    assert set(documented) == environment.read


def test_no_other_module_reads_the_environment():
    readers = []
    for package in ("workshop", "staffing", "production", "shop"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            if path != PROJECT_ROOT / "workshop" / "config.py" and re.search(
                    r"os\.environ|getenv\(", path.read_text(encoding="utf-8")):
                readers.append(str(path.relative_to(PROJECT_ROOT)))
    assert readers == [], "read settings in workshop/config.py (SETTINGS), not here"


def test_defaults_without_any_environment_are_the_documented_ones(tmp_path):
    config = build_config(str(tmp_path), {})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'stitchwork.sqlite3'}"
    assert config["REPAIRS_OUTBOX_LOG"] == str(tmp_path / "outbox.log")
    assert config["RATELIMIT_STORAGE_URI"] == "memory://" and config["ENV_NAME"] == "development"
    assert {name: config[name] for name in (
        "PUBLIC_BASE_URL", "LOGIN_RATE_LIMIT", "PLANNER_SECONDS", "PLANNER_WAGE_SHARE_PERCENT",
        "PRODUCTION_MAX_BATCH_MINUTES", "STRIPE_SECRET_KEY", "STRIPE_API_BASE", "REPAIRS_BOOKING_RATE_LIMIT",
        "REPAIRS_DUE_DAYS", "REPAIRS_PICKUP_DAYS", "REPAIRS_TICKET_PAGE_DAYS", "REPAIRS_OUTBOX_MAX_ATTEMPTS",
        "REPAIRS_SMTP_HOST", "REPAIRS_SMTP_PORT", "REPAIRS_SMTP_FROM", "REPAIRS_SMTP_USERNAME",
        "REPAIRS_SMTP_STARTTLS", "REPAIRS_SMS_GATEWAY")} == {
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000", "LOGIN_RATE_LIMIT": "10 per minute", "PLANNER_SECONDS": 15,
        "PLANNER_WAGE_SHARE_PERCENT": 40, "PRODUCTION_MAX_BATCH_MINUTES": 120, "STRIPE_SECRET_KEY": None,
        "STRIPE_API_BASE": "https://api.stripe.com", "REPAIRS_BOOKING_RATE_LIMIT": "20 per hour",
        "REPAIRS_DUE_DAYS": 7, "REPAIRS_PICKUP_DAYS": 14, "REPAIRS_TICKET_PAGE_DAYS": 90,
        "REPAIRS_OUTBOX_MAX_ATTEMPTS": 5, "REPAIRS_SMTP_HOST": None, "REPAIRS_SMTP_PORT": 25,
        "REPAIRS_SMTP_FROM": "repairs@stitchwork.example", "REPAIRS_SMTP_USERNAME": None,
        "REPAIRS_SMTP_STARTTLS": False, "REPAIRS_SMS_GATEWAY": None}


def test_an_empty_variable_counts_as_not_set(tmp_path):
    config = build_config(str(tmp_path), {"REPAIRS_SMTP_HOST": "", "REPAIRS_DUE_DAYS": ""})
    assert config["REPAIRS_SMTP_HOST"] is None and config["REPAIRS_DUE_DAYS"] == 7


def test_values_are_converted(monkeypatch, tmp_path):
    gateway = types.ModuleType("fake_sms_gateway")
    gateway.send = lambda phone, text: None
    monkeypatch.setitem(sys.modules, "fake_sms_gateway", gateway)
    config = build_config(str(tmp_path), {
        "STITCHWORK_ENV": "production", "SECRET_KEY": "k" * 64, "REDIS_URL": "redis://cache:6379/0",
        "PUBLIC_BASE_URL": "https://syning.example/", "REPAIRS_DUE_DAYS": "0", "REPAIRS_SMTP_PORT": "587",
        "REPAIRS_SMTP_STARTTLS": "Yes", "REPAIRS_OUTBOX_MAX_ATTEMPTS": "2", "LOGIN_RATE_LIMIT": "5/minute; 50/day",
        "REPAIRS_SMS_GATEWAY": "fake_sms_gateway", "PLANNER_WAGE_SHARE_PERCENT": "100"})
    assert (config["ENV_NAME"], config["SESSION_COOKIE_SECURE"], config["RATELIMIT_STORAGE_URI"]) == \
        ("production", True, "redis://cache:6379/0")
    assert config["PUBLIC_BASE_URL"] == "https://syning.example"
    assert (config["REPAIRS_DUE_DAYS"], config["REPAIRS_SMTP_PORT"], config["REPAIRS_OUTBOX_MAX_ATTEMPTS"]) == (0, 587, 2)
    assert config["REPAIRS_SMTP_STARTTLS"] is True and config["REPAIRS_SMS_GATEWAY"] is gateway
    assert config["LOGIN_RATE_LIMIT"] == "5/minute; 50/day" and config["PLANNER_WAGE_SHARE_PERCENT"] == 100


@pytest.mark.parametrize("word, value", [("true", True), ("1", True), ("yes", True), ("ON", True),
                                         ("false", False), ("0", False), ("no", False), ("off", False)])
def test_flags_read_the_usual_words(tmp_path, word, value):
    assert build_config(str(tmp_path), {"REPAIRS_SMTP_STARTTLS": word})["REPAIRS_SMTP_STARTTLS"] is value


@pytest.mark.parametrize("name, bad, says", [
    ("STITCHWORK_ENV", "prod", "development or production"),
    ("DATABASE_URL", "not a database", "a database address"),
    ("REDIS_URL", "localhost:6379", "an address starting with redis://"),
    ("PUBLIC_BASE_URL", "syning.example", "an address starting with http:// or https://"),
    ("LOGIN_RATE_LIMIT", "ten a minute", "a rate limit"),
    ("REPAIRS_BOOKING_RATE_LIMIT", "20 per fortnight", "a rate limit"),
    ("PLANNER_SECONDS", "nan", "a positive number"),
    ("PLANNER_WAGE_SHARE_PERCENT", "140", "a whole number from 0 to 100"),
    ("PRODUCTION_MAX_BATCH_MINUTES", "0", "a whole number of at least 1"),
    ("STRIPE_API_BASE", "api.stripe.com", "an address starting with http://"),
    ("REPAIRS_DUE_DAYS", "seven", "a whole number of at least 0"),
    ("REPAIRS_DUE_DAYS", "-1", "a whole number of at least 0"),
    ("REPAIRS_PICKUP_DAYS", "0", "a whole number of at least 1"),
    ("REPAIRS_TICKET_PAGE_DAYS", "2.5", "a whole number of at least 0"),
    ("REPAIRS_OUTBOX_MAX_ATTEMPTS", "0", "a whole number of at least 1"),
    ("REPAIRS_SMTP_PORT", "70000", "a whole number from 1 to 65535"),
    ("REPAIRS_SMTP_FROM", "workshop", "an e-mail address"),
    ("REPAIRS_SMTP_STARTTLS", "maybe", "true or false"),
    ("REPAIRS_SMS_GATEWAY", "no_such_module.gateway", "the import path of an object with send(phone, text)"),
    ("REPAIRS_SMS_GATEWAY", "json", "it has no send()"),
])
def test_a_bad_value_stops_the_start_naming_the_variable_and_the_value(monkeypatch, name, bad, says):
    monkeypatch.setenv(name, bad)
    with pytest.raises(ConfigError) as refused:
        create_app()
    message = str(refused.value)
    assert message.startswith(f"{name} must be ") and says in message
    secret = next(setting for setting in SETTINGS if setting.name == name).secret
    assert (repr(bad) in message) != secret  # a secret's value is never repeated


def test_a_bad_password_like_value_is_not_repeated(tmp_path):
    with pytest.raises(ConfigError) as refused:
        build_config(str(tmp_path), {"DATABASE_URL": "postgresql://user:hunter2@host:port/db"})
    assert "hunter2" not in str(refused.value) and "DATABASE_URL" in str(refused.value)
