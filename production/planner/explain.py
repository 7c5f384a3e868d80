"""Why a task is unplanned, why a person got no paid hours, which work order will be late.

Each explanation is structured data (a code and its facts) plus a translated sentence.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _babel_gettext
from flask_babel import ngettext as _babel_ngettext

from production.planner.instance import Instance, Plan
from production.planner.instant import _Board
from production.planner.matching import can_do, mismatches



def gettext(message: str, **values) -> str:
    """Translated when an app (and locale) is active; plain English otherwise."""
    try:
        return _babel_gettext(message, **values)
    except (RuntimeError, KeyError, AttributeError):
        return message % values if values else message


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """Like `gettext`, choosing the singular or plural form by `num`."""
    try:
        return _babel_ngettext(singular, plural, num, **values)
    except (RuntimeError, KeyError, AttributeError):
        return (singular if num == 1 else plural) % {"num": num, **values}


def day_name(day: int) -> str:
    """The weekday as written inside a sentence in the user's language ("tirsdag", "Tuesday")."""
    try:
        locale = get_locale()
    except (RuntimeError, KeyError, AttributeError):
        locale = None
    return get_day_names("wide", locale=locale or "en")[day % 7]


@dataclass(frozen=True)
class Explanation:
    code: str
    subject: str  # "task", "person" or "work_order"
    subject_id: int
    facts: dict = field(default_factory=dict)
    message: str = ""


def explain_unplanned_task(instance: Instance, plan: Plan, task_id: int) -> Explanation:
    task = instance.task(task_id)
    placed = plan.by_task()
    op = task.operation
    waiting = [p for p in task.predecessors if p in instance.tasks_by_id() and p not in placed]
    if waiting:
        return Explanation("waits_for_previous", "task", task_id, {"waiting_for": waiting},
                           gettext("It waits for an earlier step (task %(task)s) that is not planned yet.",
                                   task=waiting[0]))
    capable = [p for p in instance.people if can_do(p, op)]
    if not capable:
        skilled = [p for p in instance.people if "skill" not in mismatches(p, op)]
        if not skilled:
            return Explanation("no_skill", "task", task_id, {"skill": op.skill, "level": op.min_level},
                               gettext("Needs %(skill)s level %(level)s; nobody has it.", skill=op.skill_label,
                                       level=op.min_level))
        reasons = sorted({r for p in skilled for r in mismatches(p, op)})
        return Explanation("accommodation", "task", task_id, {"skill": op.skill, "reasons": reasons,
                                                               "people": [p.id for p in skilled]},
                           gettext("The %(count)s people who can do %(skill)s cannot do this task because of "
                                   "their accommodations.", count=len(skilled), skill=op.skill))
    rested = [p for p in capable if p.fits_between_breaks(p.duration(task.standard_minutes))]
    if not rested:
        return Explanation("breaks", "task", task_id, {"people": [p.id for p in capable]},
                           gettext("It takes longer than the people who can do it may work without a break."))
    capable = rested
    first = task.earliest_day
    for p in task.predecessors:
        if p in placed:
            first = max(first, placed[p].day)  # later the same day may do
    days = [d for d in instance.open_days() if d >= first]
    if not days:
        return Explanation("no_days_left", "task", task_id, {"earliest_day": first},
                           gettext("It cannot start before the week's last open day."))
    board = _Board(instance)
    for a in plan.assignments:
        board.take(a.person_id, a.day, a.start, a.minutes)
    full_days = []
    for d in days:
        present = [p for p in capable if p.day_windows(d)]
        if present and not any(board.fits(p, d, p.duration(task.standard_minutes)) is not None for p in present):
            full_days.append(d)
    if not full_days:
        return Explanation("not_available", "task", task_id, {"people": [p.id for p in capable]},
                           gettext("The %(count)s people who can do it are not here on the days it could be done.",
                                   count=len(capable)))
    names = ", ".join(day_name(d) for d in full_days)
    return Explanation("people_full", "task", task_id,
                       {"skill": op.skill, "level": op.min_level, "people": [p.id for p in capable], "days": full_days},
                       gettext("Needs %(skill)s level %(level)s; the %(count)s people who can do it are full on "
                               "%(days)s.", skill=op.skill_label, level=op.min_level, count=len(capable), days=names))


def explain_no_paid_hours(instance: Instance, plan: Plan, person_id: int) -> Explanation | None:
    """Why this person has no paid minutes in the plan; None when she has some."""
    person = instance.person(person_id)
    paid = plan.paid_minutes().get(person_id, 0)
    if paid:
        return None
    if not person.payable:
        return Explanation("not_payable", "person", person_id, {},
                           gettext("%(name)s is not employed for paid hours.", name=person.name))
    if person.paid_cap_minutes() == 0:
        code = "frikort_used" if person.employment.frikort_remaining_ore is not None else "max_zero"
        return Explanation(code, "person", person_id, {},
                           gettext("%(name)s cannot get more paid hours this week (maximum or frikort reached).",
                                   name=person.name))
    total = sum(plan.paid_minutes().values())
    if total >= instance.paid_budget_minutes:
        return Explanation("budget_used", "person", person_id, {"budget": instance.paid_budget_minutes},
                           gettext("The paid-hours budget is used up."))
    tasks = instance.tasks_by_id()
    productive = [a for a in plan.assignments if a.person_id == person_id and tasks[a.task_id].productive]
    if not productive:
        return Explanation("no_productive_work", "person", person_id, {},
                           gettext("%(name)s has no work on real orders this week, and paid hours go only to "
                                   "such work.", name=person.name))
    smallest = min(a.minutes for a in productive)
    return Explanation("too_little_left", "person", person_id,
                       {"smallest_task": smallest, "budget_left": instance.paid_budget_minutes - total},
                       gettext("What is left of the budget is smaller than her smallest task."))


def late_work_orders(instance: Instance, plan: Plan) -> list[Explanation]:
    """Work orders with deadline work that is not planned on time, and by how much."""
    placed = plan.by_task()
    by_order = defaultdict(list)
    for t in instance.tasks:
        if instance.is_deadline_task(t):
            by_order[t.work_order_id].append(t)
    out = []
    for wo, items in sorted(by_order.items()):
        due = instance.effective_due(items[0])
        missing = [t for t in items if t.id not in placed]
        late_days = max((placed[t.id].day - instance.effective_due(t) for t in items if t.id in placed), default=0)
        if not missing and late_days <= 0:
            continue
        minutes = sum(t.standard_minutes for t in missing) + sum(
            t.standard_minutes for t in items if t.id in placed and placed[t.id].day > instance.effective_due(t))
        label = items[0].order_label or str(wo)
        if missing:
            message = gettext("%(order)s, due %(day)s, will be late: %(minutes)s minutes of work are not "
                              "planned this week.", order=label, day=day_name(due), minutes=minutes)
        else:
            message = ngettext("%(order)s, due %(day)s, will be %(num)d day late.",
                               "%(order)s, due %(day)s, will be %(num)d days late.", late_days,
                               order=label, day=day_name(due))
        out.append(Explanation("late_order", "work_order", wo, {"due_day": due, "minutes_late": minutes,
                                                               "days_late": late_days,
                                                               "unplanned_tasks": [t.id for t in missing]},
                               message))
    return out


def explain(instance: Instance, plan: Plan) -> dict[str, list[Explanation]]:
    placed = plan.by_task()
    return {
        "tasks": [explain_unplanned_task(instance, plan, t.id) for t in instance.tasks if t.id not in placed],
        "people": [e for p in instance.people if (e := explain_no_paid_hours(instance, plan, p.id))],
        "orders": late_work_orders(instance, plan),
    }
