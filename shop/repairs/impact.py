"""Figures for the impact report: repairs done, garments saved from the bin, hours of work created.

The hours rule (kept in `repair_work_minutes` so it can be switched in one place):
1. Minutes booked in the hours ledger whose `reference` starts with a repair work
   order's source label ("Reparation G-0142 · ..."), per person and kind (training/paid).
2. If no ledger entry refers to a repair yet, the standard minutes of the repairs'
   done tasks, per assignee ("not assigned" when nobody was set on the task).
When the shop floor links ledger entries to tasks (WorkRecord), rule 1 should
become a join through that link instead of the reference prefix.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from production.models import SourceKind, Task, TaskStatus, WorkOrder
from staffing.models import LedgerEntry, Person
from workshop.extensions import db
from workshop.models import Site

from ..models import RepairTicket, TicketStatus

SAVED_STATUSES = (TicketStatus.READY, TicketStatus.COLLECTED)


@dataclass(frozen=True)
class HoursRow:
    person: str
    kind: str  # "training", "paid" or "" (standard minutes, no ledger yet)
    minutes: int


@dataclass(frozen=True)
class ImpactFigures:
    per_month: list[tuple[date, int]]
    garments_saved: int
    hours: list[HoursRow]
    #: "ledger" or "standard" - which rule produced `hours`.
    hours_source: str

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.hours)


def repairs_done_per_month(site: Site) -> list[tuple[date, int]]:
    """(first day of the month, count) of tickets that became ready, by the month they became ready (UTC)."""
    ready_dates = db.session.scalars(select(RepairTicket.ready_at).where(
        RepairTicket.site_id == site.id, RepairTicket.status.in_(SAVED_STATUSES), RepairTicket.ready_at.is_not(None)))
    counts: dict[date, int] = {}
    for moment in ready_dates:
        key = date(moment.year, moment.month, 1)
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def garments_saved(site: Site) -> int:
    return db.session.scalar(select(func.count(RepairTicket.id)).where(
        RepairTicket.site_id == site.id, RepairTicket.status.in_(SAVED_STATUSES))) or 0


def repair_work_minutes(site: Site, start: date | None = None, end: date | None = None) -> tuple[str, list[HoursRow]]:
    """Hours of work the repairs created and for whom (see the module's rule)."""
    labels = list(db.session.scalars(select(WorkOrder.source_label).where(
        WorkOrder.site_id == site.id, WorkOrder.source_kind == SourceKind.REPAIR_TICKET)))
    if labels:
        prefixes = {label.split(" · ")[0] + " ·" for label in labels}
        query = (select(Person.name, LedgerEntry.kind, func.sum(LedgerEntry.minutes))
                 .join(Person, LedgerEntry.person_id == Person.id)
                 .where(LedgerEntry.site_id == site.id,
                        db.or_(*[LedgerEntry.reference.startswith(prefix, autoescape=True) for prefix in prefixes]))
                 .group_by(Person.name, LedgerEntry.kind).order_by(Person.name))
        if start:
            query = query.where(LedgerEntry.work_date >= start)
        if end:
            query = query.where(LedgerEntry.work_date <= end)
        rows = [HoursRow(name, kind.value, int(minutes)) for name, kind, minutes in db.session.execute(query)
                if minutes]
        if rows:
            return "ledger", rows
    query = (select(Person.name, func.sum(Task.standard_minutes))
             .join(WorkOrder, Task.work_order_id == WorkOrder.id)
             .outerjoin(Person, Task.assignee_id == Person.id)
             .where(WorkOrder.site_id == site.id, WorkOrder.source_kind == SourceKind.REPAIR_TICKET,
                    Task.status == TaskStatus.DONE)
             .group_by(Person.name).order_by(Person.name))
    return "standard", [HoursRow(name or "", "", int(minutes)) for name, minutes in db.session.execute(query)
                        if minutes]


def impact_figures(site: Site) -> ImpactFigures:
    source, hours = repair_work_minutes(site)
    return ImpactFigures(repairs_done_per_month(site), garments_saved(site), hours, source)
