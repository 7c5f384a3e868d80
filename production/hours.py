"""Training or paid: the one place that decides what kind of hours recorded work becomes."""
from datetime import date, timedelta

from sqlalchemy import select

from staffing.ledger import current_wage, minutes_worked, paid_room_minutes
from staffing.models import Employment, HoursKind, Person
from workshop.extensions import db
from workshop.timeutil import monday_of

from .models import Task
from .planner.models import AssignmentKind, Plan, PlanAssignment, PlanStatus


def hours_kind_for(person: Person, day: date, task: Task | None = None) -> HoursKind:
    """The accepted week plan decides; without one, her employment's weekly maximum does.

    With an accepted plan for her site and that week, minutes are PAID only where the plan
    gives her paid time on this task that day: paid hours go to planned, productive work.
    Without a plan: PAID while she has an employment covering `day` and her paid minutes that
    ISO week are below its weekly maximum. Never PAID without a wage for the day.
    """
    if current_wage(person, day) is None:
        return HoursKind.TRAINING
    plan = accepted_plan(person.site_id, day)
    if plan is not None:
        return HoursKind.PAID if _planned_paid(plan, person, day, task) else HoursKind.TRAINING
    employment = employment_on(person, day)
    if employment is None:
        return HoursKind.TRAINING
    monday = monday_of(day)
    paid = minutes_worked(person, monday, monday + timedelta(days=6), HoursKind.PAID)
    return HoursKind.PAID if paid < employment.max_weekly_minutes else HoursKind.TRAINING


def split_by_kind(person: Person, day: date, task: Task | None, minutes: int,
                  override: bool = False) -> list[tuple[HoursKind, int]]:
    """Recorded minutes as (kind, minutes) parts: paid as `hours_kind_for` decides, but only up to what she
    may still be paid that week (weekly maximum, socialt frikort); the rest is training. A leader's
    `override` keeps them all paid."""
    if hours_kind_for(person, day, task) != HoursKind.PAID:
        return [(HoursKind.TRAINING, minutes)]
    paid = minutes if override else min(minutes, paid_room_minutes(person, day))
    return [(kind, part) for kind, part in ((HoursKind.PAID, paid), (HoursKind.TRAINING, minutes - paid)) if part > 0]


def planned_for(person: Person, task: Task) -> bool:
    """True when an accepted week plan gives her this task on some day."""
    return db.session.scalar(select(PlanAssignment.id).join(Plan).where(
        Plan.status == PlanStatus.ACCEPTED, PlanAssignment.person_id == person.id,
        PlanAssignment.task_id == task.id).limit(1)) is not None


def accepted_plan(site_id: int, day: date) -> Plan | None:
    return db.session.scalar(select(Plan).where(
        Plan.site_id == site_id, Plan.week_start == monday_of(day), Plan.status == PlanStatus.ACCEPTED))


def _planned_paid(plan: Plan, person: Person, day: date, task: Task | None) -> bool:
    query = select(PlanAssignment.id).where(
        PlanAssignment.plan_id == plan.id, PlanAssignment.person_id == person.id, PlanAssignment.day == day,
        PlanAssignment.kind == AssignmentKind.PAID,
    )
    if task is not None:
        query = query.where(PlanAssignment.task_id == task.id)
    return db.session.scalar(query.limit(1)) is not None


def employment_on(person: Person, day: date) -> Employment | None:
    for employment in person.employments:
        if employment.start_date <= day and (employment.end_date is None or day <= employment.end_date):
            return employment
    return None
