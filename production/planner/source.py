"""Build a planning instance for one site and ISO week from the database (read only).

This is the one planner module that touches the database; the engine modules never do.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from production.models import Operation, SourceKind, Task, TaskStatus, WorkOrder
from production.planner import instance as pi
from staffing.ledger import frikort_status
from staffing.models import (
    Accommodation,
    AvailabilityException,
    CourseStatus,
    Person,
    PersonKind,
    SkillLevel,
)
from workshop.extensions import db

WEEK = tuple(range(7))
DEFAULT_MAX_DAY = 8 * 60


def week_windows(slots, exceptions, monday: date) -> dict[int, tuple[pi.Window, ...]]:
    """Day index -> windows after the weekly slots and the dated exceptions of that week."""
    out: dict[int, list[pi.Window]] = {d: [] for d in WEEK}
    for slot in slots:
        out[slot.weekday].append((slot.start_minute, slot.end_minute))
    for d in WEEK:
        day_exceptions = [e for e in exceptions if e.day == monday + timedelta(days=d)]
        if any(not e.available for e in day_exceptions):
            out[d] = []
        elif day_exceptions:
            out[d] = [(e.start_minute, e.end_minute) for e in day_exceptions
                      if e.start_minute is not None and e.end_minute is not None]
    return {d: tuple(sorted(w)) for d, w in out.items() if w}


def _latest(rows):
    return max(rows, key=lambda r: (r.since, r.id)) if rows else None


def person_for_week(person: Person, monday: date, frikort_remaining_ore: int | None = None,
                    exceptions: list[AvailabilityException] | None = None) -> pi.Person:
    """The engine's view of her week. Reads her loaded relationships (build_instance loads them for
    everyone at once); `exceptions`: her availability exceptions of the week, read here if not given."""
    sunday = monday + timedelta(days=6)
    slots = person.availability
    if exceptions is None:
        exceptions = db.session.scalars(select(AvailabilityException).where(
            AvailabilityException.person_id == person.id, AvailabilityException.day.between(monday, sunday))).all()
    acc = person.accommodation
    levels: dict[str, SkillLevel] = {}
    for level in (level for level in person.skill_levels if level.since <= sunday):
        current = levels.get(level.skill.code)
        if current is None or (level.since, level.id) > (current.since, current.id):
            levels[level.skill.code] = level
    pace = _latest([pace for pace in person.pace_history if pace.since <= sunday])
    employment = None
    for emp in person.employments:
        if emp.start_date <= sunday and (emp.end_date is None or emp.end_date >= monday):
            employment = pi.Employment(True, emp.min_weekly_minutes, emp.max_weekly_minutes, emp.hourly_wage_ore,
                                       frikort_remaining_ore if emp.has_frikort else None)
            break
    active_course = next((c for c in person.courses if c.status == CourseStatus.ACTIVE), None)
    return pi.Person(
        id=person.id, name=person.name, windows=week_windows(slots, exceptions, monday),
        max_minutes_per_day=(acc.max_minutes_per_day if acc and acc.max_minutes_per_day else DEFAULT_MAX_DAY),
        max_minutes_per_week=active_course.weekly_minutes if active_course and employment is None else 7 * 24 * 60,
        earliest_start_minute=(acc.earliest_start_minute or 0) if acc else 0,
        skills={code: level.level for code, level in levels.items()},
        pace_percent=pace.percent if pace else 100,
        accommodations=pi.Accommodations(acc.max_lift_kg, acc.max_standing_minutes, acc.needs_quiet, acc.needs_seated,
                                         acc.break_every_minutes, break_minutes())
        if acc else pi.Accommodations(),
        employment=employment, trainee=person.kind == PersonKind.TRAINEE,
    )


def break_minutes() -> int:
    """The length of the break for people who need one every N minutes (a setting)."""
    return current_app.config["PLANNER_BREAK_MINUTES"]


def operation_data(operation) -> pi.Operation:
    return pi.Operation(operation.code, operation.skill.code, operation.min_skill_level, operation.lift_kg,
                        operation.standing_minutes, operation.noisy, name=operation.name,
                        pictogram=operation.pictogram, skill_name=operation.skill.name.lower())


def frikort_left(people, monday: date) -> dict[int, int]:
    """Person id -> øre she may still earn this year under her socialt frikort (frikort holders only).

    With no cap configured for the year, nothing is left: paid hours then need a leader's override.
    """
    left = {}
    for person in people:
        status = frikort_status(person, monday)
        if status is not None:
            left[person.id] = status.remaining_ore or 0  # no cap configured: nothing left
    return left


def _planned(site_id: int) -> tuple:
    """Who the planner plans: the site's people, former ones left out."""
    return Person.site_id == site_id, Person.kind != PersonKind.FORMER


def accommodated_people(site_id: int) -> list[int]:
    """The people whose accommodations (health data) a plan of the site reads: those it plans who have any."""
    return list(db.session.scalars(select(Accommodation.person_id).join(Person).where(*_planned(site_id))))


def build_instance(site_id: int, monday: date, *, budget_minutes: int,
                   frikort_remaining_ore: dict[int, int] | None = None) -> pi.Instance:
    """The week's problem: the site's people and its open or planned tasks that can start this week.

    `frikort_remaining_ore`: person id -> what is left on her frikort; by default read from the
    ledger against the configured yearly cap (staffing's `frikort_status`).
    """
    sunday = monday + timedelta(days=6)
    people = db.session.scalars(select(Person).where(*_planned(site_id)).order_by(Person.id).options(
        selectinload(Person.availability), selectinload(Person.employments), selectinload(Person.accommodation),
        selectinload(Person.skill_levels).joinedload(SkillLevel.skill), selectinload(Person.pace_history),
        selectinload(Person.courses))).all()
    exceptions: dict[int, list[AvailabilityException]] = {person.id: [] for person in people}
    for exception in db.session.scalars(select(AvailabilityException).where(
            AvailabilityException.person_id.in_(list(exceptions)), AvailabilityException.day.between(monday, sunday))):
        exceptions[exception.person_id].append(exception)
    if frikort_remaining_ore is None:
        frikort_remaining_ore = frikort_left(people, monday)
    tasks = db.session.scalars(select(Task).where(
        Task.site_id == site_id, Task.status.in_((TaskStatus.OPEN, TaskStatus.PLANNED)),
        Task.earliest_start <= sunday).order_by(Task.id).options(
        selectinload(Task.requires), joinedload(Task.operation).joinedload(Operation.skill),
        joinedload(Task.work_order).joinedload(WorkOrder.product))).all()
    ids = {t.id for t in tasks}
    out_tasks = []
    for t in tasks:
        waiting = [r for r in t.requires if r.status not in (TaskStatus.DONE, TaskStatus.CANCELLED)]
        if any(r.id not in ids for r in waiting):
            continue  # an earlier step is neither done nor plannable this week
        out_tasks.append(pi.Task(
            id=t.id, work_order_id=t.work_order_id, operation=operation_data(t.operation),
            standard_minutes=t.standard_minutes, earliest_day=max(0, (t.earliest_start - monday).days),
            due_day=(t.due_date - monday).days, predecessors=tuple(r.id for r in waiting),
            productive=t.work_order.source_kind != SourceKind.INTERNAL, quantity=t.quantity,
            label=t.work_order.product.name_da if t.work_order.product else "",
            order_label=t.work_order.source_label))
    days = tuple(d for d in WEEK if d < 5 or any(s.weekday == d for p in people for s in p.availability))
    return pi.Instance(
        people=tuple(person_for_week(p, monday, frikort_remaining_ore.get(p.id), exceptions[p.id]) for p in people),
        tasks=tuple(out_tasks), paid_budget_minutes=budget_minutes, days=days,
        name=f"site {site_id} week of {monday.isoformat()}")
