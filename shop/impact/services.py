"""Impact figures: how orders and repairs became training hours and paid hours, for a period.

Every figure is a sum over the records, computed when asked (nothing is stored):
- demand from invoices (B2B orders), collected repair tickets and retail receipts,
- hours from the hours ledger, tied to a kind of demand through the work record that links an
  entry (or the entry a correction corrects) to a task, and the task's work order's source,
- wages from the paid ledger entries' own wage, rounded per person and wage as the payroll does.
Nine SQL statements per call, whatever the size of the data (GROUP BY in the database).
"""
import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, distinct, extract, func, select, union_all

from production.models import Product, SourceKind, Task, WorkOrder, WorkRecord
from production.planner.models import AssignmentKind, Plan, PlanAssignment, PlanStatus
from staffing.ledger import amount_ore
from staffing.models import HoursKind, LedgerEntry
from workshop.extensions import db
from workshop.timeutil import LOCAL_ZONE

from ..models import RepairTicket, TicketStatus
from ..orders.models import Invoice, InvoiceKind
from ..retail.models import Sale, SaleLine

#: Repair prices include Danish VAT of 25 %: the price excl. VAT is 4/5 of it.
REPAIR_VAT_PERCENT = 25
#: Kinds of demand, in the page's order. Retail items are made by restock work orders.
B2B, REPAIRS, RETAIL, OTHER = "b2b", "repairs", "retail", "other"
DEMAND_KINDS = (B2B, REPAIRS, RETAIL)
WORK_KINDS = (B2B, REPAIRS, RETAIL, OTHER)
SOURCE_TO_KIND = {SourceKind.ORDER_LINE: B2B, SourceKind.REPAIR_TICKET: REPAIRS, SourceKind.RESTOCK: RETAIL}
PERIOD_KINDS = ("month", "quarter", "year", "custom")
#: A custom period may span at most this many days (ten years and leap days).
MAX_PERIOD_DAYS = 3660


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or year that holds `day`, as (first day, last day)."""
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        return date(day.year, first_month, 1), date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def excl_vat(ore_incl_vat: int) -> int:
    """A price including 25 % VAT without it, rounded half up to whole øre (12500 -> 10000)."""
    return int((Decimal(ore_incl_vat) * 100 / (100 + REPAIR_VAT_PERCENT)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def median(values: list[int]) -> Decimal:
    """The middle value of sorted `values` (the mean of the two middle ones for an even count); 0 if empty."""
    if not values:
        return Decimal(0)
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return (Decimal(values[middle - 1]) + Decimal(values[middle])) / 2


def gini(values: list[int]) -> Decimal:
    """The Gini coefficient of `values`: 0 when everyone has the same, towards 1 when one has all.

    G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 · n² · x̄), computed on the values sorted ascending x₍₁₎ ≤ … ≤ x₍ₙ₎ as
    G = Σᵢ (2i − n − 1) · x₍ᵢ₎ / (n · Σᵢ xᵢ), i = 1 … n. Rounded to 4 decimals; 0 for no values.
    """
    ordered = sorted(values)
    count, total = len(ordered), sum(ordered)
    if not count or not total:
        return Decimal(0)
    weighted = sum((2 * rank - count - 1) * value for rank, value in enumerate(ordered, start=1))
    return (Decimal(weighted) / (count * total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class Spread:
    """How `paid_minutes` (per woman, sorted ascending) are spread: count, lowest, median, highest, Gini."""

    paid_minutes: list[int]

    @property
    def women(self) -> int:
        return len(self.paid_minutes)

    @property
    def lowest_minutes(self) -> int:
        return self.paid_minutes[0] if self.paid_minutes else 0

    @property
    def highest_minutes(self) -> int:
        return self.paid_minutes[-1] if self.paid_minutes else 0

    @property
    def median_minutes(self) -> Decimal:
        return median(self.paid_minutes)

    @property
    def gini(self) -> Decimal:
        return gini(self.paid_minutes)


@dataclass(frozen=True)
class Demand:
    """What customers bought in the period: revenue excluding VAT and how many orders or tickets."""

    kind: str
    revenue_ore: int
    count: int


@dataclass(frozen=True)
class Hours:
    """Training and paid minutes, for a kind of demand or an activity not tied to a task."""

    key: str
    training_minutes: int
    paid_minutes: int

    @property
    def total_minutes(self) -> int:
        return self.training_minutes + self.paid_minutes


@dataclass(frozen=True)
class ImpactFigures(Spread):
    """Everything the impact page, its CSV files and `report impact` show."""

    start: date
    end: date
    demand: list[Demand]
    #: Hours on tasks, per kind of demand (B2B, repairs, other work orders such as restocking).
    task_hours: list[Hours]
    #: Hours not tied to a task, per ledger activity (meetings, Danish lessons, cleaning...).
    other_hours: list[Hours]
    #: Wages for every paid minute of the period (tasks and other activities), as the payroll export.
    wages_ore: int
    #: Paid minutes per woman with paid hours, sorted ascending (no names).
    paid_minutes: list[int] = field(default_factory=list)
    #: The spread of paid hours month by month, and planned against recorded paid hours.
    months: list["Month"] = field(default_factory=list)
    #: Retail products sold in the period, with the work on their batches.
    products: list["ProductWork"] = field(default_factory=list)

    @property
    def revenue_ore(self) -> int:
        return sum(row.revenue_ore for row in self.demand)

    @property
    def wage_share(self) -> Decimal | None:
        """Kroner of wages per 100 kr. of revenue excl. VAT (None without revenue)."""
        if self.revenue_ore <= 0:
            return None
        return (Decimal(self.wages_ore) * 100 / self.revenue_ore).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


    def hours_total(self, rows: list[Hours]) -> Hours:
        return Hours("total", sum(row.training_minutes for row in rows), sum(row.paid_minutes for row in rows))


@dataclass(frozen=True)
class Month(Spread):
    """One calendar month of the period: how its paid hours were spread, and planned against recorded."""

    year: int
    month: int
    #: Paid minutes per woman in the month, sorted ascending.
    paid_minutes: list[int]
    #: Paid minutes in the accepted week plans' assignments on days of the month.
    planned_paid_minutes: int
    #: Paid minutes the ledger recorded on tasks in the month (what a plan can plan).
    recorded_task_paid_minutes: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)



def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every calendar month that has a day from `start` to `end`."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Copenhagen midnight at the start of `start` and after `end`, as aware datetimes."""
    return (datetime.combine(start, time(0), LOCAL_ZONE),
            datetime.combine(end + timedelta(days=1), time(0), LOCAL_ZONE))


def _b2b_demand(site_ids: list[int], start: date, end: date) -> Demand:
    """Invoices issued in the period less credit notes, excl. VAT; orders with an invoice in the period."""
    signed = case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -Invoice.subtotal_ore), else_=Invoice.subtotal_ore)
    revenue, orders = db.session.execute(
        select(func.coalesce(func.sum(signed), 0),
               func.count(distinct(case((Invoice.kind == InvoiceKind.INVOICE, Invoice.order_id)))))
        .where(Invoice.site_id.in_(site_ids), Invoice.issued_on >= start, Invoice.issued_on <= end)).one()
    return Demand(B2B, int(revenue), int(orders))


def _repair_demand(site_ids: list[int], start: date, end: date) -> Demand:
    """Tickets collected (paid and picked up) in the period; their prices include VAT."""
    since, until = _utc_bounds(start, end)
    revenue, tickets = db.session.execute(
        select(func.coalesce(func.sum(RepairTicket.total_ore), 0), func.count(RepairTicket.id))
        .where(RepairTicket.site_id.in_(site_ids), RepairTicket.status == TicketStatus.COLLECTED,
               RepairTicket.closed_at >= since, RepairTicket.closed_at < until)).one()
    return Demand(REPAIRS, excl_vat(int(revenue)), int(tickets))


def _retail_demand(site_ids: list[int], start: date, end: date) -> Demand:
    """Retail receipts of the period (Copenhagen dates): lines' totals less their VAT (returns are negative
    lines, so they subtract); sales = receipts that are not returns."""
    since, until = _utc_bounds(start, end)
    revenue, sales = db.session.execute(
        select(func.coalesce(func.sum(SaleLine.total_ore - SaleLine.vat_ore), 0),
               func.count(distinct(case((Sale.returns_sale_id.is_(None), Sale.id)))))
        .select_from(Sale).outerjoin(SaleLine, SaleLine.sale_id == Sale.id)
        .where(Sale.site_id.in_(site_ids), Sale.at >= since, Sale.at < until)).one()
    return Demand(RETAIL, int(revenue), int(sales))


@dataclass(frozen=True)
class ProductWork:
    """A retail product sold in the period: items, revenue excl. VAT, and the work on the batches they came
    from (all the batches' hours, whenever worked, over all the items those batches made)."""

    name_da: str
    name_en: str
    items_sold: int
    revenue_ore: int
    batch_minutes: int
    batch_items: int
    makers: int

    @property
    def minutes_per_item(self) -> Decimal | None:
        if self.batch_items <= 0:
            return None
        return Decimal(self.batch_minutes) / self.batch_items

    @property
    def revenue_ore_per_hour(self) -> int | None:
        """Revenue excl. VAT per hour of work that went into the items sold."""
        per_item = self.minutes_per_item
        if not per_item or self.items_sold <= 0:
            return None
        return int((Decimal(self.revenue_ore) * 60 / (per_item * self.items_sold)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP))


def entries_of(records):
    """The ledger entries that work records point to, and those entries' corrections, with the records'
    other columns: a subquery of (records' columns..., person_id, kind, wage_ore_per_hour, minutes,
    work_date). A UNION ALL of two joins by key, so the database starts from the (few) records: one join on
    COALESCE(corrects_id, id) makes it scan the whole ledger."""
    extra = [column for column in records.c if column.name != "ledger_entry_id"]
    return union_all(*(select(*extra, LedgerEntry.person_id, LedgerEntry.kind, LedgerEntry.wage_ore_per_hour,
                              LedgerEntry.minutes, LedgerEntry.work_date)
                       .join(LedgerEntry, link == records.c.ledger_entry_id)
                       for link in (LedgerEntry.id, LedgerEntry.corrects_id))).subquery()


def _products(site_ids: list[int], start: date, end: date) -> list[ProductWork]:
    """Per product sold in the period (three statements): sales; the batches' minutes per person; batch sizes."""
    since, until = _utc_bounds(start, end)
    in_period = (Sale.site_id.in_(site_ids), Sale.at >= since, Sale.at < until)
    sold = db.session.execute(
        select(Product.id, Product.name_da, Product.name_en, func.sum(SaleLine.quantity),
               func.sum(SaleLine.total_ore - SaleLine.vat_ore))
        .join(Sale, Sale.id == SaleLine.sale_id).join(Product, Product.id == SaleLine.product_id)
        .where(*in_period).group_by(Product.id, Product.name_da, Product.name_en).order_by(Product.name_da)).all()
    batches = (select(SaleLine.product_id, SaleLine.work_order_id).join(Sale, Sale.id == SaleLine.sale_id)
               .where(*in_period, SaleLine.work_order_id.is_not(None)).distinct().subquery())
    # The batches' work records first (few), then their ledger entries and corrections (`entries_of`).
    records = (select(WorkRecord.ledger_entry_id, batches.c.product_id)
               .join(Task, Task.id == WorkRecord.task_id)
               .join(batches, batches.c.work_order_id == Task.work_order_id).subquery())
    entries = entries_of(records)
    worked = db.session.execute(
        select(entries.c.product_id, entries.c.person_id, func.sum(entries.c.minutes))
        .group_by(entries.c.product_id, entries.c.person_id))
    minutes: dict[int, int] = {}
    makers: dict[int, int] = {}
    for product_id, _person, summed in worked:
        if int(summed) > 0:
            minutes[product_id] = minutes.get(product_id, 0) + int(summed)
            makers[product_id] = makers.get(product_id, 0) + 1
    sizes = dict(db.session.execute(
        select(batches.c.product_id, func.sum(WorkOrder.quantity))
        .join(WorkOrder, WorkOrder.id == batches.c.work_order_id).group_by(batches.c.product_id)).all())
    return [ProductWork(name_da, name_en or "", int(items or 0), int(revenue or 0), minutes.get(product_id, 0),
                        int(sizes.get(product_id) or 0), makers.get(product_id, 0))
            for product_id, name_da, name_en, items, revenue in sold]


def _month_of(column):
    """(year, month) columns of a date column, for GROUP BY (portable: EXTRACT)."""
    return extract("year", column).label("year"), extract("month", column).label("month")


def _hours(site_ids: list[int], start: date, end: date) -> tuple[list[Hours], list[Hours], dict]:
    """Ledger minutes of the period by (work order source, activity, kind, month); a correction counts
    where the entry it corrects was recorded. Also the paid minutes on tasks per (year, month)."""
    linked_entry = func.coalesce(LedgerEntry.corrects_id, LedgerEntry.id)
    year, month = _month_of(LedgerEntry.work_date)
    rows = db.session.execute(
        select(WorkOrder.source_kind, LedgerEntry.activity, LedgerEntry.kind, year, month,
               func.sum(LedgerEntry.minutes))
        .select_from(LedgerEntry)
        .outerjoin(WorkRecord, WorkRecord.ledger_entry_id == linked_entry)
        .outerjoin(Task, Task.id == WorkRecord.task_id)
        .outerjoin(WorkOrder, WorkOrder.id == Task.work_order_id)
        .where(LedgerEntry.site_id.in_(site_ids), LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .group_by(WorkOrder.source_kind, LedgerEntry.activity, LedgerEntry.kind, year, month))
    on_tasks = {kind: {HoursKind.TRAINING: 0, HoursKind.PAID: 0} for kind in WORK_KINDS}
    untied: dict[str, dict[HoursKind, int]] = {}
    task_paid_per_month: dict[tuple[int, int], int] = {}
    for source, activity, kind, in_year, in_month, minutes in rows:
        if source is not None:
            bucket = on_tasks[SOURCE_TO_KIND.get(SourceKind(source), OTHER)]
            if HoursKind(kind) == HoursKind.PAID:
                key = (int(in_year), int(in_month))
                task_paid_per_month[key] = task_paid_per_month.get(key, 0) + int(minutes or 0)
        else:
            bucket = untied.setdefault(activity, {HoursKind.TRAINING: 0, HoursKind.PAID: 0})
        bucket[HoursKind(kind)] += int(minutes or 0)

    def as_rows(buckets):
        return [Hours(key, split[HoursKind.TRAINING], split[HoursKind.PAID]) for key, split in buckets]

    return as_rows(on_tasks.items()), as_rows(sorted(untied.items())), task_paid_per_month


def _planned_paid(site_ids: list[int], start: date, end: date) -> dict[tuple[int, int], int]:
    """Paid minutes in the accepted week plans' assignments per (year, month) of the assignment's day."""
    year, month = _month_of(PlanAssignment.day)
    rows = db.session.execute(
        select(year, month, func.sum(PlanAssignment.minutes))
        .join(Plan, Plan.id == PlanAssignment.plan_id)
        .where(Plan.site_id.in_(site_ids), Plan.status == PlanStatus.ACCEPTED,
               PlanAssignment.kind == AssignmentKind.PAID, PlanAssignment.day >= start, PlanAssignment.day <= end)
        .group_by(year, month))
    return {(int(in_year), int(in_month)): int(minutes or 0) for in_year, in_month, minutes in rows}


def _paid_people(site_ids: list[int], start: date, end: date) -> tuple[list[int], int, dict]:
    """(paid minutes per woman, sorted ascending; wages in øre rounded per person and wage for the whole
    period as the payroll; paid minutes per woman per (year, month), sorted ascending)."""
    year, month = _month_of(LedgerEntry.work_date)
    rows = db.session.execute(
        select(LedgerEntry.person_id, LedgerEntry.wage_ore_per_hour, year, month, func.sum(LedgerEntry.minutes))
        .where(LedgerEntry.site_id.in_(site_ids), LedgerEntry.kind == HoursKind.PAID,
               LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .group_by(LedgerEntry.person_id, LedgerEntry.wage_ore_per_hour, year, month))
    per_person: dict[int, int] = {}
    per_wage: dict[tuple[int, int], int] = {}
    per_month: dict[tuple[int, int], dict[int, int]] = {}
    for person_id, wage, in_year, in_month, minutes in rows:
        per_person[person_id] = per_person.get(person_id, 0) + int(minutes)
        per_wage[(person_id, wage or 0)] = per_wage.get((person_id, wage or 0), 0) + int(minutes)
        people = per_month.setdefault((int(in_year), int(in_month)), {})
        people[person_id] = people.get(person_id, 0) + int(minutes)
    wages = sum(amount_ore(minutes, wage) for (_person, wage), minutes in per_wage.items() if wage)
    return (_positive_sorted(per_person), wages,
            {key: _positive_sorted(people) for key, people in per_month.items()})


def _positive_sorted(per_person: dict[int, int]) -> list[int]:
    return sorted(minutes for minutes in per_person.values() if minutes > 0)


def impact_figures(site_ids: list[int], start: date, end: date) -> ImpactFigures:
    """The impact figures of these sites from `start` to `end`, both included (nine statements)."""
    site_ids = list(site_ids)
    task_hours, other_hours, task_paid_per_month = _hours(site_ids, start, end)
    paid_minutes, wages, paid_per_month = _paid_people(site_ids, start, end)
    planned = _planned_paid(site_ids, start, end)
    months = [Month(year, month, paid_per_month.get((year, month), []), planned.get((year, month), 0),
                    task_paid_per_month.get((year, month), 0)) for year, month in months_between(start, end)]
    return ImpactFigures(
        start=start, end=end,
        demand=[_b2b_demand(site_ids, start, end), _repair_demand(site_ids, start, end),
                _retail_demand(site_ids, start, end)],
        task_hours=task_hours, other_hours=other_hours, wages_ore=wages, paid_minutes=paid_minutes,
        months=months, products=_products(site_ids, start, end))


@dataclass(frozen=True)
class OwnMonth:
    """One woman's own hours in a month: what a trainee sees of the impact (nobody else's)."""

    year: int
    month: int
    training_minutes: int
    paid_minutes: int


def own_hours(person_id: int, year: int) -> list[OwnMonth]:
    """Her training and paid minutes per month of `year` (one statement; corrections included)."""
    in_year, in_month = _month_of(LedgerEntry.work_date)
    rows = db.session.execute(
        select(in_year, in_month, LedgerEntry.kind, func.sum(LedgerEntry.minutes))
        .where(LedgerEntry.person_id == person_id, LedgerEntry.work_date >= date(year, 1, 1),
               LedgerEntry.work_date <= date(year, 12, 31))
        .group_by(in_year, in_month, LedgerEntry.kind))
    split: dict[int, dict[HoursKind, int]] = {}
    for _year, month, kind, minutes in rows:
        split.setdefault(int(month), {HoursKind.TRAINING: 0, HoursKind.PAID: 0})[HoursKind(kind)] += int(minutes)
    return [OwnMonth(year, month, max(kinds[HoursKind.TRAINING], 0), max(kinds[HoursKind.PAID], 0))
            for month, kinds in sorted(split.items())]
