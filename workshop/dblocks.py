"""Taking the database's write lock early, where PostgreSQL would take a row lock."""
from .extensions import db


def hold_sqlite_write_lock() -> None:
    """On SQLite, make the current transaction the database's one writer from now on.

    `SELECT ... FOR UPDATE` is ignored by SQLite, so two transactions could both read "one
    place left" and both book it. `BEGIN IMMEDIATE` takes the write lock before reading: the
    second booking waits (up to the driver's busy timeout) and then reads the first one's
    commit. A transaction that has already written holds that lock. No-op on PostgreSQL.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver_connection = connection.connection.driver_connection
    if not driver_connection.in_transaction:
        driver_connection.execute("BEGIN IMMEDIATE")
