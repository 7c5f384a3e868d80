"""Work orders and tasks: create, release (split into batches), move through their states."""
import math
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import local_today, utcnow

from .models import (
    Operation,
    Product,
    SourceKind,
    Task,
    TaskStatus,
    TaskStatusChange,
    WorkOrder,
    WorkOrderStatus,
    WorkOrderStatusChange,
)
from .signals import work_order_done

DEFAULT_MAX_BATCH_MINUTES = 120

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
) -> WorkOrder:
    """A draft work order for a product (or, with product=None, a repair whose steps come at release)."""
    if quantity <= 0:
        raise DomainError(_l("The quantity must be at least 1."), field="quantity")
    work_order = WorkOrder(
        site_id=site.id, product=product, quantity=quantity, due_date=due_date, source_kind=source_kind,
        source_id=source_id, source_label=source_label[:200],
    )
    db.session.add(work_order)
    _record_work_order_change(work_order, None, WorkOrderStatus.DRAFT, actor)
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
    return int(current_app.config.get("PRODUCTION_MAX_BATCH_MINUTES", DEFAULT_MAX_BATCH_MINUTES))


def split_into_batches(quantity: int, step: OperationStep, limit_minutes: int) -> list[range]:
    """Unit ranges whose standard time fits in `limit_minutes` (at least one unit per batch)."""
    units_per_batch = max(1, (limit_minutes * 60) // step.seconds_per_unit)
    return [range(first, min(first + units_per_batch, quantity)) for first in range(0, quantity, units_per_batch)]


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
