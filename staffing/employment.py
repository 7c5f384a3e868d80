"""Paid employment: småjob, fleksjob or hybrid placement. Services flush; the view commits."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Site

from .models import Employment, EmploymentKind, Person


def add_employment(
    person: Person,
    kind: EmploymentKind,
    hourly_wage_ore: int,
    min_weekly_minutes: int,
    max_weekly_minutes: int,
    start_date: date,
    end_date: date | None = None,
    has_frikort: bool = False,
) -> Employment:
    """A new employment. Wage and hours must make sense and must not overlap another employment."""
    if hourly_wage_ore <= 0:
        raise DomainError(_l("The hourly wage must be more than 0 kr."), field="hourly_wage")
    if min_weekly_minutes < 0:
        raise DomainError(_l("Hours cannot be negative."), field="min_weekly_hours")
    if max_weekly_minutes <= 0:
        raise DomainError(_l("The maximum hours a week must be more than 0."), field="max_weekly_hours")
    if min_weekly_minutes > max_weekly_minutes:
        raise DomainError(_l("The minimum hours cannot be more than the maximum."), field="min_weekly_hours")
    if end_date is not None and end_date < start_date:
        raise DomainError(_l("The end date cannot be before the start date."), field="end_date")
    _refuse_overlap(person, start_date, end_date)
    employment = Employment(
        person=person, kind=kind, hourly_wage_ore=hourly_wage_ore, min_weekly_minutes=min_weekly_minutes,
        max_weekly_minutes=max_weekly_minutes, start_date=start_date, end_date=end_date, has_frikort=has_frikort,
    )
    db.session.add(employment)
    db.session.flush()
    return employment


def end_employment(employment: Employment, end_date: date) -> Employment:
    """End an open (or later-ending) employment on `end_date`; the row stays as history."""
    if end_date < employment.start_date:
        raise DomainError(_l("The end date cannot be before the start date."), field="end_date")
    if employment.end_date is not None and employment.end_date <= end_date:
        raise DomainError(_l("This employment has already ended."), field="end_date")
    employment.end_date = end_date
    db.session.flush()
    return employment


def employment_at_site(site: Site, employment_id: int) -> Employment:
    employment = db.session.get(Employment, employment_id)
    if employment is None or employment.person.site_id != site.id:
        raise NotFound(_l("Employment not found."))
    return employment


def _refuse_overlap(person: Person, start: date, end: date | None) -> None:
    far = date.max
    for other in db.session.scalars(select(Employment).where(Employment.person_id == person.id)):
        if start <= (other.end_date or far) and other.start_date <= (end or far):
            raise DomainError(
                _l("%(name)s already has an employment in that period. End it first.", name=person.name),
                field="start_date",
            )
