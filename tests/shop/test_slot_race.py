"""Two people can never take the last place in a slot - tested with real concurrent transactions.

On PostgreSQL the booking locks the slot row (SELECT ... FOR UPDATE); SQLite ignores that,
so there the booking's transaction takes the database's write lock (BEGIN IMMEDIATE) first.
The races run on both; the lock-wait test reads PostgreSQL's own view of waiting backends.
"""
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from shop.repairs import booking
from shop.models import RepairTicket
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site


@pytest.fixture
def _postgresql_only(app):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("watches PostgreSQL's lock waits (pg_stat_activity)")


def _booking(app, site_id, repair_id, slot_id, phone, results, key, before_commit=None):
    with app.app_context():
        try:
            site = db.session.get(Site, site_id)
            ticket = booking.book_repair(site, garment="shirt", repair_ids=[repair_id], slot_id=slot_id,
                                         name=f"Resident {key}", phone=phone, consent=True)
            if before_commit:
                before_commit()
            db.session.commit()
            results[key] = ticket.number
        except DomainError as error:
            db.session.rollback()
            results[key] = f"refused: {error.message}"
        finally:
            db.session.remove()


def _wait_for_a_lock_wait(url: str, timeout: float = 30) -> None:
    """Block until some PostgreSQL backend waits for a lock (the second booking)."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                waiting = connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()")).scalar()
                if waiting:
                    return
                connection.rollback()
                time.sleep(0.02)
    finally:
        engine.dispose()
    raise AssertionError("the second booking never waited for the slot's row lock")


@pytest.mark.usefixtures("_postgresql_only")
def test_the_second_booking_waits_for_the_first_and_then_finds_the_slot_full(app, repair_site):
    site = repair_site(capacity=1)
    site_id, repair_id, slot_id = site.id, site.repairs[0].id, site.slots[0].id
    results: dict[str, str] = {}
    first_has_booked, let_first_commit = threading.Event(), threading.Event()

    def hold_the_lock():
        first_has_booked.set()
        assert let_first_commit.wait(30)

    first = threading.Thread(target=_booking, args=(app, site_id, repair_id, slot_id, "20000001", results,
                                                    "first", hold_the_lock))
    second = threading.Thread(target=_booking, args=(app, site_id, repair_id, slot_id, "20000002", results,
                                                     "second"))
    first.start()
    assert first_has_booked.wait(30)
    second.start()
    _wait_for_a_lock_wait(app.config["SQLALCHEMY_DATABASE_URI"])  # the second is blocked on the row lock
    let_first_commit.set()
    first.join(30)
    second.join(30)

    assert results["first"].endswith("-0001")
    assert results["second"].startswith("refused") and "fuld" in results["second"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(RepairTicket.id)).where(RepairTicket.slot_id == slot_id)) == 1


def _race(app, site, people: int) -> dict[str, str]:
    """`people` bookings of the site's first slot at once, each in its own thread and transaction."""
    site_id, repair_id, slot_id = site.id, site.repairs[0].id, site.slots[0].id
    results: dict[str, str] = {}
    start = threading.Barrier(people)

    def racer(number: int):
        start.wait(30)
        try:
            _booking(app, site_id, repair_id, slot_id, f"300000{number:02d}", results, str(number))
        except Exception as error:  # a 500 in the view: record it, so the test says which
            results[str(number)] = f"error: {error!r}"

    threads = [threading.Thread(target=racer, args=(number,)) for number in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    return results


def test_many_people_racing_for_two_places_get_exactly_two_tickets(app, repair_site):
    results = _race(app, repair_site(capacity=2), 6)

    booked = sorted(value for value in results.values() if not value.startswith("refused"))
    assert len(results) == 6
    assert booked == ["S-0001", "S-0002"]  # and the ticket numbers never collide
    assert db.session.scalar(select(func.count(RepairTicket.id))) == 2


def test_twenty_people_racing_for_the_last_place_get_one_ticket_and_nineteen_clear_refusals(app, repair_site):
    """Issue 17, finding 4: on SQLite this gave 2 tickets and 3 UNIQUE errors (500s)."""
    results = _race(app, repair_site(capacity=1), 20)

    assert len(results) == 20
    assert [value for value in results.values() if not value.startswith("refused")] == ["S-0001"]
    assert all("fuld" in value for value in results.values() if value.startswith("refused"))
    assert db.session.scalar(select(func.count(RepairTicket.id))) == 1
