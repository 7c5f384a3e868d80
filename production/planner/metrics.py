"""The figures of a plan: deadline work left unplanned, paid minutes, what moved."""
from __future__ import annotations

from production.planner.instance import Instance, Plan


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
    """The most paid minutes she could get at all: her cap, and the time she is here."""
    here = sum(min(person.max_minutes_per_day, sum(e - s for s, e in person.day_windows(d))) for d in instance.days)
    return max(0, min(person.paid_cap_minutes(), here, person.max_minutes_per_week))


def fair_level(instance: Instance, plan: Plan) -> int:
    """The highest level L such that every payable person has at least min(L, what she could reach).

    This is what the optimiser's second stage raises; the benchmark compares it to the proven bound.
    """
    paid = plan.paid_minutes()
    reach = {p.id: paid_reach(instance, p) for p in instance.people if p.payable}
    short = [paid.get(pid, 0) for pid, r in reach.items() if paid.get(pid, 0) < r]
    return min(short) if short else max(reach.values(), default=0)


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
