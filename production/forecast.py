"""What an order's work means before it is accepted: the earliest date, and the hours it creates.

`advise_date` asks capacity for the earliest realistic day (the work already promised and the
tentative load of other quotes come first) and says whether the customer's wished date fits.

`impact_forecast` splits the order's standard minutes between training and paid hours as the
site's production hours split over the last `HISTORY_DAYS` in the ledger (what has really
happened). A site with no such history yet gets an estimate from its people instead: for each
operation, the people who can do it share its minutes in proportion to their available standard
minutes over the coming `FORECAST_WEEKS`. A person's available minutes are paid up to her
employment's weekly maximum (småjob, fleksjob, hybrid); the rest is training when she is a
trainee or hybrid, and nothing otherwise (a paid worker's time above her maximum is not hers to
give; staff are not counted). Counts only, never names.
"""
import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from staffing.ledger import site_hours_split
from staffing.models import Person, PersonKind
from workshop.extensions import db
from workshop.models import Site
from workshop.timeutil import local_today

from .capacity import Worker, earliest_completion_for_work, load_workforce
from .matching import can_do
from .models import Operation

#: How far ahead the forecast looks at people's availability (a site without ledger history).
FORECAST_WEEKS = 4
#: The ledger history the forecast's split comes from: about three months.
HISTORY_DAYS = 91
#: Kinds whose time beyond their paid hours is training.
TRAINING_KINDS = (PersonKind.TRAINEE, PersonKind.HYBRID)


@dataclass(frozen=True)
class DateAdvice:
    earliest: date
    wished: date | None
    #: True when there is no wished date or the earliest date is on or before it.
    possible: bool
    #: When the wished date is not possible: the extra paid minutes, before it, that would make it
    #: possible (0 when more hours would not be enough: too soon, or nothing can be done by then).
    extra_minutes: int = 0
    #: The ISO weeks (year, week) those extra minutes fall in: from this week to the wished date's.
    extra_weeks: tuple[tuple[int, int], ...] = ()

    @property
    def days_late(self) -> int:
        """How many days after the wished date the work can be done (0 when possible)."""
        return 0 if self.possible or self.wished is None else (self.earliest - self.wished).days


@dataclass(frozen=True)
class ImpactForecast:
    total_minutes: int
    training_minutes: int
    paid_minutes: int
    #: How many different people can do some of the work (a count, never names).
    people: int
    #: True when the split comes from the site's ledger; False: estimated from people's availability.
    from_ledger: bool = False


def advise_date(site: Site, work: dict[int, int], wished: date | None,
                tentative: dict[int, int] | None = None) -> DateAdvice:
    """The earliest realistic completion of `work`, whether the wished date is possible, and if not,
    how many more paid hours before it would make it possible."""
    earliest = earliest_completion_for_work(site, work, tentative)
    if wished is None or earliest <= wished:
        return DateAdvice(earliest, wished, True)
    extra = _extra_minutes_needed(site, work, wished, tentative)
    return DateAdvice(earliest, wished, False, extra, _weeks_until(wished) if extra else ())


#: Bisection steps for the share of the work the people can finish by the wished date (1/4096 precision).
SHARE_STEPS = 12


def _extra_minutes_needed(site: Site, work: dict[int, int], wished: date,
                          tentative: dict[int, int] | None) -> int:
    """The minutes of `work` the people cannot finish by `wished` (rounded up to whole hours): what more
    paid hours would have to cover. 0 when nothing of it can be finished by then (more hours would not help)."""
    if wished <= local_today():
        return 0

    def fits(share: float) -> bool:
        part = {operation_id: math.ceil(minutes * share) for operation_id, minutes in work.items()}
        return earliest_completion_for_work(site, part, tentative) <= wished

    done, missing = 0.0, 1.0
    for _ in range(SHARE_STEPS):
        middle = (done + missing) / 2
        done, missing = (middle, missing) if fits(middle) else (done, middle)
    if done == 0.0:
        return 0
    short = math.ceil(sum(work.values()) * (1 - done))
    return math.ceil(short / 60) * 60


def _weeks_until(wished: date) -> tuple[tuple[int, int], ...]:
    weeks, day = [], local_today()
    while day <= wished:
        week = tuple(day.isocalendar())[:2]
        if week not in weeks:
            weeks.append(week)
        day += timedelta(days=1)
    return tuple(weeks)


@dataclass
class _Share:
    """A person's paid and training standard minutes over the forecast weeks."""

    paid: int
    training: int

    @property
    def total(self) -> int:
        return self.paid + self.training


def _paid_cap_minutes(person: Person, start: date, end: date) -> int:
    """Her employments' weekly maximum over the forecast weeks (0 without an employment then)."""
    cap = 0
    for employment in person.employments:
        if employment.start_date <= end and (employment.end_date is None or employment.end_date >= start):
            cap = max(cap, employment.max_weekly_minutes * FORECAST_WEEKS)
    return cap


def _shares(site: Site, workers: list[Worker], start: date, end: date) -> dict[int, _Share]:
    """person id -> her paid and training standard minutes from start to end."""
    ids = [worker.profile.person_id for worker in workers]
    people = {person.id: person for person in db.session.scalars(
        select(Person).where(Person.id.in_(ids)).options(selectinload(Person.employments)))}
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    shares = {}
    for worker in workers:
        person = people[worker.profile.person_id]
        if person.kind == PersonKind.STAFF:
            continue
        available = sum(worker.standard_minutes_on(day) for day in days)
        paid = min(available, _paid_cap_minutes(person, start, end))
        training = available - paid if person.kind in TRAINING_KINDS else 0
        if paid or training:
            shares[person.id] = _Share(paid, training)
    return shares


def impact_forecast(site: Site, work: dict[int, int]) -> ImpactForecast:
    """How the work's standard minutes would split into training and paid hours (see the module doc)."""
    estimate = _availability_forecast(site, work)
    today = local_today()
    history = site_hours_split(site.id, today - timedelta(days=HISTORY_DAYS), today)
    if history.total_minutes <= 0:
        return estimate
    training = round(estimate.total_minutes * history.training_minutes / history.total_minutes)
    return ImpactForecast(estimate.total_minutes, training, estimate.total_minutes - training, estimate.people,
                          from_ledger=True)


def _availability_forecast(site: Site, work: dict[int, int]) -> ImpactForecast:
    """The split estimated from the capable people's coming time (for a site without ledger history)."""
    start = local_today()
    end = start + timedelta(days=7 * FORECAST_WEEKS - 1)
    workers = load_workforce(site, start, end)
    shares = _shares(site, workers, start, end)
    operations = {operation.id: operation for operation in
                  db.session.scalars(select(Operation).where(Operation.id.in_(list(work))))}
    training = paid = 0.0
    able_people: set[int] = set()
    for operation_id, minutes in work.items():
        operation = operations.get(operation_id)
        able_ids = [worker.profile.person_id for worker in workers if worker.profile.person_id in shares
                    and operation is not None and can_do(worker.profile, operation)[0]]
        able_people.update(able_ids)
        able = [shares[person_id] for person_id in able_ids]
        pool = sum(share.total for share in able)
        if not pool:
            continue
        training += minutes * sum(share.training for share in able) / pool
        paid += minutes * sum(share.paid for share in able) / pool
    total = sum(work.values())
    training_minutes = round(training)
    paid_minutes = min(round(paid), total - training_minutes)
    return ImpactForecast(total, training_minutes, paid_minutes, len(able_people))

