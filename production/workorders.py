"""Work orders and tasks: create, release (split into batches), move through their states."""
import math
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import local_today, utcnow

from .models import (
    Operation,
    Product,
    ProductVariant,
    SourceKind,
    Task,
    TaskStatus,
    TaskStatusChange,
    WorkOrder,
    WorkOrderStatus,
    WorkOrderStatusChange,
    WorkRecord,
)
from .signals import work_order_done


#: Legal task moves; anything else is refused.
TASK_TRANSITIONS = {
    TaskStatus.OPEN: {TaskStatus.PLANNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.PLANNED: {TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.PLANNED, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.DONE: set(),
    TaskStatus.CANCELLED: set(),
}


@dataclass(frozen=True)
class OperationStep:
    """One step of the work: an operation with its time. Products get these from their routing."""

    operation: Operation
    seconds_per_unit: int
    setup_minutes: int = 0


def create_work_order(
    site: Site,
    *,
    quantity: int,
    due_date: date,
    source_kind: SourceKind,
    source_label: str,
    source_id: int | None = None,
    product: Product | None = None,
    actor: User | None = None,
    variant: ProductVariant | None = None,
    note: str = "",
) -> WorkOrder:
    """A draft work order for a product (or, with product=None, a repair whose steps come at release).

    `note` (e.g. an order line's embroidery text, colours and placement) is kept on the first history row."""
    if quantity <= 0:
        raise DomainError(_l("The quantity must be at least 1."), field="quantity")
    if variant is not None and (product is None or variant.product_id != product.id):
        raise DomainError(_l("This variant belongs to another product."), field="variant_id")
    if not source_label.strip():
        raise DomainError(_l("Write what the work order is for."), field="source_label")
    work_order = WorkOrder(
        site_id=site.id, product=product, variant=variant, quantity=quantity, due_date=due_date, source_kind=source_kind,
        source_id=source_id, source_label=source_label[:200],
    )
    db.session.add(work_order)
    _record_work_order_change(work_order, None, WorkOrderStatus.DRAFT, actor, note.strip()[:300])
    db.session.flush()
    return work_order


def release_work_order(
    work_order: WorkOrder, actor: User | None = None, steps: list[OperationStep] | None = None,
    earliest_start: date | None = None,
) -> list[Task]:
    """Split the work order into tasks: one per operation and batch, in routing order.

    `steps` default to the product's routing; a repair passes its own steps.
    """
    if work_order.status != WorkOrderStatus.DRAFT:
        raise DomainError(_l("Only a draft work order can be released."))
    steps = steps if steps is not None else routing_steps(work_order.product)
    if not steps:
        raise DomainError(_l("The work order has no operations to do."))
    start = earliest_start or local_today()
    previous: list[tuple[range, Task]] = []
    tasks: list[Task] = []
    for sequence, step in enumerate(steps, start=1):
        current = []
        for batch_number, units in enumerate(split_into_batches(work_order.quantity, step, max_batch_minutes()), 1):
            task = Task(
                site_id=work_order.site_id, work_order=work_order, operation=step.operation, sequence=sequence,
                batch_number=batch_number, quantity=len(units),
                standard_minutes=batch_minutes(len(units), step, first=batch_number == 1),
                earliest_start=start, due_date=work_order.due_date,
            )
            task.requires = [earlier for covered, earlier in previous if _overlaps(covered, units)]
            db.session.add(task)
            _record_task_change(task, None, TaskStatus.OPEN, actor)
            current.append((units, task))
            tasks.append(task)
        previous = current
    _set_work_order_status(work_order, WorkOrderStatus.RELEASED, actor)
    db.session.flush()
    return tasks


def routing_steps(product: Product | None) -> list[OperationStep]:
    if product is None:
        return []
    return [OperationStep(step.operation, step.seconds_per_unit, step.setup_minutes) for step in product.routing]


def max_batch_minutes() -> int:
    return current_app.config["PRODUCTION_MAX_BATCH_MINUTES"]


def split_into_batches(quantity: int, step: OperationStep, limit_minutes: int) -> list[range]:
    """Unit ranges whose standard time fits in `limit_minutes`.

    The set-up is done with the first batch, so the first batch holds what fits in
    `limit_minutes - setup_minutes`; every batch holds at least one unit, even when a
    single unit (or the set-up) alone is longer than the limit.
    """
    per_unit = step.seconds_per_unit
    first_size = max(1, ((limit_minutes - step.setup_minutes) * 60) // per_unit)
    size = max(1, (limit_minutes * 60) // per_unit)
    batches = [range(0, min(first_size, quantity))]
    for first in range(batches[0].stop, quantity, size):
        batches.append(range(first, min(first + size, quantity)))
    return batches


def batch_minutes(units: int, step: OperationStep, first: bool) -> int:
    """Standard minutes for a batch; the set-up is done once, with the first batch."""
    return max(1, math.ceil(units * step.seconds_per_unit / 60)) + (step.setup_minutes if first else 0)


def _overlaps(a: range, b: range) -> bool:
    return a.start < b.stop and b.start < a.stop


def change_task_status(task: Task, new_status: TaskStatus, actor: User | None = None, note: str = "") -> Task:
    """Move a task, keep the history, and finish the work order when its last task is done."""
    if new_status == task.status:
        return task
    if new_status not in TASK_TRANSITIONS[task.status]:
        raise DomainError(_l("A task cannot go from this status to that one."))
    if new_status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        waiting = [required for required in task.requires if required.status not in (TaskStatus.DONE, TaskStatus.CANCELLED)]
        if waiting:
            raise DomainError(_l("This task must wait: the step before it is not done yet."))
    _record_task_change(task, task.status, new_status, actor, note)
    task.status = new_status
    if new_status == TaskStatus.IN_PROGRESS and task.work_order.status == WorkOrderStatus.RELEASED:
        _set_work_order_status(task.work_order, WorkOrderStatus.IN_PROGRESS, actor)
    db.session.flush()
    if new_status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        _finish_work_order_if_complete(task.work_order, actor)
    return task


def _finish_work_order_if_complete(work_order: WorkOrder, actor: User | None) -> None:
    statuses = {task.status for task in work_order.tasks}
    if work_order.status in (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED) or not statuses:
        return
    if statuses <= {TaskStatus.DONE, TaskStatus.CANCELLED} and TaskStatus.DONE in statuses:
        _set_work_order_status(work_order, WorkOrderStatus.DONE, actor)
        work_order.done_at = utcnow()
        db.session.flush()
        work_order_done.send(work_order, actor=actor)


def _set_work_order_status(work_order: WorkOrder, status: WorkOrderStatus, actor: User | None) -> None:
    _record_work_order_change(work_order, work_order.status, status, actor)
    work_order.status = status


def _record_work_order_change(work_order, old, new, actor, note: str = "") -> None:
    work_order.history.append(WorkOrderStatusChange(
        from_status=old.value if old else None, to_status=new.value,
        by_user_id=actor.id if actor is not None else None, note=note,
    ))


def _record_task_change(task, old, new, actor, note: str = "") -> None:
    task.history.append(TaskStatusChange(
        from_status=old.value if old else None, to_status=new.value,
        by_user_id=actor.id if actor is not None else None, note=note,
    ))


def cancel_work_order(work_order: WorkOrder, actor: User | None = None, note: str = "") -> WorkOrder:
    """Cancel a work order that is not finished; its unfinished tasks are cancelled with it."""
    if work_order.status in (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED):
        raise DomainError(_l("A finished or cancelled work order cannot be cancelled."))
    # The order is cancelled first, so cancelling its last tasks does not mark it done.
    _record_work_order_change(work_order, work_order.status, WorkOrderStatus.CANCELLED, actor, note)
    work_order.status = WorkOrderStatus.CANCELLED
    for task in work_order.tasks:
        if task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
            _record_task_change(task, task.status, TaskStatus.CANCELLED, actor, note)
            task.status = TaskStatus.CANCELLED
    db.session.flush()
    return work_order


def send_back_for_rework(task: Task, quantity: int, reason: str, actor: User | None = None) -> Task:
    """A finished batch failed the quality check: a new task on the same operation redoes `quantity` pieces.

    If the work order was already done it goes back to "in progress"; when the rework is done it
    is finished again and `work_order_done` is sent again (receivers must be idempotent).
    """
    reason = (reason or "").strip()
    if task.status != TaskStatus.DONE:
        raise DomainError(_l("Only a finished batch can be sent back for rework."))
    if not reason:
        raise DomainError(_l("Write why the batch is sent back."), field="reason")
    if not 1 <= quantity <= task.quantity:
        raise DomainError(_l("Send back between 1 and %(max)d pieces.", max=task.quantity), field="quantity")
    work_order = task.work_order
    if work_order.status == WorkOrderStatus.CANCELLED:
        raise DomainError(_l("The work order is cancelled."))
    rework = Task(
        site_id=task.site_id, work_order=work_order, operation_id=task.operation_id, sequence=task.sequence,
        batch_number=task.batch_number, quantity=quantity,
        standard_minutes=max(1, math.ceil(task.standard_minutes * quantity / task.quantity)),
        earliest_start=local_today(), due_date=task.due_date, rework_of_id=task.id, rework_reason=reason[:300],
    )
    db.session.add(rework)
    _record_task_change(rework, None, TaskStatus.OPEN, actor, reason[:300])
    if work_order.status == WorkOrderStatus.DONE:
        _record_work_order_change(work_order, work_order.status, WorkOrderStatus.IN_PROGRESS, actor, reason[:300])
        work_order.status = WorkOrderStatus.IN_PROGRESS
        work_order.done_at = None
    db.session.flush()
    return rework


#: A work order still to be made.
UNFINISHED_WORK_ORDER = (WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS)


def site_work_orders(site: Site, include_finished: bool = True) -> list[WorkOrder]:
    query = select(WorkOrder).where(WorkOrder.site_id == site.id)
    if not include_finished:
        # Named rather than "not done or cancelled", so the (site, status, due date) index finds the few among years.
        query = query.where(WorkOrder.status.in_(UNFINISHED_WORK_ORDER))
    return list(db.session.scalars(query.order_by(WorkOrder.due_date, WorkOrder.id)))


#: Columns of the task board, in order.
BOARD_COLUMNS = (TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)
#: Cards a column shows at first; the rest are one click away ("show all").
BOARD_COLUMN_LIMIT = 25
#: Cards per page of the one column opened in full.
BOARD_PAGE_SIZE = 200
#: A column is counted up to this many; past it the board says "over 1,000". The done column holds
#: years of finished work, and counting all of it would make the board slower every year.
BOARD_COUNT_LIMIT = 1000


@dataclass(frozen=True)
class BoardColumn:
    """One column of the board: the cards shown, how many the column holds, where the shown ones start."""

    status: TaskStatus
    tasks: list[Task]
    #: The column's cards, counted up to BOARD_COUNT_LIMIT + 1 (see `over_limit`).
    total: int
    #: How many cards come before the first one shown (0 unless a later page of an opened column).
    offset: int = 0
    #: Opened in full (a page of BOARD_PAGE_SIZE cards) rather than cut at BOARD_COLUMN_LIMIT.
    expanded: bool = False
    #: More cards follow the ones shown.
    has_next: bool = False

    @property
    def over_limit(self) -> bool:
        """The column holds more than BOARD_COUNT_LIMIT cards; `total` is then not the exact count."""
        return self.total > BOARD_COUNT_LIMIT

    @property
    def complete(self) -> bool:
        """All of the column's cards are on the page."""
        return self.offset == 0 and not self.has_next

    @property
    def page(self) -> int:
        return self.offset // BOARD_PAGE_SIZE + 1


def _board_conditions(site: Site, operation_id: int | None, work_order_id: int | None,
                      person_id: int | None) -> list:
    conditions = [Task.site_id == site.id]
    if operation_id:
        conditions.append(Task.operation_id == operation_id)
    if work_order_id:
        conditions.append(Task.work_order_id == work_order_id)
    if person_id:
        worked = select(WorkRecord.task_id).where(WorkRecord.person_id == person_id)
        conditions.append(or_(Task.assignee_id == person_id, Task.id.in_(worked)))
    return conditions


def _board_counts(conditions: list) -> dict[TaskStatus, int]:
    """Each column's cards, counted up to BOARD_COUNT_LIMIT + 1, in one statement."""
    capped = [select(Task.status).where(*conditions, Task.status == status).limit(BOARD_COUNT_LIMIT + 1).subquery()
              for status in BOARD_COLUMNS]
    counted = union_all(*(select(column.c.status) for column in capped)).subquery()
    return dict(db.session.execute(select(counted.c.status, func.count()).group_by(counted.c.status)).all())


def board_columns(site: Site, operation_id: int | None = None, work_order_id: int | None = None,
                  person_id: int | None = None, expanded: TaskStatus | None = None,
                  page: int = 1) -> list[BoardColumn]:
    """The board's columns: each column's count, and its first BOARD_COLUMN_LIMIT cards in board order.

    Open, planned and in progress run by due date; done shows the latest first. The `expanded`
    column shows page `page` of BOARD_PAGE_SIZE cards instead (a page past a counted end is the last one).
    A person filter matches her assigned tasks and those she worked on. Neither the statements nor
    the rows read grow with the years of data: one capped count, one query for the live columns'
    cards and one for the done column's (each with its relations).
    """
    conditions = _board_conditions(site, operation_id, work_order_id, person_id)
    counts = _board_counts(conditions)
    windows = {}  # status -> (offset, cards to show)
    for status in BOARD_COLUMNS:
        if status == expanded:
            total = counts.get(status, 0)
            last_page = None if total > BOARD_COUNT_LIMIT else max(1, math.ceil(total / BOARD_PAGE_SIZE))
            windows[status] = ((min(max(page, 1), last_page or page) - 1) * BOARD_PAGE_SIZE, BOARD_PAGE_SIZE)
        else:
            windows[status] = (0, BOARD_COLUMN_LIMIT)
    shown = (joinedload(Task.work_order), joinedload(Task.operation), joinedload(Task.assignee))
    tasks: dict[TaskStatus, list[Task]] = {status: [] for status in BOARD_COLUMNS}
    # The live columns in one query: number each column's cards in board order, keep each column's window
    # and one card past it (to know whether more follow).
    live = [status for status in BOARD_COLUMNS if status != TaskStatus.DONE]
    place = func.row_number().over(partition_by=Task.status, order_by=(
        Task.due_date, Task.work_order_id, Task.sequence, Task.batch_number, Task.id)).label("place")
    ranked = select(Task.id, Task.status, place).where(*conditions, Task.status.in_(live)).subquery()
    in_window = or_(*(and_(ranked.c.status == status, ranked.c.place > windows[status][0],
                           ranked.c.place <= sum(windows[status]) + 1) for status in live))
    for task in db.session.scalars(select(Task).join(ranked, ranked.c.id == Task.id).where(in_window)
                                   .options(*shown, selectinload(Task.requires)).order_by(ranked.c.place)):
        tasks[task.status].append(task)
    # The done tasks, the latest first: only a window of years of finished work is read, and one past it (a done
    # task waits for nothing, so what it requires is not loaded).
    done_offset, done_limit = windows[TaskStatus.DONE]
    tasks[TaskStatus.DONE] = list(db.session.scalars(
        select(Task).where(*conditions, Task.status == TaskStatus.DONE).options(*shown)
        .order_by(Task.id.desc()).offset(done_offset).limit(done_limit + 1)))
    return [BoardColumn(status, tasks[status][:windows[status][1]], counts.get(status, 0), offset=windows[status][0],
                        expanded=status == expanded, has_next=len(tasks[status]) > windows[status][1])
            for status in BOARD_COLUMNS]


#: The usual next step, offered first.
NATURAL_NEXT = {TaskStatus.OPEN: TaskStatus.PLANNED, TaskStatus.PLANNED: TaskStatus.IN_PROGRESS,
                TaskStatus.IN_PROGRESS: TaskStatus.DONE}


def legal_next_statuses(current: TaskStatus) -> list[TaskStatus]:
    """The statuses a task in status `current` may move to, the usual next step first."""
    legal = [status for status in TaskStatus if status in TASK_TRANSITIONS[current]]
    return sorted(legal, key=lambda status: status != NATURAL_NEXT.get(current))
