"""Stored week plans: what the planner proposed and what a leader accepted."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models import enum_column
from workshop.timeutil import utcnow


class PlanStatus(enum.StrEnum):
    COMPUTING = "computing"
    FAILED = "failed"
    DRAFT = "draft"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


class AssignmentKind(enum.StrEnum):
    TRAINING = "training"
    PAID = "paid"


class Plan(db.Model):
    """One site's plan for one week (Monday to Sunday)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    week_start: Mapped[date] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    budget_minutes: Mapped[int] = mapped_column(default=0)
    deadline_minutes_unplanned: Mapped[int] = mapped_column(default=0)
    lowest_paid_minutes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Week-day indexes (0 = Monday) nobody may change, comma-separated.
    locked_days: Mapped[str] = mapped_column(String(20), default="")
    #: Percent done while the optimised plan is computed in the background.
    progress: Mapped[int] = mapped_column(default=100)
    #: Goes up each time a better plan is stored while computing, so an open board knows to reload.
    version: Mapped[int] = mapped_column(default=0, server_default="0")

    forbids: Mapped[list["PlanForbid"]] = relationship(cascade="all, delete-orphan")
    assignments: Mapped[list["PlanAssignment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(PlanAssignment.day, PlanAssignment.person_id, PlanAssignment.start_minute)")


def locked_day_set(plan: "Plan") -> set[int]:
    return {int(d) for d in plan.locked_days.split(",") if d}


class PlanAssignment(db.Model):
    """One task for one person on one day, from start_minute for `minutes`, as training or paid."""

    __tablename__ = "plan_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    day: Mapped[date]
    start_minute: Mapped[int]
    minutes: Mapped[int]
    kind: Mapped[AssignmentKind] = mapped_column(enum_column(AssignmentKind), default=AssignmentKind.TRAINING)
    #: The leader pinned it: a re-plan keeps this task with this person on this day.
    pinned: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="assignments")
    person = relationship("Person")
    task = relationship("Task")


class PlanForbid(db.Model):
    """The leader said: not this task for this person (kept by every re-plan from this plan)."""

    __tablename__ = "plan_forbids"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
