"""The trainee's logbook ("logbog"). Worked minutes go to the hours ledger as training hours.

Editing a day never edits the ledger: the old booking is cancelled with `correct_entry`
and the new minutes are booked again. Notes are health data: leaders and herself only.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role, User
from workshop.services import record_audit

from .ledger import book_minutes, correct_entry, is_cancelled
from .models import Attendance, HoursKind, LedgerEntry, LogbookEntry, Person
from .services import may_see_health_data

#: How many days back a trainee may fill in or change her own logbook.
TRAINEE_DAYS_BACK = 7
WORKED = (Attendance.PRESENT, Attendance.LEFT_EARLY)


@dataclass
class LogbookData:
    attendance: Attendance
    minutes_worked: int = 0
    break_minutes: int = 0
    left_early_reason: str = ""
    worked_on: str = ""
    feeling: int | None = None
    note: str = ""


def usual_minutes(person: Person, day: date) -> int:
    """Her planned minutes that weekday from the weekly pattern, in half hours (0 to 8 hours)."""
    planned = sum(slot.end_minute - slot.start_minute for slot in person.availability if slot.weekday == day.weekday())
    return min(8 * 60, round(planned / 30) * 30)


def entry_for(person: Person, day: date) -> LogbookEntry | None:
    return db.session.scalar(select(LogbookEntry).where(LogbookEntry.person_id == person.id, LogbookEntry.day == day))


def _check(person: Person, day: date, data: LogbookData, actor: User, today: date) -> None:
    if day > today:
        raise DomainError(_l("You cannot fill in a day that has not come yet."), field="day")
    if actor.role == Role.TRAINEE:
        if person.user_id != actor.id:
            raise DomainError(_l("You can only fill in your own logbook."))
        if day < today - timedelta(days=TRAINEE_DAYS_BACK):
            raise DomainError(_l("Ask a leader to change days more than a week ago."), field="day")
    elif actor.role != Role.LEADER or actor.site_id != person.site_id:
        raise DomainError(_l("Only leaders and the person herself can write in the logbook."))
    if data.attendance in WORKED:
        if not 0 < data.minutes_worked <= 12 * 60:
            raise DomainError(_l("Choose how long you worked."), field="minutes_worked")
    if data.attendance == Attendance.LEFT_EARLY and not data.left_early_reason.strip():
        raise DomainError(_l("Write why you left early."), field="left_early_reason")
    if not 0 <= data.break_minutes <= 240:
        raise DomainError(_l("The break must be 0 to 240 minutes."), field="break_minutes")
    if data.feeling is not None and not 1 <= data.feeling <= 5:
        raise DomainError(_l("Choose a face from 1 to 5."), field="feeling")


def save_entry(person: Person, day: date, data: LogbookData, actor: User, today: date) -> LogbookEntry:
    """Create or change the day's entry and keep the ledger in step with its minutes."""
    _check(person, day, data, actor, today)
    worked = data.attendance in WORKED
    entry = entry_for(person, day)
    if entry is None:
        entry = LogbookEntry(person=person, site_id=person.site_id, day=day, minutes_worked=0)
        db.session.add(entry)
    minutes_before = entry.minutes_worked
    entry.attendance = data.attendance
    entry.minutes_worked = data.minutes_worked if worked else 0
    entry.break_minutes = data.break_minutes if worked else 0
    entry.left_early_reason = data.left_early_reason.strip() if data.attendance == Attendance.LEFT_EARLY else ""
    entry.worked_on = data.worked_on.strip() if worked else ""
    entry.feeling = data.feeling
    entry.note = data.note.strip()
    entry.entered_by_id = actor.id
    db.session.flush()
    record_audit(actor, "logbook.update", person, why="logbook day saved", day=day.isoformat())
    if entry.minutes_worked != minutes_before:  # otherwise a leader's correction on the ledger stands
        _sync_ledger(entry, actor)
    return entry


def _live_booking(booking: LedgerEntry | None) -> LedgerEntry | None:
    """The day's booking as the ledger has it now: a leader may have cancelled or replaced it there."""
    while booking is not None and is_cancelled(booking):
        booking = db.session.scalar(select(LedgerEntry).where(
            LedgerEntry.corrects_id == booking.id, LedgerEntry.minutes > 0))
    return booking


def _sync_ledger(entry: LogbookEntry, actor: User) -> None:
    live = _live_booking(entry.ledger_entry)
    entry.ledger_entry = live
    if (live.minutes if live else 0) == entry.minutes_worked:
        return
    if live:
        correct_entry(live, actor, note=_ledger_note(entry))
    entry.ledger_entry = None
    if entry.minutes_worked > 0:
        entry.ledger_entry = book_minutes(
            entry.person, entry.day, entry.minutes_worked, HoursKind.TRAINING, activity="logbook",
            reference=f"logbook:{entry.id}", actor=actor,
        )
    db.session.flush()


def _ledger_note(entry: LogbookEntry) -> str:
    return f"Logbook {entry.day.isoformat()} changed to {entry.minutes_worked} min"


def entries(person: Person, start: date | None = None, end: date | None = None) -> list[LogbookEntry]:
    query = select(LogbookEntry).where(LogbookEntry.person_id == person.id)
    if start:
        query = query.where(LogbookEntry.day >= start)
    if end:
        query = query.where(LogbookEntry.day <= end)
    return list(db.session.scalars(query.order_by(LogbookEntry.day.desc())))


def read_entries(person: Person, actor: User, why: str = "", start: date | None = None,
                 end: date | None = None) -> list[LogbookEntry]:
    """Her logbook with its notes (health data): leaders at her site and herself; the read is audited."""
    record_read(person, actor, why)
    return entries(person, start, end)


def record_read(person: Person, actor: User, why: str = "", **detail) -> None:
    """Showing a saved day (with its note) to a leader or herself is a read of health data, logged with
    its purpose (`why`)."""
    if not may_see_health_data(person, actor):
        raise DomainError(_l("Only leaders and the person herself may read the logbook."))
    record_audit(actor, "logbook.read", person, why=why, **detail)


def attendance_counts(person: Person, start: date, end: date, viewer: User) -> dict[Attendance, int]:
    """Days per attendance kind from the logbook (no notes, so no audit). Sick or left early is health
    data: a viewer who may not see it gets only present and absent days."""
    counts = {kind: 0 for kind in Attendance}
    for entry in entries(person, start, end):
        counts[entry.attendance] += 1
    if may_see_health_data(person, viewer):
        return counts
    return {Attendance.PRESENT: sum(counts[kind] for kind in WORKED),
            Attendance.ABSENT: sum(counts[kind] for kind in Attendance if kind not in WORKED)}


def present_today(site_id: int, today: date) -> list[LogbookEntry]:
    """Who came in today (present or left early), by name."""
    query = (select(LogbookEntry).join(Person).where(
        LogbookEntry.site_id == site_id, LogbookEntry.day == today, LogbookEntry.attendance.in_(WORKED))
        .order_by(Person.name))
    return list(db.session.scalars(query))
