"""The throwaway database the in-process benchmarks build their data in (not `make bench-web`).

    with throwaway_app() as (app, url):   # inside the app's context, migrated to the head
        ...

The database is the first command-line argument, else a temporary SQLite file. A PostgreSQL database
is emptied first (DROP SCHEMA public), so its name must contain "bench" or "test". The pages' kept
parts (workshop/fragments.py) are off: a benchmark times drawing a page, not reading a kept copy.
"""
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from workshop import create_app
from workshop.extensions import db


@contextmanager
def throwaway_app() -> Iterator[tuple[Flask, str]]:
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{folder}/bench.sqlite3"
        if url.startswith("postgresql"):
            _empty(url)
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_FRAGMENT_SECONDS": 0})
        with app.app_context():
            upgrade()
            try:
                yield app, url
            finally:
                db.engine.dispose()


def backend_name(url: str) -> str:
    return make_url(url).get_backend_name()


def _empty(url: str) -> None:
    name = make_url(url).database or ""
    if "bench" not in name and "test" not in name:
        sys.exit(f"refusing to empty database {name!r}: its name must contain 'bench' or 'test'")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
