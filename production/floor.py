"""The shop floor: start and stop work on a task, record minutes and pieces, "my tasks today".

Recorded work is booked in the hours ledger (training or paid, split by `hours.split_by_kind`)
and linked to the task by a WorkRecord. Services flush; the view commits.
"""
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from staffing.ledger import MAX_MINUTES_PER_ENTRY, HoursSplit, book_minutes, training_paid_split
from staffing.models import LedgerEntry, Person
from workshop.dblocks import hold_sqlite_write_lock
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import as_utc, local_today, to_local, utcnow

from .hours import planned_for, split_by_kind
from .matching import can_do, profile_for
from .models import Task, TaskStatus, WorkRecord, WorkSession
from .planner.source import week_windows
from .workorders import change_task_status

ACTIVE = (TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


def task_reference(task: Task) -> str:
    """The ledger reference: "<work order label> · <operation>"."""
    return f"{task.work_order.source_label} · {task.operation.name_da}"[:200]


def record_work(task: Task, person: Person, minutes: int, quantity: int, actor: User | None = None,
                day: date | None = None, override_reason: str = "") -> list[WorkRecord]:
    """Book `minutes` in the ledger for the person and add `quantity` pieces to the task.

    Minutes she may still be paid that week are booked as paid (if the plan or her employment
    makes them paid), the rest as training: one work record per ledger entry, the pieces on the
    first. A leader's `override_reason` books them all as paid. The task moves to "in progress",
    and to "done" when all its pieces are made. Minutes without pieces may still be booked on a
    finished or cancelled task (she was working on it when a colleague made the last piece, or
    when the leader cancelled the order).
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
    records = []
    for kind, part in split_by_kind(person, day, task, minutes, override=bool(override_reason)):
        entry = book_minutes(person, day, part, kind, activity="production", reference=task_reference(task),
                             actor=actor, override_reason=override_reason)
        record = WorkRecord(task=task, person=person, ledger_entry=entry, minutes=part,
                            quantity=0 if records else quantity, recorded_by_id=actor.id if actor is not None else None)
        db.session.add(record)  # before the next booking flushes
        records.append(record)
    task.quantity_done += quantity
    db.session.flush()
    if task.quantity_done >= task.quantity and task.status == TaskStatus.IN_PROGRESS:
        change_task_status(task, TaskStatus.DONE, actor)
    return records


def is_open_to(task: Task, person: Person) -> bool:
    """Hers (assigned to her or planned for her in an accepted plan), or nobody's and she can do it."""
    if task.assignee_id == person.id or planned_for(person, task):
        return True
    return task.assignee_id is None and can_do(profile_for(person), task.operation)[0]


def _check_open_to(task: Task, person: Person, actor: User | None) -> None:
    """A trainee works only on tasks open to her; staff and leaders may record any task of her workshop."""
    if actor is not None and actor.role == Role.TRAINEE and not is_open_to(task, person):
        raise DomainError(_l("This task is not for you. Choose one of your tasks."))


def _lock_person(person: Person) -> None:
    """Her row locked until the transaction ends, so two taps at once (two devices) start or stop one
    session, not two: the second waits and then sees the first's (SQLite: the write lock)."""
    hold_sqlite_write_lock()
    db.session.execute(select(Person.id).where(Person.id == person.id).with_for_update())


def running_session(person: Person) -> WorkSession | None:
    return db.session.scalar(select(WorkSession).where(
        WorkSession.person_id == person.id, WorkSession.stopped_at.is_(None)).order_by(WorkSession.id.desc()))


def start_work(person: Person, task: Task, actor: User | None = None) -> WorkSession:
    """Start a work session on the task; a session running on another task is stopped (its minutes booked)."""
    if task.site_id != person.site_id:
        raise DomainError(_l("This task belongs to another workshop."))
    if task.status not in ACTIVE:
        raise DomainError(_l("This task is finished."))
    _check_open_to(task, person, actor)
    _lock_person(person)
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


def stop_work(person: Person, quantity: int, actor: User | None = None,
              now: datetime | None = None) -> list[WorkRecord]:
    """Stop her running session: book its minutes (at least 1, at most a ledger entry's maximum) and pieces."""
    _lock_person(person)
    session = running_session(person)
    if session is None:
        raise DomainError(_l("Nothing is running."))
    minutes = min(elapsed_minutes(session, now), MAX_MINUTES_PER_ENTRY)
    session.stopped_at = now or utcnow()
    if minutes < 1 and quantity == 0:
        db.session.flush()
        return []
    return record_work(session.task, person, max(1, minutes), quantity, actor, day=to_local(session.started_at).date())


def plausible_minutes(person: Person, now: datetime | None = None) -> int:
    """The most she can have worked today and not yet recorded on the shop floor: the longer of her
    availability today and the time since her first session today started, less what is booked."""
    now = now or utcnow()
    today = to_local(now).date()
    windows = week_windows(person.availability, [e for e in person.availability_exceptions if e.day == today],
                           today - timedelta(days=today.weekday())).get(today.weekday(), ())
    available = sum(end - start for start, end in windows)
    starts = [as_utc(session.started_at) for session in db.session.scalars(select(WorkSession).where(
        WorkSession.person_id == person.id, WorkSession.started_at >= now - timedelta(days=1)))
        if to_local(session.started_at).date() == today]
    since_first_start = int((now - min(starts)).total_seconds() // 60) if starts else 0
    booked = db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.minutes), 0)).where(
        LedgerEntry.person_id == person.id, LedgerEntry.work_date == today, LedgerEntry.activity == "production"))
    return max(0, max(available, since_first_start) - int(booked))


def record_manually(person: Person, task: Task, minutes: int, quantity: int, actor: User | None = None,
                    override_reason: str = "", now: datetime | None = None) -> list[WorkRecord]:
    """"I worked N minutes and made Q pieces" today: no more minutes than `plausible_minutes`, unless a
    leader gives a reason. A running session on the same task is closed without booking it."""
    _check_open_to(task, person, actor)
    override_reason = override_reason.strip()
    if override_reason and (actor is None or actor.role != Role.LEADER):
        raise DomainError(_l("Only a leader can give a reason for more minutes or paid hours."))
    most = plausible_minutes(person, now)
    if minutes > most and not override_reason:
        raise DomainError(_l("You can record at most %(most)d minutes today. Tap Start when you begin. "
                             "A leader can record more by giving a reason.", most=most), field="minutes")
    records = record_work(task, person, minutes, quantity, actor, override_reason=override_reason)
    session = running_session(person)
    if session is not None and session.task_id == task.id:
        session.stopped_at = now or utcnow()
        db.session.flush()
    return records


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




def work_order_hours(work_order_ids: list[int]) -> HoursSplit:
    """Minutes booked on these work orders' tasks, as training and as paid hours, and by how many people."""
    entry_ids = (select(WorkRecord.ledger_entry_id).join(Task, WorkRecord.task_id == Task.id)
                 .where(Task.work_order_id.in_(list(work_order_ids))))
    return training_paid_split(entry_ids)
