"""From an accepted order to delivered: work orders, progress, deliveries, cancellation (the impact
statement is shop/impact/statements.py).

- Release: an accepted order goes to production once (a) its deposit invoice is paid, or the quote
  asked no deposit, or a leader approved invoice terms, and (b) when it has customisation (text,
  colours, placement or a logo), its latest proof is approved. `try_release` checks both and is
  called on each event that can complete them (quote accepted, invoice paid, proof approved,
  terms approved); `release_blockers` says in words what is still missing.
- Released -> one work order per order line through production's neutral work-order source
  (SourceKind.ORDER_LINE, the line's id), due on the promised date, released into tasks; the line's
  customisation goes into the work order's first history note. With `prototype_first`, one more
  work order of quantity 1 for the first line comes first: it is due within PROTOTYPE_DAYS, and the
  lines' tasks start no earlier than that day. The order goes accepted -> in production.
- `work_order_done` -> when every work order of the order is done (cancelled ones aside), the order
  becomes ready and `order_ready` is sent.
- A leader records deliveries, partial ones too; the delivery that completes the order makes it
  delivered (only once it is ready), and `order_delivered` is sent for each.
- `order_cancelled` -> its unfinished work orders are cancelled; done work stays booked.
Receivers run in the sender's transaction and are idempotent. Services flush, never commit.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from production.models import SourceKind, WorkOrder, WorkOrderStatus
from production.workorders import cancel_work_order, create_work_order, release_work_order
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User
from workshop.timeutil import local_today, utcnow

from . import events, states
from .models import (Delivery, DeliveryLine, Invoice, InvoiceKind, InvoicePurpose, Order, OrderLine, OrderStatus,
                     Quote)
from .proofs import proof_approved

S = OrderStatus

#: A prototype is due this many days after acceptance (or on the promised date, if sooner).
PROTOTYPE_DAYS = 7
#: Statuses in which a delivery may be recorded (the last one only once the order is ready).
DELIVERABLE = (S.IN_PRODUCTION, S.READY)
#: How far back and ahead a delivery may be dated.
DELIVERY_DAYS_BACK = 365
DELIVERY_DAYS_AHEAD = 14
FINISHED_WORK_ORDERS = (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED)


# --- Work orders --------------------------------------------------------------------------------


def work_order_label(order: Order, line: OrderLine, prototype: bool = False) -> str:
    """What the floor reads (and the ledger's reference starts with): "Ordre O-0042 · 500 × Gavepose · Firma"."""
    what = f"prototype · {line.product.name_da}" if prototype else f"{line.quantity} × {line.product.name_da}"
    return f"Ordre {order.number} · {what} · {order.customer.company_name}"[:200]


def customisation_note(line: OrderLine) -> str:
    """The line's embroidery text, thread colours and placement, for the work order's note (in Danish,
    like the label: the floor reads it)."""
    parts = [("Broderi", line.embroidery_text), ("Farver", line.thread_colours), ("Placering", line.placement)]
    return "; ".join(f"{label}: {value}" for label, value in parts if value)[:300]


def work_orders_of(order: Order) -> list[WorkOrder]:
    """Every work order made for the order's lines (the prototype included), oldest first."""
    line_ids = [line.id for line in order.lines]
    if not line_ids:
        return []
    return list(db.session.scalars(select(WorkOrder).where(
        WorkOrder.source_kind == SourceKind.ORDER_LINE, WorkOrder.source_id.in_(line_ids)).order_by(WorkOrder.id)))


def _promised_date(order: Order, quote: Quote | None) -> date:
    quote = quote or order.accepted_quote
    return order.promised_date or (quote.promised_date if quote else None) or order.wished_date or local_today()


def start_production(order: Order, quote: Quote | None = None, actor: User | None = None) -> list[WorkOrder]:
    """Release an accepted order: its work orders, then accepted -> in production. Does nothing a second time."""
    if order.status != S.ACCEPTED or any(line.work_order_id for line in order.lines) or work_orders_of(order):
        return []
    due = _promised_date(order, quote)
    made, start = [], None
    if order.prototype_first and order.lines:
        first = order.lines[0]
        start = min(due, local_today() + timedelta(days=PROTOTYPE_DAYS))
        prototype = create_work_order(
            order.site, quantity=1, due_date=start, source_kind=SourceKind.ORDER_LINE, source_id=first.id,
            source_label=work_order_label(order, first, prototype=True), product=first.product,
            variant=first.variant, actor=actor, note=customisation_note(first))
        release_work_order(prototype, actor)
        made.append(prototype)
    for line in order.lines:
        work_order = create_work_order(
            order.site, quantity=line.quantity, due_date=due, source_kind=SourceKind.ORDER_LINE, source_id=line.id,
            source_label=work_order_label(order, line), product=line.product, variant=line.variant, actor=actor,
            note=customisation_note(line))
        release_work_order(work_order, actor, earliest_start=start)
        line.work_order_id = work_order.id
        made.append(work_order)
    states.change_status(order, S.IN_PRODUCTION, actor)
    return made


def needs_proof(order: Order) -> bool:
    """Customised work (text, colours, placement or a logo) is sewn only after the customer approved a proof."""
    customised = any(line.embroidery_text or line.thread_colours or line.placement for line in order.lines)
    return customised or bool(order.logos)


def deposit_settled(order: Order) -> bool:
    """The quote asked no deposit, its deposit invoice is paid, or a leader approved invoice terms instead."""
    quote = order.accepted_quote
    if order.invoice_terms_approved_at is not None or (quote is not None and quote.deposit_percent == 0):
        return True
    return db.session.scalar(select(Invoice.id).where(
        Invoice.order_id == order.id, Invoice.purpose == InvoicePurpose.DEPOSIT,
        Invoice.kind == InvoiceKind.INVOICE, Invoice.paid_at.is_not(None))) is not None


def release_blockers(order: Order) -> list[str]:
    """What an accepted order still waits for before production starts (empty: nothing)."""
    blockers = []
    if not deposit_settled(order):
        blockers.append(_l("The deposit is not paid yet."))
    if needs_proof(order) and not proof_approved(order):
        blockers.append(_l("The latest proof is not approved yet."))
    return blockers


def try_release(order: Order, actor: User | None = None, **_extra) -> list[WorkOrder]:
    """Start production if the order is accepted and waits for nothing; otherwise do nothing."""
    if order.status != S.ACCEPTED or release_blockers(order):
        return []
    return start_production(order, order.accepted_quote, actor)


def approve_invoice_terms(order: Order, leader: User) -> list[WorkOrder]:
    """A leader lets production start before the deposit is paid (the customer pays on invoice)."""
    if order.status != S.ACCEPTED:
        raise DomainError(_l("Only an accepted order waits for its deposit."))
    if order.invoice_terms_approved_at is None:
        order.invoice_terms_approved_at, order.invoice_terms_approved_by_id = utcnow(), leader.id
        db.session.flush()
    return try_release(order, leader)


def on_quote_accepted(order: Order, quote: Quote | None = None, actor: User | None = None, **_extra) -> None:
    try_release(order, actor)


def on_invoice_paid(invoice: Invoice, actor: User | None = None, **_extra) -> None:
    try_release(invoice.order, actor)


def order_of_work_order(work_order: WorkOrder) -> Order | None:
    if work_order.source_kind != SourceKind.ORDER_LINE or work_order.source_id is None:
        return None
    line = db.session.get(OrderLine, work_order.source_id)
    return line.order if line is not None else None


def on_work_order_done(work_order: WorkOrder, actor: User | None = None, **_extra) -> None:
    """The order's last work order is done: the order is ready (once) and `order_ready` is sent."""
    order = order_of_work_order(work_order)
    if order is None or order.status != S.IN_PRODUCTION:
        return
    statuses = [other.status for other in work_orders_of(order) if other.status != WorkOrderStatus.CANCELLED]
    if statuses and all(status == WorkOrderStatus.DONE for status in statuses):
        states.change_status(order, S.READY, actor)
        events.order_ready.send(order)


def on_order_cancelled(order: Order, actor: User | None = None, **_extra) -> None:
    """Cancel the order's unfinished work orders and their open tasks; work already done stays booked."""
    for work_order in work_orders_of(order):
        if work_order.status not in FINISHED_WORK_ORDERS:
            cancel_work_order(work_order, actor, note=f"Ordre {order.number} er annulleret")


# --- Progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationProgress:
    name: str
    done: int
    quantity: int

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.quantity) if self.quantity else 0


@dataclass
class LineProgress:
    line: OrderLine
    work_order: WorkOrder | None
    operations: list[OperationProgress] = field(default_factory=list)


@dataclass
class OrderProgress:
    lines: list[LineProgress]
    #: The prototype's work order, if the order asked for one first.
    prototype: WorkOrder | None = None


def _operations(work_order: WorkOrder) -> list[OperationProgress]:
    """Pieces through each step of the work order, from its tasks (rework redoes pieces already counted)."""
    done: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for task in work_order.tasks:
        names.setdefault(task.sequence, task.operation.name)
        if task.rework_of_id is None:
            done[task.sequence] += task.quantity_done
    return [OperationProgress(names[sequence], min(done[sequence], work_order.quantity), work_order.quantity)
            for sequence in sorted(names)]


def progress_for(order: Order) -> OrderProgress:
    """Per line and per operation, the pieces done of the quantity ("312 of 500 sewn, 120 embroidered")."""
    work_orders = {work_order.id: work_order for work_order in work_orders_of(order)}
    line_work_orders = {line.work_order_id for line in order.lines}
    prototype = next((work_order for work_order in work_orders.values() if work_order.id not in line_work_orders),
                     None)
    lines = []
    for line in order.lines:
        work_order = work_orders.get(line.work_order_id)
        lines.append(LineProgress(line, work_order, _operations(work_order) if work_order else []))
    return OrderProgress(lines, prototype)


# --- Deliveries ---------------------------------------------------------------------------------


def delivered_per_line(order: Order) -> dict[int, int]:
    """Pieces delivered so far, per order line id."""
    rows = db.session.execute(
        select(DeliveryLine.order_line_id, func.sum(DeliveryLine.quantity)).join(Delivery)
        .where(Delivery.order_id == order.id).group_by(DeliveryLine.order_line_id))
    delivered = {line.id: 0 for line in order.lines}
    delivered.update({line_id: int(quantity) for line_id, quantity in rows})
    return delivered


def delivered_up_to(delivery: Delivery) -> dict[int, int]:
    """Pieces delivered per order line id by this delivery and the ones before it (for its note)."""
    totals = {line.id: 0 for line in delivery.order.lines}
    for earlier in deliveries_of(delivery.order):
        if earlier.sequence <= delivery.sequence:
            for line in earlier.lines:
                totals[line.order_line_id] = totals.get(line.order_line_id, 0) + line.quantity
    return totals


def left_to_deliver(order: Order) -> dict[int, int]:
    delivered = delivered_per_line(order)
    return {line.id: max(0, line.quantity - delivered[line.id]) for line in order.lines}


def deliveries_of(order: Order) -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).where(Delivery.order_id == order.id).order_by(Delivery.sequence)))


def delivery_of(order: Order, delivery_id: int) -> Delivery | None:
    delivery = db.session.get(Delivery, delivery_id)
    return delivery if delivery is not None and delivery.order_id == order.id else None


def delivery_number(delivery: Delivery) -> str:
    """Printed on the note: "O-0042-1"."""
    return f"{delivery.order.number}-{delivery.sequence}"


def _check_delivery(order: Order, delivered_on: date | None, quantities: dict[int, int]) -> dict[int, int]:
    """The positive quantities per line, after every rule; raises DomainError on the first broken one."""
    if order.status not in DELIVERABLE:
        raise DomainError(_l("Deliveries can be recorded once the order is in production."))
    today = local_today()
    if delivered_on is None or not today - timedelta(days=DELIVERY_DAYS_BACK) <= delivered_on <= today + timedelta(
            days=DELIVERY_DAYS_AHEAD):
        raise DomainError(_l("Choose a delivery date within the last year or the next two weeks."),
                          field="delivered_on")
    left = left_to_deliver(order)
    if set(quantities) - set(left):
        raise DomainError(_l("This line is not on the order."))
    for line_id, quantity in quantities.items():
        if quantity is None or not 0 <= quantity <= left[line_id]:
            raise DomainError(_l("Deliver between 0 and %(left)d pieces of this line.", left=left[line_id]),
                              field=f"line_{line_id}")
    chosen = {line_id: quantity for line_id, quantity in quantities.items() if quantity}
    if not chosen:
        raise DomainError(_l("Write how many pieces are delivered."))
    if order.status != S.READY and all(chosen.get(line_id, 0) == rest for line_id, rest in left.items()):
        raise DomainError(_l("The last pieces can be delivered when production is done and the order is ready."))
    return chosen


def record_delivery(order: Order, actor: User | None, delivered_on: date | None, quantities: dict[int, int],
                    note: str = "") -> Delivery:
    """A delivery of some or all of what is left; the one that completes the order makes it delivered.

    The caller holds the order's row lock (order_for(..., lock=True)), so two at once never over-deliver."""
    chosen = _check_delivery(order, delivered_on, quantities)
    sequence = (db.session.scalar(select(func.max(Delivery.sequence)).where(Delivery.order_id == order.id)) or 0) + 1
    delivery = Delivery(order_id=order.id, sequence=sequence, delivered_on=delivered_on,
                        recorded_by_id=actor.id if actor is not None else None, note=(note or "").strip()[:500])
    delivery.lines = [DeliveryLine(order_line_id=line_id, quantity=quantity) for line_id, quantity in chosen.items()]
    db.session.add(delivery)
    db.session.flush()
    if not any(left_to_deliver(order).values()):
        states.change_status(order, S.DELIVERED, actor, note=delivery_number(delivery))
    events.order_delivered.send(order, delivery=delivery, actor=actor)
    return delivery

