"""Retention with the clock moved past each limit (issue 14, privacy): a trainee's logbook notes and
accommodations RETENTION_HEALTH_DATA_YEARS (5) after her course ended, audit entries after
RETENTION_AUDIT_YEARS (10); hours stay; a second run removes nothing more."""
from datetime import timedelta

from sqlalchemy import func, select

from staffing import logbook, services
from staffing.models import Accommodation, Attendance, CourseStatus, LedgerEntry, LogbookEntry
from workshop.cli import retention
from workshop.extensions import db
from workshop.models import AuditEntry
from workshop.services import record_audit
from workshop.timeutil import local_now, local_today

HEALTH = "logbook notes and accommodations (people)"
AUDIT = "audit log entries"


def _run(app) -> dict[str, int]:
    result = app.test_cli_runner().invoke(retention, ["run"])
    assert result.exit_code == 0, result.output
    return {kind: int(count.split()[0]) for kind, count in
            (line.rsplit(": ", 1) for line in result.output.strip().splitlines())}


def test_health_data_goes_five_years_after_the_course_ended_and_hours_stay(app, clock, leader, trainee, make_course):
    person = trainee.person
    course = make_course(person, start=local_today() - timedelta(days=60))
    logbook.save_entry(person, local_today(), logbook.LogbookData(Attendance.PRESENT, 180, note="Ondt i ryggen"),
                       trainee, local_today())
    services.save_accommodation(person, services.AccommodationData(max_lift_kg=5, note="Sidder ned"), leader)
    course.status, course.actual_end = CourseStatus.COMPLETED, local_today()
    db.session.commit()

    clock.move_to(local_now() + timedelta(days=5 * 365 - 1))
    assert _run(app)[HEALTH] == 0
    assert db.session.scalar(select(func.count(Accommodation.id))) == 1
    clock.move_to(local_now() + timedelta(days=3))
    assert _run(app)[HEALTH] == 1

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Accommodation.id))) == 0
    entry = db.session.scalar(select(LogbookEntry))
    assert entry.note == "" and entry.minutes_worked == 180
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == 180
    assert _run(app)[HEALTH] == 0


def test_a_course_still_going_keeps_her_health_data(app, clock, leader, trainee, make_course):
    make_course(trainee.person, start=local_today() - timedelta(days=60))
    services.save_accommodation(trainee.person, services.AccommodationData(needs_quiet=True), leader)
    db.session.commit()
    clock.move_to(local_now() + timedelta(days=6 * 365))
    assert _run(app)[HEALTH] == 0
    assert db.session.scalar(select(func.count(Accommodation.id))) == 1


def test_audit_entries_go_after_ten_years(app, clock, leader, trainee):
    record_audit(leader, "accommodations.read", trainee.person, why="accommodations page")
    db.session.commit()
    clock.move_to(local_now() + timedelta(days=10 * 365 - 1))
    assert _run(app)[AUDIT] == 0
    record_audit(leader, "logbook.read", trainee.person, why="logbook list")  # a newer one stays
    db.session.commit()
    clock.move_to(local_now() + timedelta(days=3))
    assert _run(app)[AUDIT] == 1
    assert list(db.session.scalars(select(AuditEntry.action))) == ["logbook.read"]
    assert _run(app)[AUDIT] == 0
