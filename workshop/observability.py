"""A request id on every request and log line; log lines as text or as JSON (`LOG_FORMAT`).

The id comes from the caller's `X-Request-ID` header when it is a sane token (a reverse proxy or
load balancer that already set one), else a new one; it goes back in the response's header, so a
complaint ("it failed at 10:14, id …") finds its log lines on whichever machine served it.
"""
import json
import logging
import re
import uuid

from flask import Flask, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
#: Where a request keeps its id (its WSGI environ).
REQUEST_ID_KEY = "stitchwork.request_id"
#: An incoming id is kept only if it looks like this (no spaces, no markup, no log injection).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: The name of the one handler this module puts on the root logger.
HANDLER_NAME = "stitchwork"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: The app's own loggers log from INFO up (others, e.g. SQLAlchemy's, keep their level).
APP_LOGGERS = ("workshop", "staffing", "production", "shop")


def request_id_from(incoming: str | None) -> str:
    """The caller's id if it is sane, else a new random one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    """This request's id, given on first use; "-" outside a request (CLI, workers)."""
    if not has_request_context():
        return "-"
    if REQUEST_ID_KEY not in request.environ:  # (not `g`: an app context may outlive a request)
        request.environ[REQUEST_ID_KEY] = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    return request.environ[REQUEST_ID_KEY]


def add_request_ids_to_records() -> None:
    """Every log record made from now on carries `request_id`, whichever handler writes it
    (a record factory, unlike a handler's filter, survives logging being configured again)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "adds_request_id", False):
        return

    def record_with_request_id(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(record_with_request_id)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"})


def configure_logging(log_format: str) -> logging.Handler:
    """One handler on the root logger (to stderr), made once per process and re-formatted after."""
    add_request_ids_to_records()
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.set_name(HANDLER_NAME)
        root.addHandler(handler)
    handler.setFormatter(formatter_for(log_format))
    for name in APP_LOGGERS:
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.INFO)
    return handler


def configure_request_ids(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        current_request_id()  # given before anything else of the request logs

    @app.after_request
    def send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response


def configure_observability(app: Flask) -> None:
    configure_logging(app.config["LOG_FORMAT"])
    configure_request_ids(app)
