"""Readable, translated names for production's enums."""
from flask_babel import lazy_gettext as _l

from .models import SourceKind, TaskStatus, WorkOrderStatus

TASK_STATUS_LABELS = {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.PLANNED: _l("Planned"),
    TaskStatus.IN_PROGRESS: _l("In progress"),
    TaskStatus.DONE: _l("Done"),
    TaskStatus.CANCELLED: _l("Cancelled"),
}
WORK_ORDER_STATUS_LABELS = {
    WorkOrderStatus.DRAFT: _l("Draft"),
    WorkOrderStatus.RELEASED: _l("Released"),
    WorkOrderStatus.IN_PROGRESS: _l("In progress"),
    WorkOrderStatus.DONE: _l("Done"),
    WorkOrderStatus.CANCELLED: _l("Cancelled"),
}
SOURCE_KIND_LABELS = {
    SourceKind.ORDER_LINE: _l("Order"),
    SourceKind.REPAIR_TICKET: _l("Repair"),
    SourceKind.RESTOCK: _l("Restock"),
    SourceKind.INTERNAL: _l("Internal"),
}
STATUS_BADGES = {
    "open": "text-bg-light border", "planned": "text-bg-info", "in_progress": "text-bg-warning",
    "done": "text-bg-success", "cancelled": "text-bg-secondary", "draft": "text-bg-light border",
    "released": "text-bg-info",
}
LABELS = {
    "task_status_labels": TASK_STATUS_LABELS, "work_order_status_labels": WORK_ORDER_STATUS_LABELS,
    "source_kind_labels": SOURCE_KIND_LABELS, "status_badges": STATUS_BADGES,
}
