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

Earliest completion (`earliest_completion_for_work`, `earliest_completion`)
    a fluid model. What must be done: per operation of the new work, its standard minutes, plus
    the unfinished tasks at the site on that operation (already promised, so they come first,
    whatever their due dates; backlog on other operations is left out) plus `tentative` load
    (work quoted but not yet accepted) on it. Who can do it: everyone at the site who `can_do`
    the operation, with her standard minutes per day as above (weekends, absences and extra
    days included) from `start` on.
    A person's minutes are shared, never counted twice: the work is done by day D when her
    minutes from `start` to D, and everyone else's, can be *assigned* to the operations so that
    every operation gets its need, each person only on operations she can do. That is a
    transport problem, checked exactly with a maximum flow (source -> groups of people who can
    do the same operations, capacity their cumulative minutes -> the operations they can do ->
    sink, capacity each operation's need; feasible when the flow carries every need). The order
    of routing steps (cut before sew) and the splitting into work sessions are ignored: the
    date is a lower bound that is honest about people, not a plan. Cumulative minutes only
    grow with D, so feasibility is monotone and the first feasible day is found by bisection
    over the horizon (a year); needs only grow with the quantity, so the date is monotone in the
    quantity. Cost: a few queries (the backlog as one grouped sum, the workforce in six) and
    about ten small max-flows, whatever the number of tasks.
"""
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
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
        if not exceptions:
            return self._minutes_in(self.slots.get(day.weekday(), []))
        if any(not available for available, _start, _end in exceptions):
            return 0
        return self._minutes_in([(start, end) for _available, start, end in exceptions
                                 if start is not None and end is not None])

    def _minutes_in(self, windows: list[tuple[int, int]]) -> int:
        """Minutes of the windows from her earliest start on, capped by her maximum a day."""
        earliest = self.profile.earliest_start_minute or 0
        total = sum(max(0, end - max(start, earliest)) for start, end in windows)
        if self.profile.max_minutes_per_day is not None:
            total = min(total, self.profile.max_minutes_per_day)
        return total

    def standard_minutes_on(self, day: date) -> int:
        """Her minutes that day at standard pace."""
        return self.minutes_on(day) * self.profile.pace_percent // 100

    def standard_minutes_on_weekday(self, weekday: int) -> int:
        """Her minutes at standard pace on that weekday of her weekly pattern (no exceptions)."""
        return self._minutes_in(self.slots.get(weekday, [])) * self.profile.pace_percent // 100


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
    operation_ids = sorted(work)
    need = _needs(site, work, tentative or {})
    workers = load_workforce(site, start, start + timedelta(days=HORIZON_DAYS - 1))
    reach = _who_can_do(workers, operation_ids)
    needs = [need[operation_id] for operation_id in operation_ids]
    offset = _first_day_covered(_cumulative_minutes_by_group(reach, start), needs)
    if offset is None:
        raise DomainError(_l("This would take more than a year with the people at this site."))
    return start + timedelta(days=offset)


def _first_day_covered(groups: dict[tuple[int, ...], list[int]], needs: list[int]) -> int | None:
    """The first day (days after start) by which the groups' cumulative minutes cover the needs; bisection."""
    reaches = list(groups)

    def covered(offset: int) -> bool:
        return _covers([groups[positions][offset] for positions in reaches], reaches, needs)

    if not covered(HORIZON_DAYS - 1):
        return None
    low, high = 0, HORIZON_DAYS - 1  # the first covered day is in [low, high]
    while low < high:
        middle = (low + high) // 2
        if covered(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _needs(site: Site, work: dict[int, int], tentative: dict[int, int]) -> dict[int, int]:
    """Standard minutes per operation: the new work, tentative load on it and the unfinished tasks on it."""
    need = defaultdict(int, work)
    for operation_id, minutes in tentative.items():
        if operation_id in work:
            need[operation_id] += minutes
    left = case((Task.quantity_done >= Task.quantity, 0), else_=Task.quantity - Task.quantity_done)
    remaining = (Task.standard_minutes * left + Task.quantity - 1) // Task.quantity  # Task.remaining_minutes
    backlog = db.session.execute(
        select(Task.operation_id, func.sum(remaining)).where(
            Task.site_id == site.id, Task.status.in_(UNFINISHED), Task.operation_id.in_(list(work)),
        ).group_by(Task.operation_id)
    )
    for operation_id, minutes in backlog:
        need[operation_id] += int(minutes or 0)
    return dict(need)


def _who_can_do(workers: list[Worker], operation_ids: list[int]) -> list[tuple[Worker, tuple[int, ...]]]:
    """Each worker with the positions (in operation_ids) of the operations she can do; DomainError if one has nobody."""
    operations = {operation.id: operation
                  for operation in db.session.scalars(select(Operation).where(Operation.id.in_(operation_ids)))}
    reach = [(worker, tuple(index for index, operation_id in enumerate(operation_ids)
                            if operation_id in operations and can_do(worker.profile, operations[operation_id])[0]))
             for worker in workers]
    for index, operation_id in enumerate(operation_ids):
        if not any(index in positions for _worker, positions in reach):
            operation = operations.get(operation_id)
            raise DomainError(_l("Nobody at this site can do %(operation)s yet.",
                                 operation=operation.name if operation else operation_id))
    return [(worker, positions) for worker, positions in reach if positions]


def _cumulative_minutes_by_group(reach: list[tuple[Worker, tuple[int, ...]]], start: date) -> dict[tuple, list[int]]:
    """Per set of operations, the standard minutes from `start` to each day (index) of those who can do just those."""
    daily: dict[tuple, list[int]] = defaultdict(lambda: [0] * HORIZON_DAYS)
    for worker, positions in reach:
        minutes = daily[positions]
        by_weekday = [worker.standard_minutes_on_weekday(weekday) for weekday in range(7)]
        weekday = start.weekday()
        for offset in range(HORIZON_DAYS):
            minutes[offset] += by_weekday[(weekday + offset) % 7]
        for day in worker.exceptions:
            offset = (day - start).days
            if 0 <= offset < HORIZON_DAYS:
                minutes[offset] += worker.standard_minutes_on(day) - by_weekday[day.weekday()]
    return {positions: list(accumulate(minutes)) for positions, minutes in daily.items()}


def _covers(supply: list[int], reaches: list[tuple[int, ...]], needs: list[int]) -> bool:
    """Can group g's `supply[g]` minutes, spent only on the operations in `reaches[g]`, cover every need? (max-flow)"""
    groups = len(supply)
    source, sink = groups + len(needs), groups + len(needs) + 1
    residual = [[0] * (sink + 1) for _ in range(sink + 1)]
    for group, (minutes, positions) in enumerate(zip(supply, reaches)):
        residual[source][group] = minutes
        for position in positions:
            residual[group][groups + position] = minutes
    for position, minutes in enumerate(needs):
        residual[groups + position][sink] = minutes
    return _max_flow(residual, source, sink) >= sum(needs)


def _max_flow(residual: list[list[int]], source: int, sink: int) -> int:
    """Edmonds-Karp on a small capacity matrix (changed in place to the residual graph)."""
    flow = 0
    nodes = range(len(residual))
    while True:
        parent = [-1] * len(residual)
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] < 0:
            node = queue.popleft()
            for other in nodes:
                if parent[other] < 0 and residual[node][other] > 0:
                    parent[other] = node
                    queue.append(other)
        if parent[sink] < 0:
            return flow
        path, node = [], sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(residual[tail][head] for tail, head in path)
        for tail, head in path:
            residual[tail][head] -= push
            residual[head][tail] += push
        flow += push
