"""/readyz, the request id and the log format."""
import json
import logging

import pytest

from workshop import readiness
from workshop.config import ConfigError, build_config
from workshop.observability import (
    HANDLER_NAME, REQUEST_ID_HEADER, JsonFormatter, configure_logging, request_id_from,
)

# --- /readyz ------------------------------------------------------------------------------------


def test_ready_when_the_database_answers_and_the_migrations_are_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "redis": "not configured", "migrations": "at head"}


def test_not_ready_says_which_check_failed(client, monkeypatch):
    def redis_down():
        raise readiness.NotReady("unreachable (ConnectionError)")

    monkeypatch.setitem(readiness.CHECKS, "redis", redis_down)
    response = client.get("/readyz")
    assert response.status_code == 503
    answers = response.get_json()
    assert answers["redis"] == "failed: unreachable (ConnectionError)"
    assert answers["database"] == "ok" and answers["migrations"] == "at head"


def test_migrations_behind_head_are_not_ready(client, monkeypatch):
    monkeypatch.setattr(readiness, "migration_heads", lambda: frozenset({"9999_future"}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["migrations"].startswith("failed: not at head")


def test_an_unreachable_redis_is_not_ready(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    monkeypatch.setattr(readiness, "REDIS_TIMEOUT", 0.2)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["redis"].startswith("failed: unreachable")
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no address in the answer


def test_a_reachable_redis_is_ready(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/13")  # as the planner's job tests
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["redis"] == "ok"


def test_the_readiness_check_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


# --- The request id -----------------------------------------------------------------------------


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz").headers[REQUEST_ID_HEADER]
    second = client.get("/login").headers[REQUEST_ID_HEADER]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={REQUEST_ID_HEADER: "lb-4f2a.9_x"})
    assert response.headers[REQUEST_ID_HEADER] == "lb-4f2a.9_x"


@pytest.mark.parametrize("incoming", ["", "a" * 65, "has space", "<script>", "line\nbreak", "æøå", "a/b"])
def test_an_odd_incoming_request_id_is_replaced(incoming):
    replaced = request_id_from(incoming)
    assert replaced != incoming and len(replaced) == 32


def test_an_error_page_carries_the_request_id_too(client):
    response = client.get("/no-such-page", headers={REQUEST_ID_HEADER: "abc123"})
    assert response.status_code == 404 and response.headers[REQUEST_ID_HEADER] == "abc123"


def test_log_lines_of_a_request_carry_its_id(app, caplog):
    with app.test_request_context("/", headers={REQUEST_ID_HEADER: "req-42"}):
        logging.getLogger("workshop.test").warning("something to see")
    handler = configure_logging("text")  # (an in-process migration's fileConfig drops the root's handlers)
    assert "-" == logging.getLogger("x").makeRecord("x", logging.INFO, "f", 1, "outside", (), None).request_id
    record = next(record for record in caplog.records if record.getMessage() == "something to see")
    assert record.request_id == "req-42"
    assert "[req-42] something to see" in handler.format(record)


# --- The log format -----------------------------------------------------------------------------


def _record(message: str) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "shop.test", "levelno": logging.WARNING, "levelname": "WARNING",
                                  "msg": message, "request_id": "-"})


def test_json_log_lines_are_one_object_each():
    line = JsonFormatter().format(_record('a "quoted"\nmessage'))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == 'a "quoted"\nmessage' and entry["level"] == "WARNING"
    assert entry["logger"] == "shop.test" and entry["request_id"] == "-"


def test_configuring_logging_twice_keeps_one_handler():
    try:
        configure_logging("json")
        handler = configure_logging("json")
        assert isinstance(handler.formatter, JsonFormatter)
        assert [h.get_name() for h in logging.getLogger().handlers].count(HANDLER_NAME) == 1
    finally:
        configure_logging("text")


def test_log_format_is_a_setting(tmp_path):
    assert build_config(str(tmp_path), {})["LOG_FORMAT"] == "text"
    assert build_config(str(tmp_path), {"LOG_FORMAT": "json"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        build_config(str(tmp_path), {"LOG_FORMAT": "xml"})
