"""The impact statement of an order, and of all a company's orders in a year.

"500 gift bags → 412 hours of work: 318 training hours by 11 trainees, 94 paid hours for 6 women,
14,100 kr. in wages". One statement per call (GROUP BY order, person, kind and wage), from the ledger
entries the order's tasks' work records point to (a correction counts where the entry it corrects was).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from production.models import Task, WorkRecord
from staffing.ledger import amount_ore
from staffing.models import HoursKind
from workshop.extensions import db

from ..orders.models import Order, OrderLine
from .services import entries_of


@dataclass(frozen=True)
class Statement:
    """Hours an order created: training hours and by how many, paid hours and for how many, and wages."""

    training_minutes: int = 0
    trainees: int = 0
    paid_minutes: int = 0
    women: int = 0
    wages_ore: int = 0

    @property
    def total_minutes(self) -> int:
        return self.training_minutes + self.paid_minutes


def _on_orders(*conditions):
    """The ledger entries (and corrections) worked on tasks of the orders matching `conditions` on Order."""
    records = (select(WorkRecord.ledger_entry_id, Order.id.label("order_id"))
               .join(Task, Task.id == WorkRecord.task_id)
               .join(OrderLine, OrderLine.work_order_id == Task.work_order_id)
               .join(Order, Order.id == OrderLine.order_id)
               .where(*conditions).subquery())
    return entries_of(records)


def _statements(entries, *conditions) -> dict[int, Statement]:
    rows = db.session.execute(
        select(entries.c.order_id, entries.c.person_id, entries.c.kind, entries.c.wage_ore_per_hour,
               func.sum(entries.c.minutes))
        .where(*conditions)
        .group_by(entries.c.order_id, entries.c.person_id, entries.c.kind, entries.c.wage_ore_per_hour))
    # order -> kind -> person -> minutes; order -> wages
    minutes: dict[int, dict[HoursKind, dict[int, int]]] = {}
    wages: dict[int, int] = {}
    for order_id, person_id, kind, wage, summed in rows:
        per_kind = minutes.setdefault(order_id, {HoursKind.TRAINING: {}, HoursKind.PAID: {}})
        people = per_kind[HoursKind(kind)]
        people[person_id] = people.get(person_id, 0) + int(summed)
        if HoursKind(kind) == HoursKind.PAID and wage:
            wages[order_id] = wages.get(order_id, 0) + amount_ore(int(summed), wage)
    statements = {}
    for order_id, per_kind in minutes.items():
        training = [value for value in per_kind[HoursKind.TRAINING].values() if value > 0]
        paid = [value for value in per_kind[HoursKind.PAID].values() if value > 0]
        statements[order_id] = Statement(sum(training), len(training), sum(paid), len(paid),
                                         max(wages.get(order_id, 0), 0))
    return statements


def order_statement(order: Order) -> Statement:
    """The hours, people and wages of one order, all time (one statement)."""
    return _statements(_on_orders(Order.id == order.id)).get(order.id, Statement())


@dataclass(frozen=True)
class CompanyYear:
    """A company's orders with hours worked in a year: each order's statement, and the year's sums."""

    year: int
    orders: list[tuple[Order, Statement]]
    #: Different trainees and women over all the orders (one woman on two orders counts once).
    trainees: int
    women: int

    @property
    def training_minutes(self) -> int:
        return sum(statement.training_minutes for _order, statement in self.orders)

    @property
    def paid_minutes(self) -> int:
        return sum(statement.paid_minutes for _order, statement in self.orders)

    @property
    def total_minutes(self) -> int:
        return self.training_minutes + self.paid_minutes


def company_year(customer_id: int, year: int) -> CompanyYear:
    """The hours worked in `year` on the company's orders (three statements)."""
    entries = _on_orders(Order.customer_id == customer_id)
    in_year = (entries.c.work_date >= date(year, 1, 1), entries.c.work_date <= date(year, 12, 31))
    statements = _statements(entries, *in_year)
    orders = db.session.scalars(select(Order).where(Order.id.in_(list(statements))).order_by(Order.id)).all()
    people = db.session.execute(
        select(entries.c.kind, entries.c.person_id, func.sum(entries.c.minutes))
        .where(*in_year)
        .group_by(entries.c.kind, entries.c.person_id)
        .having(func.sum(entries.c.minutes) > 0))
    counts = {HoursKind.TRAINING: 0, HoursKind.PAID: 0}
    for kind, _person, _minutes in people:
        counts[HoursKind(kind)] += 1
    return CompanyYear(year, [(order, statements[order.id]) for order in orders],
                       counts[HoursKind.TRAINING], counts[HoursKind.PAID])
