"""The shop floor: start and stop work on a task, record minutes and pieces, "my tasks today".

Recorded work is booked in the hours ledger (training or paid, decided by `hours.hours_kind_for`)
and linked to the task by a WorkRecord. Services flush; the view commits.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from staffing.ledger import MAX_MINUTES_PER_ENTRY, book_minutes
from staffing.models import LedgerEntry, Person
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User
from workshop.timeutil import as_utc, local_today, to_local, utcnow

from .hours import hours_kind_for
from .matching import can_do, profile_for
from .models import Task, TaskStatus, WorkRecord, WorkSession
from .workorders import change_task_status

ACTIVE = (TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


def task_reference(task: Task) -> str:
    """The ledger reference: "<work order label> · <operation>"."""
    return f"{task.work_order.source_label} · {task.operation.name_da}"[:200]


def record_work(task: Task, person: Person, minutes: int, quantity: int, actor: User | None = None,
                day: date | None = None) -> WorkRecord:
    """Book `minutes` in the ledger for the person and add `quantity` pieces to the task.

    The task moves to "in progress", and to "done" when all its pieces are made. Minutes
    without pieces may still be booked on a finished or cancelled task (she was working on
    it when a colleague made the last piece, or when the leader cancelled the order).
    """
    if task.site_id != person.site_id:
        raise DomainError(_l("This task belongs to another workshop."))
    if task.status == TaskStatus.CANCELLED and quantity > 0:
        raise DomainError(_l("This task is cancelled."))
    if quantity < 0:
        raise DomainError(_l("Pieces cannot be below 0."), field="quantity")
    if not 0 < minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError(_l("Minutes must be between 1 and %(max)d.", max=MAX_MINUTES_PER_ENTRY), field="minutes")
    if quantity > task.quantity_left:
        raise DomainError(_l("Only %(left)d pieces are left on this task. Check the number.", left=task.quantity_left),
                          field="quantity")
    if task.status in (TaskStatus.OPEN, TaskStatus.PLANNED):
        change_task_status(task, TaskStatus.IN_PROGRESS, actor)
    day = day or local_today()
    entry = book_minutes(person, day, minutes, hours_kind_for(person, day, task), activity="production",
                         reference=task_reference(task), actor=actor)
    record = WorkRecord(task=task, person=person, ledger_entry=entry, minutes=minutes, quantity=quantity,
                        recorded_by_id=actor.id if actor is not None else None)
    db.session.add(record)
    task.quantity_done += quantity
    db.session.flush()
    if task.quantity_done >= task.quantity and task.status == TaskStatus.IN_PROGRESS:
        change_task_status(task, TaskStatus.DONE, actor)
    return record


def running_session(person: Person) -> WorkSession | None:
    return db.session.scalar(select(WorkSession).where(
        WorkSession.person_id == person.id, WorkSession.stopped_at.is_(None)).order_by(WorkSession.id.desc()))


def start_work(person: Person, task: Task, actor: User | None = None) -> WorkSession:
    """Start a work session on the task; a session running on another task is stopped (its minutes booked)."""
    if task.site_id != person.site_id:
        raise DomainError(_l("This task belongs to another workshop."))
    if task.status not in ACTIVE:
        raise DomainError(_l("This task is finished."))
    running = running_session(person)
    if running is not None:
        if running.task_id == task.id:
            return running
        stop_work(person, 0, actor)
    if task.status != TaskStatus.IN_PROGRESS:
        change_task_status(task, TaskStatus.IN_PROGRESS, actor)
    session = WorkSession(task=task, person=person, started_by_id=actor.id if actor is not None else None)
    db.session.add(session)
    db.session.flush()
    return session


def elapsed_minutes(session: WorkSession, now: datetime | None = None) -> int:
    return max(0, int(((now or utcnow()) - as_utc(session.started_at)).total_seconds() // 60))


def stop_work(person: Person, quantity: int, actor: User | None = None, now: datetime | None = None) -> WorkRecord | None:
    """Stop her running session: book its minutes (at least 1, at most a ledger entry's maximum) and pieces."""
    session = running_session(person)
    if session is None:
        raise DomainError(_l("Nothing is running."))
    minutes = min(elapsed_minutes(session, now), MAX_MINUTES_PER_ENTRY)
    session.stopped_at = now or utcnow()
    if minutes < 1 and quantity == 0:
        db.session.flush()
        return None
    return record_work(session.task, person, max(1, minutes), quantity, actor, day=to_local(session.started_at).date())


def record_manually(person: Person, task: Task, minutes: int, quantity: int, actor: User | None = None) -> WorkRecord:
    """"I worked N minutes and made Q pieces": a running session on the same task is closed without booking it."""
    record = record_work(task, person, minutes, quantity, actor)
    session = running_session(person)
    if session is not None and session.task_id == task.id:
        session.stopped_at = utcnow()
        db.session.flush()
    return record


def tasks_for_today(person: Person, limit: int = 12) -> list[tuple[Task, bool]]:
    """Her tasks first (assigned to her), then tasks nobody else has that she can do; only tasks ready to work on.

    Returns (task, is_hers) pairs.
    """
    candidates = db.session.scalars(select(Task).where(
        Task.site_id == person.site_id, Task.status.in_(ACTIVE), Task.earliest_start <= local_today(),
        or_(Task.assignee_id.is_(None), Task.assignee_id == person.id),
    ).order_by(Task.due_date, Task.work_order_id, Task.sequence, Task.batch_number, Task.id))
    profile = profile_for(person)
    mine, others = [], []
    for task in candidates:
        if any(required.status not in (TaskStatus.DONE, TaskStatus.CANCELLED) for required in task.requires):
            continue
        if task.assignee_id == person.id:
            mine.append((task, True))
        elif can_do(profile, task.operation)[0]:
            others.append((task, False))
    return (mine + others)[:limit]


def minutes_booked(task_ids: list[int]) -> dict[int, int]:
    """Minutes in the ledger per task: the entries its work records point to, plus their corrections."""
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(WorkRecord.task_id, func.coalesce(func.sum(LedgerEntry.minutes), 0))
        .join(LedgerEntry, or_(LedgerEntry.id == WorkRecord.ledger_entry_id,
                                 LedgerEntry.corrects_id == WorkRecord.ledger_entry_id))
        .where(WorkRecord.task_id.in_(task_ids)).group_by(WorkRecord.task_id)
    )
    return {task_id: int(minutes) for task_id, minutes in rows}


