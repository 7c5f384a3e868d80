"""Plan a site's week, store the plan, accept it. Services flush; views commit."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload, joinedload

from production.models import Task, TaskStatus
from dataclasses import replace

from production.planner.breaks import required_breaks
from production.planner.instance import Assignment, Forbid, Kind, Pin
from production.planner.instance import Plan as EnginePlan
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_minutes_unplanned, fair_level, figures_rank, rank
from production.planner.models import AssignmentKind, Plan, PlanAssignment, PlanForbid, PlanStatus, locked_day_set
from production.planner.source import accommodated_people, break_minutes, build_instance
from production.planner.validate import validate
from production.workorders import change_task_status
from staffing.models import Person
from staffing.services import record_accommodations_use
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry
from workshop.timeutil import as_utc, monday_of, utcnow


def make_instant_plan(site_id: int, week_start: date, budget_minutes: int, actor, *, base: Plan | None = None) -> Plan:
    """Plan the week with the instant method and store it as a draft.

    With `base` (a draft or accepted plan of the same week): re-plan, keeping its pins, forbids and
    locked days and moving as little of it as possible; a draft base is superseded.
    """
    if budget_minutes < 0:
        raise DomainError(_l("The budget cannot be negative."), field="budget_hours")
    monday = monday_of(week_start)
    instance, previous = week_instance(site_id, monday, budget_minutes, base)
    plan = instant_plan(instance, previous)
    stored = Plan(site_id=site_id, week_start=monday, method=plan.method, budget_minutes=budget_minutes,
                  created_by_id=actor.id if actor else None)
    store_result(stored, instance, plan)
    if base is not None and base.status == PlanStatus.DRAFT:
        base.status = PlanStatus.SUPERSEDED
    db.session.add(stored)
    db.session.flush()
    audit_accommodations(stored, actor, "week plan")
    return stored


def audit_accommodations(plan: Plan, actor, why: str, *, once: bool = False) -> None:
    """The plan reads the accommodations (health data) of the people it plans: one audit entry by the
    leader who asked, "read the accommodations of N people for week W", naming them (each one's audit
    trail shows it). An optimised plan's solver runs later without a user: its entry is written when the
    leader asks for it. With `once`, nothing when this leader has an entry for the plan already (the
    board explains the plan again each time it is opened)."""
    if once and db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "accommodations.read", AuditEntry.object_type == "Plan",
            AuditEntry.object_id == plan.id, AuditEntry.user_id == getattr(actor, "id", None)).limit(1)):
        return
    record_accommodations_use(actor, accommodated_people(plan.site_id), plan, why,
                              week=plan.week_start.isoformat())


def week_instance(site_id: int, monday: date, budget_minutes: int, base: Plan | None):
    """The week's instance, with the base plan's pins, forbids and locked days; and the base as engine plan."""
    instance = build_instance(site_id, monday, budget_minutes=budget_minutes)
    if base is None:
        return instance, None
    previous = engine_plan(base)
    locked = locked_day_set(base)
    known = instance.tasks_by_id()
    fixed = tuple(a for a in previous.assignments if a.day in locked and a.task_id in known)
    instance = replace(
        instance,
        pins=tuple(Pin(a.person_id, a.task_id, (a.day - monday).days) for a in base.assignments
                   if a.pinned and a.task_id in known and (a.day - monday).days not in locked),
        forbids=tuple(Forbid(f.person_id, f.task_id) for f in base.forbids if f.task_id in known),
        locked_days=frozenset(locked), fixed=fixed)
    return instance, previous


def store_result(stored: Plan, instance, plan) -> None:
    """Write an engine plan into `stored`, replacing what it held (checked against every hard rule first)."""
    problems = validate(instance, plan)
    if problems:  # never store a plan that breaks a hard rule
        raise DomainError(_l("The plan cannot keep every pin and lock: %(rule)s", rule=problems[0].message))
    monday = stored.week_start
    stored.method = plan.method
    stored.deadline_minutes_unplanned = deadline_minutes_unplanned(instance, plan)
    stored.lowest_paid_minutes = fair_level(instance, plan)
    stored.locked_days = ",".join(str(d) for d in sorted(instance.locked_days))
    stored.assignments.clear()
    stored.forbids.clear()
    pinned = {p.task_id for p in instance.pins}
    for a in plan.assignments:
        stored.assignments.append(PlanAssignment(
            person_id=a.person_id, task_id=a.task_id, day=monday + timedelta(days=a.day), start_minute=a.start,
            minutes=a.minutes, kind=AssignmentKind.PAID if a.kind == Kind.PAID else AssignmentKind.TRAINING,
            pinned=a.task_id in pinned))
    for f in instance.forbids:
        stored.forbids.append(PlanForbid(person_id=f.person_id, task_id=f.task_id))


def start_optimised(base: Plan, actor) -> Plan:
    """A new plan, still computing: the optimised version of `base` (same week, budget, pins, locks).

    Until the solver finds a better plan it holds a copy of `base`, so the board has a plan to show.
    """
    _draft(base)
    plan = Plan(site_id=base.site_id, week_start=base.week_start, method="optimised", budget_minutes=base.budget_minutes,
                status=PlanStatus.COMPUTING, progress=0, created_by_id=actor.id if actor else None,
                locked_days=base.locked_days, deadline_minutes_unplanned=base.deadline_minutes_unplanned,
                lowest_paid_minutes=base.lowest_paid_minutes)
    for a in base.assignments:
        plan.assignments.append(PlanAssignment(person_id=a.person_id, task_id=a.task_id, day=a.day,
                                               start_minute=a.start_minute, minutes=a.minutes, kind=a.kind,
                                               pinned=a.pinned))
    db.session.add(plan)
    db.session.flush()
    audit_accommodations(plan, actor, "optimised week plan")
    return plan


def record_progress(plan: Plan, instance, fraction: float, better=None) -> None:
    """The solver's news while `plan` is computing: how far it is, and a better plan when it found one."""
    if plan.status != PlanStatus.COMPUTING:
        return  # given up as stalled meanwhile: the leader was told it failed
    if better is not None:
        store_result(plan, instance, better)
        plan.version += 1
    plan.progress = max(1, min(99, int(100 * fraction)))  # 100 means done
    db.session.flush()


def finish_optimised(plan: Plan, instance, final) -> None:
    """The solver is done: the plan becomes a draft with the final plan, unless one stored on the way is better."""
    if plan.status != PlanStatus.COMPUTING:
        return
    stored = figures_rank(plan.deadline_minutes_unplanned, plan.lowest_paid_minutes)
    if plan.version == 0 or rank(instance, final) <= stored:  # version 0 holds the copied base, not a found plan
        store_result(plan, instance, final)
        plan.version += 1
    plan.status, plan.progress = PlanStatus.DRAFT, 100
    db.session.flush()


def stalled_after(seconds: float) -> timedelta:
    """How long a plan may compute before it counts as broken off: far longer than a job takes,
    waiting for a busy worker included."""
    return timedelta(seconds=2 * seconds + 600)


def fail_if_stalled(plan: Plan, seconds: float, now: datetime | None = None) -> bool:
    """A plan still computing long after its job should have ended failed: its worker died (killed,
    machine restarted). True when the plan was given up."""
    if plan.status != PlanStatus.COMPUTING or (now or utcnow()) - as_utc(plan.created_at) <= stalled_after(seconds):
        return False
    plan.status, plan.progress = PlanStatus.FAILED, 100
    db.session.flush()
    return True


def fail_optimised(plan_id: int) -> None:
    """The job broke off: the plan is failed, whatever it held (the plan it started from is unchanged)."""
    db.session.execute(db.update(Plan).where(Plan.id == plan_id).values(status=PlanStatus.FAILED, progress=100))


def _draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(_l("Only a draft plan can be changed. Make a new plan."))


def toggle_pin(plan: Plan, assignment_id: int) -> PlanAssignment | None:
    """Pin or unpin one assignment of a draft plan; None when it is not in this plan."""
    _draft(plan)
    item = next((a for a in plan.assignments if a.id == assignment_id), None)
    if item is not None:
        item.pinned = not item.pinned
        db.session.flush()
    return item


def forbid_and_replan(plan: Plan, assignment_id: int, actor) -> Plan | None:
    """Not this task for this person: re-plan at once without it."""
    _draft(plan)
    item = next((a for a in plan.assignments if a.id == assignment_id), None)
    if item is None:
        return None
    if item.pinned:
        raise DomainError(_l("Unpin the task before you forbid it."))
    plan.forbids.append(PlanForbid(person_id=item.person_id, task_id=item.task_id))
    db.session.flush()
    return make_instant_plan(plan.site_id, plan.week_start, plan.budget_minutes, actor, base=plan)


def toggle_lock(plan: Plan, day: int) -> None:
    _draft(plan)
    if not 0 <= day <= 6:
        raise DomainError(_l("There is no such day."))
    days = locked_day_set(plan) ^ {day}
    plan.locked_days = ",".join(str(d) for d in sorted(days))
    db.session.flush()


def engine_plan(plan: Plan) -> EnginePlan:
    return EnginePlan([Assignment(a.person_id, a.task_id, (a.day - plan.week_start).days, a.start_minute, a.minutes,
                                  Kind.PAID if a.kind == AssignmentKind.PAID else Kind.TRAINING)
                       for a in plan.assignments], method=plan.method)


def accept_plan(plan: Plan, actor) -> Plan:
    """Accept a draft: its tasks become planned with their assignee; older accepted plans are superseded."""
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(_l("Only a draft plan can be accepted."))
    for older in db.session.scalars(select(Plan).where(Plan.site_id == plan.site_id, Plan.week_start == plan.week_start,
                                                       Plan.status == PlanStatus.ACCEPTED)):
        older.status = PlanStatus.SUPERSEDED
    for a in plan.assignments:
        task = a.task
        if task.status not in (TaskStatus.OPEN, TaskStatus.PLANNED):
            raise DomainError(_l("A task in this plan has already started or is finished. Make a new plan."))
        task.assignee_id = a.person_id
        change_task_status(task, TaskStatus.PLANNED, actor, note="week plan")
    plan.status = PlanStatus.ACCEPTED
    plan.accepted_at = utcnow()
    plan.accepted_by_id = actor.id if actor else None
    db.session.flush()
    return plan


def site_plans(site_id: int) -> list[Plan]:
    return list(db.session.scalars(select(Plan).where(Plan.site_id == site_id)
                                   .order_by(Plan.week_start.desc(), Plan.id.desc()).limit(20)))


def site_plan(site_id: int, plan_id: int) -> Plan | None:
    """The site's plan with its assignments, their people and tasks (the week board shows them all)."""
    plan = db.session.get(Plan, plan_id, options=[
        selectinload(Plan.assignments).selectinload(PlanAssignment.person),
        selectinload(Plan.assignments).selectinload(PlanAssignment.task).joinedload(Task.operation),
        selectinload(Plan.assignments).selectinload(PlanAssignment.task).joinedload(Task.work_order)])
    return plan if plan is not None and plan.site_id == site_id else None


def person_of_user(user) -> Person | None:
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def accepted_assignments(person: Person, since: date) -> list[PlanAssignment]:
    """Her assignments in accepted plans from `since` on, in time order."""
    return list(db.session.scalars(
        select(PlanAssignment).join(Plan).where(PlanAssignment.person_id == person.id,
                                                Plan.status == PlanStatus.ACCEPTED, PlanAssignment.day >= since)
        .order_by(PlanAssignment.day, PlanAssignment.start_minute)))


def breaks_after(assignments) -> dict[int, tuple[int, int]]:
    """Assignment id -> (start, end) of the break her accommodation needs right after it."""
    by_day = defaultdict(list)
    for a in assignments:
        by_day[(a.person_id, a.day)].append(a)
    out = {}
    for items in by_day.values():
        accommodation = items[0].person.accommodation
        if accommodation is None or accommodation.break_every_minutes is None:
            continue
        ending_at = {a.start_minute + a.minutes: a.id for a in items}
        intervals = [(a.start_minute, a.start_minute + a.minutes) for a in items]
        for start, end in required_breaks(intervals, accommodation.break_every_minutes, break_minutes()):
            out[ending_at[start]] = (start, end)
    return out
