"""Capacity: standard hours needed per operation against the hours of the people who can do it.

Available time of a person on a day
    her weekly pattern for that weekday, or, when she has dated exceptions that day, the
    exceptions instead ("away" wins: any away-exception makes the day 0; "extra" exceptions
    replace the pattern with their own windows); windows are clipped to start no earlier than
    her accommodation's earliest start, and the day is capped by its max minutes per day.
    Converted to *standard* minutes with her pace: minutes x pace % / 100.

Needed time in an ISO week (`week_capacity`)
    the site's open, planned and in-progress tasks, each with its remaining standard minutes
    (in proportion to the pieces left) spread evenly over the working days (Monday-Friday; all
    days if the window has none) from max(earliest start, today) to its due date; the week needs
    the share that falls in it. A task that is overdue (or due before it may start) is needed
    at once: all of it counts in the current week. Weeks in the past need nothing: the view
    looks forward.

Available time per operation counts everyone at the site (not former) who `can_do` it, so one
person counts in every operation she can do: rows are not additive. The total row counts each
person once (everyone who can do at least one operation).

Earliest completion (`earliest_completion`)
    a fluid model. All unfinished tasks at the site on the product's operations come first
    (they are already promised); then the new work: per routing step quantity x standard time
    plus set-up. Walking day by day from `start`, the order is complete on the first day when,
    for every operation, the cumulative standard minutes of the people who can do it cover that
    operation's backlog plus new work, and the cumulative minutes of everyone who can do any of
    the operations cover the sum. Needs only grow with the quantity and the cumulative sums
    only grow with the days, so the date is monotone in the quantity.
"""
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from staffing.models import AvailabilityException, Person, PersonKind
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site
from workshop.timeutil import local_today

from .matching import PersonProfile, can_do, profile_for
from .models import Operation, Product, Task, TaskStatus

UNFINISHED = (TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)
HORIZON_DAYS = 366


@dataclass
class Worker:
    """A person's profile with her availability, ready for day-by-day arithmetic."""

    profile: PersonProfile
    #: weekday (0 = Monday) -> [(start minute, end minute)]
    slots: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: day -> [(available, start, end)]
    exceptions: dict[date, list[tuple[bool, int | None, int | None]]] = field(default_factory=dict)

    def minutes_on(self, day: date) -> int:
        """Clock minutes she can work that day."""
        exceptions = self.exceptions.get(day)
        if exceptions:
            if any(not available for available, _start, _end in exceptions):
                return 0
            windows = [(start, end) for _available, start, end in exceptions if start is not None and end is not None]
        else:
            windows = self.slots.get(day.weekday(), [])
        earliest = self.profile.earliest_start_minute or 0
        total = sum(max(0, end - max(start, earliest)) for start, end in windows)
        if self.profile.max_minutes_per_day is not None:
            total = min(total, self.profile.max_minutes_per_day)
        return total

    def standard_minutes_on(self, day: date) -> int:
        """Her minutes that day at standard pace."""
        return self.minutes_on(day) * self.profile.pace_percent // 100


def load_workforce(site: Site, start: date, end: date) -> list[Worker]:
    """Everyone at the site who can work (not former), with availability and exceptions from start to end."""
    people = list(db.session.scalars(
        select(Person).where(Person.site_id == site.id, Person.kind != PersonKind.FORMER).order_by(Person.name)
        .options(selectinload(Person.availability), selectinload(Person.skill_levels),
                 selectinload(Person.pace_history), selectinload(Person.accommodation))
    ))
    exceptions: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    if people:
        rows = db.session.scalars(select(AvailabilityException).where(
            AvailabilityException.person_id.in_([person.id for person in people]),
            AvailabilityException.day >= start, AvailabilityException.day <= end,
        ))
        for row in rows:
            exceptions[row.person_id][row.day].append((row.available, row.start_minute, row.end_minute))
    workers = []
    for person in people:
        slots: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for slot in person.availability:
            slots[slot.weekday].append((slot.start_minute, slot.end_minute))
        workers.append(Worker(profile_for(person, start), dict(slots), dict(exceptions.get(person.id, {}))))
    return workers


def iso_week_bounds(year: int, week: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


@dataclass
class OperationCapacity:
    operation: Operation
    needed_minutes: int
    available_minutes: int
    #: The people who can do it and have time that week.
    people: list[str]

    @property
    def shortage_minutes(self) -> int:
        return max(0, self.needed_minutes - self.available_minutes)


@dataclass
class WeekCapacity:
    monday: date
    sunday: date
    rows: list[OperationCapacity]
    total_needed_minutes: int
    total_available_minutes: int

    @property
    def total_shortage_minutes(self) -> int:
        return max(0, self.total_needed_minutes - self.total_available_minutes)


def week_capacity(site: Site, year: int, week: int, today: date | None = None) -> WeekCapacity:
    """Needed against available standard minutes per operation for one ISO week (see the module doc)."""
    monday, sunday = iso_week_bounds(year, week)
    today = today or local_today()
    tasks = db.session.scalars(select(Task).where(
        Task.site_id == site.id, Task.status.in_(UNFINISHED), Task.earliest_start <= sunday,
    ))
    share: dict[int, float] = defaultdict(float)
    for task in tasks:
        share[task.operation_id] += task.remaining_minutes * _week_share(task, monday, sunday, today)
    needed = {operation_id: math.ceil(minutes - 1e-9) for operation_id, minutes in share.items()}
    workers = load_workforce(site, monday, sunday)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    week_minutes = {worker.profile.person_id: sum(worker.standard_minutes_on(day) for day in days) for worker in workers}
    rows = []
    anyone: set[int] = set()
    for operation in db.session.scalars(select(Operation).order_by(Operation.code)):
        able = [worker for worker in workers if can_do(worker.profile, operation)[0]
                and week_minutes[worker.profile.person_id] > 0]
        anyone.update(worker.profile.person_id for worker in able)
        rows.append(OperationCapacity(
            operation, needed.get(operation.id, 0),
            sum(week_minutes[worker.profile.person_id] for worker in able),
            [worker.profile.name for worker in able],
        ))
    return WeekCapacity(monday, sunday, rows, sum(needed.values()), sum(week_minutes[pid] for pid in anyone))


def _week_share(task: Task, monday: date, sunday: date, today: date) -> float:
    """The part (0-1) of a task's remaining work that falls in the week from `monday` to `sunday`."""
    start = max(task.earliest_start, today)
    if task.due_date < start:  # overdue: needed now
        return 1.0 if monday <= today <= sunday else 0.0
    days = [start + timedelta(days=offset) for offset in range((task.due_date - start).days + 1)]
    working = [day for day in days if day.weekday() < 5] or days
    return sum(1 for day in working if monday <= day <= sunday) / len(working)


def new_work_minutes(product: Product, quantity: int) -> dict[int, int]:
    """Standard minutes per operation id to make `quantity` of the product: pieces x time + set-up."""
    work: dict[int, int] = defaultdict(int)
    for step in product.routing:
        work[step.operation_id] += math.ceil(quantity * step.seconds_per_unit / 60) + step.setup_minutes
    return dict(work)


def order_work_minutes(items: list[tuple[Product, int]]) -> dict[int, int]:
    """Standard minutes per operation id for a whole order: every line's routing, summed."""
    work: dict[int, int] = defaultdict(int)
    for product, quantity in items:
        if not product.routing:
            raise DomainError(_l("%(product)s has no routing yet.", product=product.name))
        for operation_id, minutes in new_work_minutes(product, quantity).items():
            work[operation_id] += minutes
    return dict(work)


def earliest_completion(site: Site, product: Product, quantity: int, start: date | None = None) -> date:
    """The earliest realistic day the site can finish `quantity` of `product`, after the work already promised."""
    if quantity <= 0:
        raise DomainError(_l("The quantity must be at least 1."), field="quantity")
    if not product.routing:
        raise DomainError(_l("The product has no routing yet."))
    return earliest_completion_for_work(site, new_work_minutes(product, quantity), start=start)


def earliest_completion_for_work(site: Site, work: dict[int, int], tentative: dict[int, int] | None = None,
                                 start: date | None = None) -> date:
    """The earliest realistic day the site can finish `work` (standard minutes per operation id).

    Unfinished tasks on those operations come first (already promised), and so does `tentative`
    load (minutes per operation of work quoted but not yet accepted). Raises DomainError when
    nobody at the site can do one of the operations, or when it would take more than a year.
    See the module doc for the model.
    """
    start = start or local_today()
    need = defaultdict(int, work)
    for operation_id, minutes in (tentative or {}).items():
        if operation_id in work:
            need[operation_id] += minutes
    backlog = db.session.scalars(select(Task).where(
        Task.site_id == site.id, Task.status.in_(UNFINISHED), Task.operation_id.in_(list(work)),
    ))
    for task in backlog:
        need[task.operation_id] += task.remaining_minutes
    workers = load_workforce(site, start, start + timedelta(days=HORIZON_DAYS))
    capable: dict[int, list[Worker]] = {}
    for operation in db.session.scalars(select(Operation).where(Operation.id.in_(list(work)))):
        capable[operation.id] = [worker for worker in workers if can_do(worker.profile, operation)[0]]
        if not capable[operation.id]:
            raise DomainError(_l("Nobody at this site can do %(operation)s yet.", operation=operation.name))
    pool = {id(worker): worker for able in capable.values() for worker in able}.values()
    total_need = sum(need.values())
    done = dict.fromkeys(need, 0)
    pool_done = 0
    for offset in range(HORIZON_DAYS):
        day = start + timedelta(days=offset)
        minutes = {id(worker): worker.standard_minutes_on(day) for worker in pool}
        for operation_id, able in capable.items():
            done[operation_id] += sum(minutes[id(worker)] for worker in able)
        pool_done += sum(minutes.values())
        if pool_done >= total_need and all(done[op] >= need[op] for op in need):
            return day
    raise DomainError(_l("This would take more than a year with the people at this site."))
