import pytest

from workshop import create_app
from workshop.config import ConfigError


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
    from workshop.config import build_config

    first = build_config(str(tmp_path))["SECRET_KEY"]
    second = build_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_selects_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    from workshop.config import build_config

    assert build_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg")


def test_number_settings_come_from_the_environment_and_bad_ones_stop_the_start(monkeypatch, tmp_path):
    from workshop.config import build_config

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
        with pytest.raises(ConfigError, match="PLANNER_BREAK_MINUTES must be a positive number"):
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
