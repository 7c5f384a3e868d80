from sqlalchemy import func, select

from production.models import ProductVariant, Task, TaskStatus, WorkOrder, WorkRecord, WorkSession
from staffing.models import HoursKind, LedgerEntry
from workshop.extensions import db


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_work_orders_are_released_worked_on_and_not_doubled(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = {model: _count(model) for model in (WorkOrder, Task, WorkRecord, LedgerEntry, ProductVariant, WorkSession)}
    labels = set(db.session.scalars(select(WorkOrder.source_label)))
    assert "Ordre 2026-0042 · 500 julegaveposer · Tekstilservice Nord A/S" in labels
    statuses = set(db.session.scalars(select(Task.status)))
    assert {TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.DONE} <= statuses
    kinds = set(db.session.scalars(select(LedgerEntry.kind).join(WorkRecord, WorkRecord.ledger_entry_id == LedgerEntry.id)))
    assert kinds == {HoursKind.PAID, HoursKind.TRAINING}
    booked = db.session.scalar(select(func.count(func.distinct(WorkRecord.ledger_entry_id))))
    assert counts[WorkRecord] > 0 and booked == counts[WorkRecord]  # each record has its own ledger entry
    assert db.session.scalar(select(func.count(Task.id)).where(Task.assignee_id.is_not(None))) >= 3
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert {model: _count(model) for model in counts} == counts
