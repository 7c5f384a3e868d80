"""The one hours ledger. Every hour figure in the app is a sum over these entries."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role, User

from .models import Employment, HoursKind, LedgerEntry, Person
from .rules import FRIKORT_CAP, FRIKORT_WARNING_PERCENT, rule_value

MAX_MINUTES_PER_ENTRY = 12 * 60
#: Used only until a leader records a "frikort_warning_percent" rule row.
DEFAULT_FRIKORT_WARNING_PERCENT = 90
ACTIVITIES = ("production", "meeting", "danish_lesson", "cleaning", "other")


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
    override_reason: str = "",
) -> LedgerEntry:
    """Book worked minutes. Paid minutes need a wage (from the person's employment if not given).

    Paid minutes past her employment's weekly maximum, or past a socialt frikort holder's
    cap for the year, are refused unless a leader gives `override_reason` (kept on the entry).
    """
    if not 0 < minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError(_l("Minutes must be between 1 and %(max)d.", max=MAX_MINUTES_PER_ENTRY), field="minutes")
    override_reason = (override_reason or "").strip()
    if kind == HoursKind.PAID:
        wage_ore_per_hour = wage_ore_per_hour or current_wage(person, work_date)
        if wage_ore_per_hour is None:
            raise DomainError(_l("%(name)s has no paid employment on that day.", name=person.name))
        _check_paid_limits(person, work_date, minutes, wage_ore_per_hour, actor, override_reason)
    else:
        wage_ore_per_hour = None
    entry = LedgerEntry(
        person=person, site_id=person.site_id, work_date=work_date, minutes=minutes, kind=kind,
        activity=activity, reference=reference, wage_ore_per_hour=wage_ore_per_hour, note=note,
        override_reason=override_reason if kind == HoursKind.PAID else "",
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def correct_entry(entry: LedgerEntry, actor: User | None, note: str, new_minutes: int = 0,
                  override_reason: str = "") -> list[LedgerEntry]:
    """Corrections never edit: cancel the entry with a negative one and, if asked, book the right minutes."""
    if entry.minutes < 0:
        raise DomainError(_l("A correction cannot itself be corrected; correct the original entry."))
    if is_cancelled(entry):
        raise DomainError(_l("This entry has already been corrected."))
    if new_minutes and not 0 < new_minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError(_l("Minutes must be between 1 and %(max)d.", max=MAX_MINUTES_PER_ENTRY), field="new_minutes")
    cancel = LedgerEntry(
        person_id=entry.person_id, site_id=entry.site_id, work_date=entry.work_date, minutes=-entry.minutes,
        kind=entry.kind, activity=entry.activity, reference=entry.reference,
        wage_ore_per_hour=entry.wage_ore_per_hour, corrects_id=entry.id, note=note,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(cancel)
    db.session.flush()
    entries = [cancel]
    if new_minutes:
        replacement = book_minutes(entry.person, entry.work_date, new_minutes, entry.kind, entry.activity,
                                   entry.reference, actor, entry.wage_ore_per_hour, note,
                                   override_reason=override_reason)
        replacement.corrects_id = entry.id
        entries.append(replacement)
    db.session.flush()
    return entries


def is_cancelled(entry: LedgerEntry) -> bool:
    """True once a negative correction names this entry."""
    return db.session.scalar(
        select(LedgerEntry.id).where(LedgerEntry.corrects_id == entry.id, LedgerEntry.minutes < 0).limit(1)
    ) is not None


def current_employment(person: Person, day: date) -> Employment | None:
    """The employment that covers `day`, if any."""
    for employment in person.employments:
        if employment.start_date <= day and (employment.end_date is None or day <= employment.end_date):
            return employment
    return None


def current_wage(person: Person, day: date) -> int | None:
    """The hourly wage (øre) of the person's employment that covers `day`, if any."""
    employment = current_employment(person, day)
    return employment.hourly_wage_ore if employment is not None else None


def minutes_worked(person: Person, start: date, end: date, kind: HoursKind | None = None) -> int:
    """Sum of booked minutes from `start` to `end`, both included."""
    query = select(func.coalesce(func.sum(LedgerEntry.minutes), 0)).where(
        LedgerEntry.person_id == person.id, LedgerEntry.work_date >= start, LedgerEntry.work_date <= end
    )
    if kind is not None:
        query = query.where(LedgerEntry.kind == kind)
    return int(db.session.scalar(query))


def amount_ore(minutes: int, wage_ore_per_hour: int) -> int:
    """Pay for `minutes` at an hourly wage, rounded half up to whole øre."""
    return int((Decimal(minutes) * wage_ore_per_hour / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def paid_earnings(person: Person, start: date, end: date) -> int:
    """Paid earnings in øre from `start` to `end`: per wage rate, paid minutes × rate."""
    rows = db.session.execute(
        select(LedgerEntry.wage_ore_per_hour, func.sum(LedgerEntry.minutes))
        .where(LedgerEntry.person_id == person.id, LedgerEntry.kind == HoursKind.PAID,
               LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .group_by(LedgerEntry.wage_ore_per_hour)
    )
    return sum(amount_ore(int(minutes), wage) for wage, minutes in rows if wage)


@dataclass(frozen=True)
class FrikortStatus:
    """A socialt frikort holder's earnings this year against the cap in force."""

    year: int
    earned_ore: int
    cap_ore: int | None
    warning_percent: int

    @property
    def share_percent(self) -> float | None:
        return None if not self.cap_ore else round(100 * self.earned_ore / self.cap_ore, 1)

    @property
    def remaining_ore(self) -> int | None:
        return None if self.cap_ore is None else max(self.cap_ore - self.earned_ore, 0)

    @property
    def warning(self) -> bool:
        """True at or above the warning share (90 %), and when no cap is configured."""
        if not self.cap_ore:
            return True
        return self.earned_ore * 100 >= self.cap_ore * self.warning_percent

    @property
    def over_cap(self) -> bool:
        return bool(self.cap_ore) and self.earned_ore > self.cap_ore


def frikort_status(person: Person, day: date) -> FrikortStatus | None:
    """None unless the employment on `day` is held with a socialt frikort."""
    employment = current_employment(person, day)
    if employment is None or not employment.has_frikort:
        return None
    year_start, year_end = date(day.year, 1, 1), date(day.year, 12, 31)
    cap = rule_value(FRIKORT_CAP, day)
    warning = rule_value(FRIKORT_WARNING_PERCENT, day)
    return FrikortStatus(
        year=day.year,
        earned_ore=paid_earnings(person, year_start, year_end),
        cap_ore=cap.value_int if cap is not None else None,
        warning_percent=warning.value_int if warning is not None else DEFAULT_FRIKORT_WARNING_PERCENT,
    )


def _weekly_room(person: Person, day: date) -> int:
    """Paid minutes left under her employment's weekly maximum in `day`'s week."""
    employment = current_employment(person, day)
    if employment is None:
        return 0
    monday = day - timedelta(days=day.weekday())
    return employment.max_weekly_minutes - minutes_worked(person, monday, monday + timedelta(days=6), HoursKind.PAID)


def paid_room_minutes(person: Person, day: date) -> int:
    """How many more minutes she may be paid in `day`'s week without a leader's override: her weekly
    maximum and, with a socialt frikort, the cap for the year (nothing while no cap is configured)."""
    room = _weekly_room(person, day)
    frikort = frikort_status(person, day)
    if frikort is not None:
        wage = current_wage(person, day)
        room = min(room, frikort.remaining_ore * 60 // wage if frikort.cap_ore is not None else 0)
    return max(room, 0)


def _check_paid_limits(person: Person, work_date: date, minutes: int, wage_ore_per_hour: int, actor: User | None,
                       override_reason: str) -> None:
    """Paid minutes stay within her weekly maximum and her frikort cap, unless a leader gives a reason."""
    frikort = frikort_status(person, work_date)
    over_frikort = frikort is not None and (
        frikort.cap_ore is None or frikort.earned_ore + amount_ore(minutes, wage_ore_per_hour) > frikort.cap_ore)
    if not over_frikort and minutes <= _weekly_room(person, work_date):
        return
    if override_reason:
        if actor is None or actor.role != Role.LEADER:
            raise DomainError(_l("Only a leader can book paid hours past her weekly maximum or the socialt "
                                 "frikort cap."), field="override_reason")
        return
    if over_frikort and frikort.cap_ore is None:
        raise DomainError(_l("No socialt frikort cap is configured for %(year)d. Add it under rules, "
                             "or let a leader give a reason.", year=work_date.year), field="override_reason")
    if over_frikort:
        raise DomainError(_l("These hours would take %(name)s past the socialt frikort cap for %(year)d. "
                             "A leader can book them by giving a reason.", name=person.name, year=work_date.year),
                          field="override_reason")
    raise DomainError(_l("These hours would take %(name)s past her weekly maximum of paid hours. "
                         "A leader can book them by giving a reason.", name=person.name), field="override_reason")


@dataclass(frozen=True)
class HoursSplit:
    """Minutes booked for some piece of work: in all, as training, as paid hours, and by how many people."""

    total_minutes: int
    training_minutes: int
    paid_minutes: int
    #: Distinct people with minutes left after corrections (a count, never names).
    people: int


def training_paid_split(entry_ids) -> HoursSplit:
    """The split of these ledger entries and their corrections into training and paid minutes.

    `entry_ids` is a list of ids or a select of ids; staffing does not know what work they were
    for (production maps its work orders to the entries its work records point to)."""
    # A union, not an OR of the two: each half uses its index (an OR reads the whole ledger).
    wanted = select(LedgerEntry.id).where(LedgerEntry.id.in_(entry_ids)).union(
        select(LedgerEntry.id).where(LedgerEntry.corrects_id.in_(entry_ids)))
    rows = db.session.execute(
        select(LedgerEntry.person_id, LedgerEntry.kind, func.sum(LedgerEntry.minutes))
        .where(LedgerEntry.id.in_(wanted))
        .group_by(LedgerEntry.person_id, LedgerEntry.kind)
    )
    per_kind = {HoursKind.TRAINING: 0, HoursKind.PAID: 0}
    per_person: dict[int, int] = {}
    for person_id, kind, minutes in rows:
        per_kind[kind] += int(minutes)
        per_person[person_id] = per_person.get(person_id, 0) + int(minutes)
    training, paid = max(per_kind[HoursKind.TRAINING], 0), max(per_kind[HoursKind.PAID], 0)
    return HoursSplit(total_minutes=training + paid, training_minutes=training, paid_minutes=paid,
                      people=sum(1 for minutes in per_person.values() if minutes > 0))


def site_hours_split(site_id: int, start: date, end: date, activity: str = "production") -> HoursSplit:
    """How the site's booked minutes of one activity from `start` to `end` split into training and paid."""
    people_here = select(Person.id).where(Person.site_id == site_id)
    entry_ids = select(LedgerEntry.id).where(LedgerEntry.person_id.in_(people_here), LedgerEntry.activity == activity,
                                             LedgerEntry.work_date.between(start, end),
                                             LedgerEntry.corrects_id.is_(None))
    return training_paid_split(entry_ids)
