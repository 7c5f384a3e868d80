"""Check any plan against every hard rule and say, readably, what is broken."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from production.planner.breaks import too_long_blocks
from production.planner.instance import Assignment, Instance, Kind, Plan
from production.planner.matching import mismatches

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    person_id: int | None = None
    task_id: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _fits_windows(windows, start: int, end: int) -> bool:
    return any(ws <= start and end <= we for ws, we in windows)


def validate(instance: Instance, plan: Plan) -> list[Violation]:
    """Every violated hard rule of `plan`; an empty list means the plan is valid."""
    out: list[Violation] = []
    people = instance.people_by_id()
    tasks = instance.tasks_by_id()
    seen: dict[int, Assignment] = {}
    per_person: dict[int, list[Assignment]] = defaultdict(list)

    for a in plan.assignments:
        person, task = people.get(a.person_id), tasks.get(a.task_id)
        if person is None or task is None:
            out.append(Violation("unknown", f"Assignment names an unknown person {a.person_id} or task {a.task_id}.",
                                 a.person_id, a.task_id, a.day))
            continue
        where = f"{person.name}, {DAY_NAMES[a.day % 7]} {hhmm(a.start)}-{hhmm(a.end)}, task {task.id}"
        if a.task_id in seen:
            out.append(Violation("once", f"Task {task.id} is planned more than once.", a.person_id, a.task_id, a.day))
            continue
        seen[a.task_id] = a
        per_person[a.person_id].append(a)
        if a.day not in instance.days:
            out.append(Violation("day", f"{where}: the day is outside the planning week.", a.person_id, a.task_id, a.day))
        if a.minutes != person.duration(task.standard_minutes):
            out.append(Violation("duration", f"{where}: needs {person.duration(task.standard_minutes)} minutes at her pace,"
                                 f" planned {a.minutes}.", a.person_id, a.task_id, a.day))
        if a.start < person.earliest_start_minute:
            out.append(Violation("earliest_start", f"{where}: starts before her earliest start "
                                 f"{hhmm(person.earliest_start_minute)}.", a.person_id, a.task_id, a.day))
        if not _fits_windows(person.windows.get(a.day, ()), a.start, a.end):
            out.append(Violation("availability", f"{where}: outside her availability.", a.person_id, a.task_id, a.day))
        for reason in mismatches(person, task.operation):
            out.append(Violation(reason, f"{where}: she cannot do {task.operation.code} ({reason}).",
                                 a.person_id, a.task_id, a.day))
        if a.day < task.earliest_day:
            out.append(Violation("task_earliest", f"{where}: the task cannot start before day {task.earliest_day}.",
                                 a.person_id, a.task_id, a.day))
        if a.kind == Kind.PAID:
            if not person.payable:
                out.append(Violation("not_payable", f"{where}: paid, but she cannot be paid.", a.person_id, a.task_id, a.day))
            if not task.productive:
                out.append(Violation("paid_unproductive", f"{where}: paid hours on work that is not productive.",
                                     a.person_id, a.task_id, a.day))

    # Routing order: a task starts only after its predecessors' planned work is finished.
    for a in seen.values():
        for pred_id in tasks[a.task_id].predecessors:
            if pred_id not in tasks:
                continue  # done or outside this week's problem
            pred = seen.get(pred_id)
            if pred is None:
                out.append(Violation("routing", f"Task {a.task_id} is planned, but task {pred_id} before it is not.",
                                     a.person_id, a.task_id, a.day))
            elif (pred.day, pred.end) > (a.day, a.start):
                out.append(Violation("routing", f"Task {a.task_id} starts before task {pred_id} before it is finished.",
                                     a.person_id, a.task_id, a.day))

    total_paid = 0
    for person_id, items in per_person.items():
        person = people[person_id]
        items.sort(key=lambda a: (a.day, a.start))
        by_day: dict[int, int] = defaultdict(int)
        for prev, cur in zip(items, items[1:]):
            if prev.day == cur.day and cur.start < prev.end:
                out.append(Violation("overlap", f"{person.name}: tasks {prev.task_id} and {cur.task_id} overlap on "
                                     f"{DAY_NAMES[cur.day % 7]}.", person_id, cur.task_id, cur.day))
        for a in items:
            by_day[a.day] += a.minutes
        out.extend(_break_violations(person, items))
        for day, minutes in by_day.items():
            if minutes > person.max_minutes_per_day:
                out.append(Violation("max_day", f"{person.name}: {minutes} minutes on {DAY_NAMES[day % 7]}, "
                                     f"more than her {person.max_minutes_per_day}.", person_id, None, day))
        week = sum(by_day.values())
        if week > person.max_minutes_per_week:
            out.append(Violation("max_week", f"{person.name}: {week} minutes this week, more than her "
                                 f"{person.max_minutes_per_week}.", person_id))
        paid = sum(a.minutes for a in items if a.kind == Kind.PAID)
        total_paid += paid
        emp = person.employment
        if emp is not None and paid:
            if paid > emp.max_paid_minutes:
                out.append(Violation("max_paid", f"{person.name}: {paid} paid minutes, more than her "
                                     f"{emp.max_paid_minutes}.", person_id))
            if emp.frikort_remaining_ore is not None and paid * emp.wage_ore > emp.frikort_remaining_ore * 60:
                out.append(Violation("frikort", f"{person.name}: {paid} paid minutes exceed what is left on her frikort.",
                                     person_id))
    if total_paid > instance.paid_budget_minutes:
        out.append(Violation("budget", f"{total_paid} paid minutes planned, more than the budget of "
                             f"{instance.paid_budget_minutes}."))

    for pin in instance.pins:
        a = seen.get(pin.task_id)
        if a is None or a.person_id != pin.person_id or (pin.day is not None and a.day != pin.day):
            out.append(Violation("pin", f"Task {pin.task_id} is pinned to person {pin.person_id}"
                                 + (f" on day {pin.day}" if pin.day is not None else "") + ", but the plan differs.",
                                 pin.person_id, pin.task_id, pin.day))
    for forbid in instance.forbids:
        a = seen.get(forbid.task_id)
        if a is not None and a.person_id == forbid.person_id and (forbid.day is None or a.day == forbid.day):
            out.append(Violation("forbid", f"Task {forbid.task_id} is forbidden for person {forbid.person_id}.",
                                 forbid.person_id, forbid.task_id, a.day))
    fixed = set(instance.fixed)
    for f in instance.fixed:
        if f not in set(plan.assignments):
            out.append(Violation("locked", f"Task {f.task_id} was fixed on locked day {f.day} but was changed.",
                                 f.person_id, f.task_id, f.day))
    for a in plan.assignments:
        if a.day in instance.locked_days and a not in fixed:
            out.append(Violation("locked", f"Task {a.task_id} was added to locked day {a.day}.",
                                 a.person_id, a.task_id, a.day))
    return out


def _break_violations(person, items: list[Assignment]) -> list[Violation]:
    """Her blocks of work longer than her accommodation allows without a break."""
    every, length = person.accommodations.break_every_minutes, person.accommodations.break_minutes
    if every is None:
        return []
    by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a in items:
        by_day[a.day].append((a.start, a.end))
    return [Violation("breaks", f"{person.name}: works {hhmm(start)}-{hhmm(end)} on {DAY_NAMES[day % 7]} without a "
                      f"break of {length} minutes; she needs one every {every} minutes.", person.id, None, day)
            for day, intervals in sorted(by_day.items()) for start, end in too_long_blocks(intervals, every, length)]


def assert_valid(instance: Instance, plan: Plan) -> None:
    problems = validate(instance, plan)
    if problems:
        raise AssertionError("invalid plan:\n" + "\n".join(str(v) for v in problems[:20]))
