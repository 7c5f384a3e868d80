"""Readiness: may this process take requests? (`/readyz`; `/healthz` only says it is alive.)

Each check returns a short word for the answer, or raises NotReady saying what is wrong.
"""
from collections.abc import Callable
from functools import lru_cache

from alembic.script import ScriptDirectory
from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from .config import PROJECT_ROOT
from .extensions import db

#: Seconds to wait for Redis before the process counts as not ready.
REDIS_TIMEOUT = 2
#: Alembic's table of the database's revision (its default name).
VERSION_TABLE = "alembic_version"


class NotReady(Exception):
    """A check failed; the message says how (no secrets: no addresses, no passwords)."""


def check_database() -> str:
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        raise NotReady(f"unreachable ({type(error).__name__})") from None
    return "ok"


def check_redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        with Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT) as client:
            client.ping()
    except RedisError as error:
        raise NotReady(f"unreachable ({type(error).__name__})") from None
    return "ok"


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The head revisions of migrations/ (the files do not change while the process runs)."""
    return frozenset(ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads())


def database_revisions() -> frozenset[str]:
    """The revisions Alembic wrote into the database; none when it was never migrated."""
    try:
        return frozenset(db.session.scalars(db.text(f"SELECT version_num FROM {VERSION_TABLE}")))
    except SQLAlchemyError:
        db.session.rollback()
        return frozenset()


def check_migrations() -> str:
    current = database_revisions()
    if current != migration_heads():
        shown = ", ".join(sorted(current)) or "none"
        raise NotReady(f"not at head (database: {shown}; run flask db upgrade)")
    return "at head"


#: Every check /readyz runs, by the name it reports.
CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "migrations": check_migrations,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """(all checks pass, each check's answer or what is wrong)."""
    answers, ready = {}, True
    for name, check in CHECKS.items():
        try:
            answers[name] = check()
        except NotReady as problem:
            answers[name] = f"failed: {problem}"
            ready = False
    return ready, answers
