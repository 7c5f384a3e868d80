"""Taking the database's write lock early, where PostgreSQL would take a row lock."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

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



def next_site_number(counter_model, site_id: int) -> int:
    """The site's next number in an unbroken sequence (tickets, orders, invoices, receipts).

    The counter stays locked until the transaction ends, so two at once never share or skip a number.
    """
    counter = locked_site_counter(counter_model, site_id)
    counter.last_number += 1
    db.session.flush()
    return counter.last_number


def locked_site_counter(counter_model, site_id: int):
    """The site's counter row (`site_id` primary key, `last_number`), locked until the transaction ends;
    created when missing, also when another transaction creates it at the same moment."""
    query = (select(counter_model).where(counter_model.site_id == site_id).with_for_update()
             .execution_options(populate_existing=True))
    counter = db.session.scalar(query)
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(counter_model(site_id=site_id, last_number=0))
        except IntegrityError:  # another transaction created it first; take its row
            pass
        counter = db.session.scalar(query)
    return counter
