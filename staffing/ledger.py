"""The one hours ledger. Every hour figure in the app is a sum over these entries."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User

from .models import HoursKind, LedgerEntry, Person

MAX_MINUTES_PER_ENTRY = 12 * 60


def book_minutes(
    person: Person,
    work_date: date,
    minutes: int,
    kind: HoursKind,
    activity: str = "production",
    reference: str = "",
    actor: User | None = None,
    wage_ore_per_hour: int | None = None,
    note: str = "",
) -> LedgerEntry:
    """Book worked minutes. Paid minutes need a wage (from the person's employment if not given)."""
    if not 0 < minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError(_l("Minutes must be between 1 and %(max)d.", max=MAX_MINUTES_PER_ENTRY), field="minutes")
    if kind == HoursKind.PAID:
        wage_ore_per_hour = wage_ore_per_hour or current_wage(person, work_date)
        if wage_ore_per_hour is None:
            raise DomainError(_l("%(name)s has no paid employment on that day.", name=person.name))
    else:
        wage_ore_per_hour = None
    entry = LedgerEntry(
        person=person, site_id=person.site_id, work_date=work_date, minutes=minutes, kind=kind,
        activity=activity, reference=reference, wage_ore_per_hour=wage_ore_per_hour, note=note,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def correct_entry(entry: LedgerEntry, actor: User | None, note: str, new_minutes: int = 0) -> list[LedgerEntry]:
    """Corrections never edit: cancel the entry with a negative one and, if asked, book the right minutes."""
    if entry.corrects_id is not None or entry.minutes < 0:
        raise DomainError(_l("A correction cannot itself be corrected; correct the original entry."))
    cancel = LedgerEntry(
        person_id=entry.person_id, site_id=entry.site_id, work_date=entry.work_date, minutes=-entry.minutes,
        kind=entry.kind, activity=entry.activity, reference=entry.reference,
        wage_ore_per_hour=entry.wage_ore_per_hour, corrects_id=entry.id, note=note,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(cancel)
    entries = [cancel]
    if new_minutes:
        replacement = book_minutes(entry.person, entry.work_date, new_minutes, entry.kind, entry.activity,
                                   entry.reference, actor, entry.wage_ore_per_hour, note)
        replacement.corrects_id = entry.id
        entries.append(replacement)
    db.session.flush()
    return entries


def current_wage(person: Person, day: date) -> int | None:
    """The hourly wage (øre) of the person's employment that covers `day`, if any."""
    for employment in person.employments:
        if employment.start_date <= day and (employment.end_date is None or day <= employment.end_date):
            return employment.hourly_wage_ore
    return None


def minutes_worked(person: Person, start: date, end: date, kind: HoursKind | None = None) -> int:
    """Sum of booked minutes from `start` to `end`, both included."""
    query = select(func.coalesce(func.sum(LedgerEntry.minutes), 0)).where(
        LedgerEntry.person_id == person.id, LedgerEntry.work_date >= start, LedgerEntry.work_date <= end
    )
    if kind is not None:
        query = query.where(LedgerEntry.kind == kind)
    return int(db.session.scalar(query))
