"""The figures of a plan: deadline work left unplanned, paid minutes, what moved."""
from __future__ import annotations

from production.planner.instance import Instance, Kind, Plan
from production.planner.instant import topological_order
from production.planner.matching import can_do


def deadline_minutes_unplanned(instance: Instance, plan: Plan) -> int:
    """Standard minutes of work due this week that is not planned on or before its due day."""
    placed = plan.by_task()
    total = 0
    for task in instance.tasks:
        if not instance.is_deadline_task(task):
            continue
        a = placed.get(task.id)
        if a is None or a.day > instance.effective_due(task):
            total += task.standard_minutes
    return total


def deadline_lower_bound(instance: Instance) -> int:
    """Deadline minutes that no valid plan can avoid: the optimiser's proven lower bound.

    Each task gets its earliest possible finish: after its predecessors' earliest finish, done by
    the quickest person who can do it, in one of her windows (a locked task: where it is locked).
    Work that cannot start on or before its due day is late in every plan. The bound ignores that
    people are busy with other work, so it proves a plan minimal only when the two agree.
    """
    tasks = instance.tasks_by_id()
    fixed = {a.task_id: a for a in instance.fixed}
    options: dict[tuple, list[tuple[int, int, int]]] = {}  # (operation, minutes, day) -> (start, end, duration)
    finish: dict[int, tuple[int, float]] = {}
    never = (instance.last_day + 1, 0)
    for task in topological_order(instance):
        if task.id in fixed:
            finish[task.id] = (fixed[task.id].day, fixed[task.id].end)
            continue
        ready = max([(task.earliest_day, 0)] + [finish[p] for p in task.predecessors if p in tasks])
        finish[task.id] = never
        for day in instance.open_days():
            if day < ready[0]:
                continue
            key = (task.operation, task.standard_minutes, day)
            if key not in options:
                options[key] = _windows_that_fit(instance, task, day)
            not_before = ready[1] if day == ready[0] else 0
            ends = [max(s, not_before) + d for s, e, d in options[key] if max(s, not_before) + d <= e]
            if ends:
                finish[task.id] = (day, min(ends))
                break
    return sum(t.standard_minutes for t in instance.tasks
               if instance.is_deadline_task(t) and finish[t.id][0] > instance.effective_due(t))


def _windows_that_fit(instance: Instance, task, day: int) -> list[tuple[int, int, int]]:
    """(start, end, her duration) of each window that day of each person who can do the task in it."""
    out = []
    for p in instance.people:
        minutes = p.duration(task.standard_minutes)
        if (can_do(p, task.operation) and p.fits_between_breaks(minutes)
                and minutes <= min(p.max_minutes_per_day, p.max_minutes_per_week)):
            out.extend((s, e, minutes) for s, e in p.day_windows(day) if e - s >= minutes)
    return out


def planned_minutes(plan: Plan) -> int:
    return sum(a.minutes for a in plan.assignments)


def paid_by_payable(instance: Instance, plan: Plan) -> dict[int, int]:
    """Paid minutes per payable person (0 for those without any)."""
    paid = plan.paid_minutes()
    return {p.id: paid.get(p.id, 0) for p in instance.people if p.payable}


def paid_range(instance: Instance, plan: Plan) -> tuple[int, int]:
    """(lowest, highest) paid minutes among payable people; (0, 0) when nobody is payable."""
    values = list(paid_by_payable(instance, plan).values())
    return (min(values), max(values)) if values else (0, 0)


def paid_reach(instance: Instance, person) -> int:
    """The most paid minutes she could get at all: her cap, and the time she is here less her breaks."""
    here = sum(min(person.max_minutes_per_day, sum(e - s for s, e in person.work_windows(d))) for d in instance.days)
    return max(0, min(person.paid_cap_minutes(), here, person.max_minutes_per_week))


def fair_level(instance: Instance, plan: Plan) -> int:
    """The highest level L such that every payable person has at least min(L, what she could reach).

    This is what the optimiser's second stage raises; the benchmark compares it to the proven bound.
    """
    paid = plan.paid_minutes()
    reach = {p.id: paid_reach(instance, p) for p in instance.people if p.payable}
    short = [paid.get(pid, 0) for pid, r in reach.items() if paid.get(pid, 0) < r]
    return min(short) if short else max(reach.values(), default=0)


def fair_level_bound(instance: Instance) -> int:
    """No valid plan has a higher fair level than this: the optimiser's proven upper bound.

    Paid minutes come in whole assignments, so a person's paid minutes are a sum of the durations
    (at her pace) of productive tasks she can do, and never above what she could reach. At level L
    everyone needs the smallest such sum that is at least min(L, her reach), and the needs must fit
    in the budget. Ignoring that colleagues compete for the same tasks only makes the bound higher.
    """
    tasks = [t for t in instance.tasks if t.productive]
    fixed_paid: dict[int, int] = {}
    for a in instance.fixed:
        if a.kind == Kind.PAID:
            fixed_paid[a.person_id] = fixed_paid.get(a.person_id, 0) + a.minutes
    reach, sums = {}, {}
    for person in instance.people:
        if person.payable:
            reach[person.id] = paid_reach(instance, person)
            durations = [person.duration(t.standard_minutes) for t in tasks if can_do(person, t.operation)]
            sums[person.id] = _duration_sums([d for d in durations if person.fits_between_breaks(d)], reach[person.id])

    def needs_fit(level: int) -> bool:
        total = 0
        for pid, r in reach.items():
            target = min(level, r)
            above = sums[pid] >> target  # bit k: target + k is a possible sum
            if not above:
                return False
            total += max(fixed_paid.get(pid, 0), target + (above & -above).bit_length() - 1)
        return total <= instance.paid_budget_minutes

    low, high = 0, max(reach.values(), default=0)
    while low < high:  # needs grow with the level, so the levels that fit are 0..bound
        mid = (low + high + 1) // 2
        low, high = (mid, high) if needs_fit(mid) else (low, mid - 1)
    return low


def _duration_sums(durations: list[int], limit: int) -> int:
    """The sums of any subset of `durations` up to `limit`, as a bit set (bit m set: m is a sum)."""
    sums, mask = 1, (1 << (limit + 1)) - 1
    for minutes in durations:
        sums = (sums | (sums << minutes)) & mask
    return sums


def figures_rank(deadline_minutes: int, lowest_paid_minutes: int) -> tuple[int, int]:
    """Plans compare lexicographically, smaller is better: less deadline work unplanned, then a higher fair level."""
    return deadline_minutes, -lowest_paid_minutes


def rank(instance: Instance, plan: Plan) -> tuple[int, int]:
    return figures_rank(deadline_minutes_unplanned(instance, plan), fair_level(instance, plan))


def moved_minutes(previous: Plan, plan: Plan, unaffected: set[int] | None = None) -> tuple[int, int]:
    """(moved, total) minutes of the previous plan's assignments in `unaffected` (task ids; all when None)
    that are no longer with the same person on the same day."""
    now = plan.by_task()
    moved = total = 0
    for a in previous.assignments:
        if unaffected is not None and a.task_id not in unaffected:
            continue
        total += a.minutes
        b = now.get(a.task_id)
        if b is None or b.person_id != a.person_id or b.day != a.day:
            moved += a.minutes
    return moved, total


def summary(instance: Instance, plan: Plan) -> dict:
    low, high = paid_range(instance, plan)
    return {
        "deadline_minutes_unplanned": deadline_minutes_unplanned(instance, plan),
        "planned_minutes": planned_minutes(plan),
        "paid_minutes": sum(plan.paid_minutes().values()),
        "min_paid_minutes": low,
        "max_paid_minutes": high,
        "fair_level_minutes": fair_level(instance, plan),
        "unplanned_tasks": len(instance.tasks) - len(plan.assignments),
    }
