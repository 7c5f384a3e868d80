"""`flask --app workshop retention run`: personal data past its time goes, the rest stays; running twice removes nothing more."""
from datetime import timedelta

from sqlalchemy import func, select

from shop.models import RepairTicket
from staffing.models import Accommodation, Course, LedgerEntry, LogbookEntry
from workshop.cli import retention, seed_demo
from workshop.extensions import db
from workshop.models import AuditEntry
from workshop.timeutil import local_today, utcnow


def _run(app):
    result = app.test_cli_runner().invoke(retention, ["run"])
    assert result.exit_code == 0, result.output
    return result.output


def test_retention_removes_only_what_is_past_its_time_and_is_idempotent(app, clock):
    app.test_cli_runner().invoke(seed_demo)
    # A closed ticket 31 days ago, one closed yesterday; every course ended six years ago but one;
    # an audit entry eleven years old.
    old_ticket, new_ticket = db.session.scalars(select(RepairTicket).order_by(RepairTicket.id).limit(2)).all()
    old_ticket.closed_at = (utcnow() - timedelta(days=31)).replace(tzinfo=None)
    new_ticket.closed_at = (utcnow() - timedelta(days=1)).replace(tzinfo=None)
    courses = db.session.scalars(select(Course).order_by(Course.id)).all()
    kept_person = courses[0].person_id
    for course in courses:
        if course.person_id != kept_person:
            course.actual_end = local_today() - timedelta(days=6 * 365)
    db.session.add(AuditEntry(action="old.entry", at=(utcnow() - timedelta(days=11 * 365)).replace(tzinfo=None)))
    db.session.commit()
    ledger_minutes = db.session.scalar(select(func.sum(LedgerEntry.minutes)))

    output = _run(app)

    assert "residents' names and phone numbers (repair tickets): 1 removed" in output
    assert "audit log entries: 1 removed" in output
    db.session.expire_all()
    assert (old_ticket.customer_name, old_ticket.phone) == ("", "") and new_ticket.phone != ""
    assert db.session.scalar(select(func.count(Accommodation.id)).where(Accommodation.person_id != kept_person)) == 0
    assert not db.session.scalar(select(func.count(LogbookEntry.id)).where(
        LogbookEntry.person_id != kept_person, LogbookEntry.note != ""))
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == ledger_minutes
    again = _run(app)
    assert all(line.endswith(": 0 removed") for line in again.strip().splitlines())
