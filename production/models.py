"""What the workshop makes and how: operations, products, routings, work orders and tasks."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from staffing.models import LedgerEntry, Person, Skill
from workshop.extensions import db
from workshop.models import BilingualName, enum_column
from workshop.timeutil import utcnow


class Operation(BilingualName, db.Model):
    """A kind of work (cut, sew, embroider, press, pack, a repair type...).

    Carries what it demands of body and mind, so the planner can match it
    against accommodations and skills. Org-wide reference data.
    """

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    #: Skill level 0-3 needed to do it unsupervised.
    min_skill_level: Mapped[int] = mapped_column(default=0)
    lift_kg: Mapped[int] = mapped_column(default=0)
    #: Continuous standing it needs, in minutes (0 = can be done seated).
    standing_minutes: Mapped[int] = mapped_column(default=0)
    #: 0 none, 1 some, 2 a lot.
    fine_motor: Mapped[int] = mapped_column(default=0)
    noisy: Mapped[bool] = mapped_column(default=False)
    #: 0 none, 1 some, 2 a lot.
    concentration: Mapped[int] = mapped_column(default=0)
    #: A Bootstrap icon name, shown as the operation's pictogram.
    pictogram: Mapped[str] = mapped_column(String(40), default="scissors")

    skill: Mapped[Skill] = relationship()

    __table_args__ = (CheckConstraint("min_skill_level BETWEEN 0 AND 3", name="min_skill_range"),)


class Product(BilingualName, db.Model):
    """Something the workshop makes: for a B2B order, for retail, or as a prototype."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    #: Material cost per unit, øre.
    material_cost_ore: Mapped[int] = mapped_column(default=0)
    #: List price per unit excl. VAT, øre (volume prices live in the shop).
    unit_price_ore: Mapped[int] = mapped_column(default=0)
    sold_in_retail: Mapped[bool] = mapped_column(default=False)
    is_prototype: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    routing: Mapped[list["RoutingStep"]] = relationship(
        back_populates="product", order_by="RoutingStep.position", cascade="all, delete-orphan"
    )
    variants: Mapped[list["ProductVariant"]] = relationship(
        back_populates="product", order_by="ProductVariant.label", cascade="all, delete-orphan"
    )


class ProductVariant(db.Model):
    """A size or colour of a product where it matters ("M, red"). A work order may name one."""

    __tablename__ = "product_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    label: Mapped[str] = mapped_column(String(80))

    product: Mapped[Product] = relationship(back_populates="variants")

    __table_args__ = (UniqueConstraint("product_id", "label"),)


class RoutingStep(db.Model):
    """One operation in a product's routing, in order, with its standard time."""

    __tablename__ = "routing_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int]
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    #: Standard time per unit in seconds (a unit can take less than a minute).
    seconds_per_unit: Mapped[int]
    setup_minutes: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="routing")
    operation: Mapped[Operation] = relationship()

    __table_args__ = (
        UniqueConstraint("product_id", "position"),
        CheckConstraint("seconds_per_unit > 0", name="time_positive"),
    )


class WorkOrderStatus(enum.StrEnum):
    DRAFT = "draft"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class SourceKind(enum.StrEnum):
    """Why a work order exists. Production never imports the shop: a source is a neutral reference."""

    ORDER_LINE = "order_line"
    REPAIR_TICKET = "repair_ticket"
    RESTOCK = "restock"
    INTERNAL = "internal"


class WorkOrder(db.Model):
    """Make a quantity of one product, or one repair, by a due date, for a source."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    #: None for a repair: its operations come from the ticket's repair lines.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    #: The size/colour to make, where the product has variants.
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    quantity: Mapped[int]
    due_date: Mapped[date]
    source_kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind))
    #: The source's id in its own package, e.g. the order line or ticket id.
    source_id: Mapped[int | None]
    #: What a leader reads: "Order 2026-0042 · 500 gift bags · Tekstilservice Nord".
    source_label: Mapped[str] = mapped_column(String(200))
    status: Mapped[WorkOrderStatus] = mapped_column(enum_column(WorkOrderStatus), default=WorkOrderStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    product: Mapped[Product | None] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()
    tasks: Mapped[list["Task"]] = relationship(
        back_populates="work_order", order_by="(Task.sequence, Task.batch_number, Task.id)"
    )
    history: Mapped[list["WorkOrderStatusChange"]] = relationship(order_by="WorkOrderStatusChange.id")

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_work_orders_source", "source_kind", "source_id"),
    )


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


#: Task -> the tasks that must be done first (sew after cut).
task_dependencies = Table(
    "task_dependencies",
    db.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("requires_task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
)


class Task(db.Model):
    """A piece of work on one operation: a batch of a work order sized to fit one work session."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    #: Position of the operation in the routing (1 = first).
    sequence: Mapped[int]
    batch_number: Mapped[int] = mapped_column(default=1)
    quantity: Mapped[int]
    quantity_done: Mapped[int] = mapped_column(default=0)
    #: Standard minutes for the whole task at 100 % pace, set-up included.
    standard_minutes: Mapped[int]
    earliest_start: Mapped[date]
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: A rework task points at the task whose batch was sent back.
    rework_of_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    rework_reason: Mapped[str] = mapped_column(String(300), default="")

    work_order: Mapped[WorkOrder] = relationship(back_populates="tasks")
    operation: Mapped[Operation] = relationship()
    assignee: Mapped[Person | None] = relationship()
    requires: Mapped[list["Task"]] = relationship(
        secondary=task_dependencies,
        primaryjoin=lambda: Task.id == task_dependencies.c.task_id,
        secondaryjoin=lambda: Task.id == task_dependencies.c.requires_task_id,
    )
    history: Mapped[list["TaskStatusChange"]] = relationship(order_by="TaskStatusChange.id")
    rework_of: Mapped["Task | None"] = relationship(remote_side=lambda: Task.id)
    records: Mapped[list["WorkRecord"]] = relationship(back_populates="task", order_by="WorkRecord.id")

    @property
    def quantity_left(self) -> int:
        return max(0, self.quantity - self.quantity_done)

    @property
    def remaining_minutes(self) -> int:
        """Standard minutes still to do, in proportion to the pieces left (0 once done or cancelled)."""
        if self.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
            return 0
        return -(-self.standard_minutes * self.quantity_left // self.quantity)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("standard_minutes > 0", name="minutes_positive"),
        CheckConstraint("quantity_done >= 0", name="done_not_negative"),
    )


class WorkOrderStatusChange(db.Model):
    """Audit trail of a work order: who changed the status, when, from what to what."""

    __tablename__ = "work_order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")


class TaskStatusChange(db.Model):
    """Audit trail of a task."""

    __tablename__ = "task_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")


class WorkSession(db.Model):
    """Someone tapped "start" on a task; "stop" closes it and records the minutes."""

    __tablename__ = "work_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None while the session runs.
    stopped_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    task: Mapped[Task] = relationship()
    person: Mapped[Person] = relationship()


class WorkRecord(db.Model):
    """Work done on a task: minutes (booked in the hours ledger) and pieces made."""

    __tablename__ = "work_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    minutes: Mapped[int]
    quantity: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship(back_populates="records")
    person: Mapped[Person] = relationship()
    ledger_entry: Mapped[LedgerEntry] = relationship()

    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )
