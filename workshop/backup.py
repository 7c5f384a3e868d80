"""Backing up and restoring the whole database, with a check that the copy is whole.

SQLite uses its online backup API (a consistent copy while the app runs); PostgreSQL uses pg_dump's
custom format and pg_restore (the client tools must match the server's major version). After a
restore the database is checked: SQLite's integrity check, the schema at the migrations' head, and
the number of rows in each table, printed for the person restoring.
"""
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, make_url, select, table

from .extensions import db
from .readiness import database_revisions, migration_heads

#: Tables whose rows say a database is in use: restoring over it needs --force.
IN_USE_TABLES = ("users", "sites")


class BackupError(Exception):
    """Something a person can act on: the message says what and what to do."""


@dataclass(frozen=True)
class Check:
    """What a restored (or any) database holds: rows per table, and whether it is whole."""

    row_counts: dict[str, int]
    problems: list[str]


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq_address() -> str:
    """The database address as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return _url().set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()[:2000]}")


def backup(target: Path) -> None:
    """Write a copy of the whole database to `target` (refuses to overwrite a file)."""
    if target.exists():
        raise BackupError(f"{target} exists already. Choose a new file name.")
    url = _url()
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_address()])


def in_use() -> bool:
    """Whether the database holds people's data already."""
    names = set(inspect(db.engine).get_table_names())
    return any(db.session.scalar(select(func.count()).select_from(table(name))) for name in IN_USE_TABLES
               if name in names)


def restore(source: Path, force: bool = False) -> Check:
    """Replace the database with the backup in `source`, then check it."""
    if not source.is_file():
        raise BackupError(f"There is no backup file {source}.")
    if not force and in_use():
        raise BackupError("The database holds data. Restore over it only with --force.")
    url = _url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(source) as backup_copy, sqlite3.connect(url.database) as database:
            backup_copy.backup(database)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_address()}", str(source)])
    return check()


def check() -> Check:
    """Rows per table, and what is wrong: a damaged SQLite file, or a schema not at the migrations' head."""
    problems = []
    if db.engine.dialect.name == "sqlite":
        result = db.session.execute(db.text("PRAGMA integrity_check")).scalar()
        if result != "ok":
            problems.append(f"SQLite integrity check: {result}")
    if database_revisions() != migration_heads():
        problems.append(f"The schema is at {', '.join(sorted(database_revisions())) or 'nothing'}; the code expects "
                        f"{', '.join(sorted(migration_heads()))}: run flask --app workshop db upgrade.")
    names = sorted(set(inspect(db.engine).get_table_names()) - {"alembic_version"})
    counts = {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}
    return Check(counts, problems)
