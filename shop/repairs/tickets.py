"""A repair ticket's life after booking: the counter, the workshop, pick-up, reminders.

Every status change goes through `change_status`, which allows legal moves only and
keeps a history row (who, when, from, to). Services flush, never commit.
"""
import hashlib
import re
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from production.models import SourceKind, WorkOrder
from production.workorders import OperationStep, create_work_order, release_work_order
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.fragments import forget_fragment
from workshop.models import Site, User
from workshop.money import MoneyError, ore_from_kroner
from workshop.timeutil import local_today, utcnow

from ..models import (
    DropOffSlot,
    PaymentMethod,
    RepairPayment,
    RepairTicket,
    RepairTicketLine,
    RepairTicketStatusChange,
    RepairType,
    TicketStatus,
)
from ..outbox import queue_ticket_message
from ..payments.services import PaymentResult, get_provider
from .catalogue import choices_fragment, chosen_repairs, looks_like_phone, naive_utcnow, normalise_phone, price_list
from .lookup import forget_contacts


#: Legal ticket moves; anything else is refused.
TRANSITIONS = {
    TicketStatus.BOOKED: {TicketStatus.RECEIVED, TicketStatus.CANCELLED, TicketStatus.NO_SHOW},
    TicketStatus.RECEIVED: {TicketStatus.IN_PROGRESS, TicketStatus.READY, TicketStatus.CANCELLED},
    TicketStatus.IN_PROGRESS: {TicketStatus.READY, TicketStatus.CANCELLED},
    TicketStatus.READY: {TicketStatus.COLLECTED, TicketStatus.NO_SHOW},
    TicketStatus.COLLECTED: set(),
    TicketStatus.CANCELLED: set(),
    TicketStatus.NO_SHOW: set(),
}

STATUS_LABELS = {
    TicketStatus.BOOKED: _l("Booked"),
    TicketStatus.RECEIVED: _l("Received"),
    TicketStatus.IN_PROGRESS: _l("Being repaired"),
    TicketStatus.READY: _l("Ready for pick-up"),
    TicketStatus.COLLECTED: _l("Collected"),
    TicketStatus.CANCELLED: _l("Cancelled"),
    TicketStatus.NO_SHOW: _l("Not collected"),
}
OPEN_STATUSES = (TicketStatus.BOOKED, TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.READY)


def _user_id(actor: User | None) -> int | None:
    return actor.id if actor is not None and getattr(actor, "is_authenticated", True) else None


def record_status_change(ticket: RepairTicket, old, new, actor: User | None, note: str = "") -> None:
    ticket.history.append(RepairTicketStatusChange(
        from_status=old.value if old else None, to_status=new.value, by_user_id=_user_id(actor), note=note[:300],
    ))
    if old is not None:  # a later step: her ticket page shows it on her next visit
        forget_fragment(page_fragment(ticket.token))
        if ticket.slot_id is not None:  # a cancelled or missed booking frees its place
            forget_fragment(choices_fragment(ticket.site))


def change_status(ticket: RepairTicket, new: TicketStatus, actor: User | None, note: str = "") -> RepairTicket:
    """Move a ticket along a legal transition and keep the history."""
    if new not in TRANSITIONS[ticket.status]:
        raise DomainError(_l("A ticket cannot go from “%(old)s” to “%(new)s”.",
                             old=STATUS_LABELS[ticket.status], new=STATUS_LABELS[new]))
    record_status_change(ticket, ticket.status, new, actor, note)
    ticket.status = new
    now = utcnow()
    if new == TicketStatus.RECEIVED:
        ticket.received_at = now
    elif new == TicketStatus.READY:
        ticket.ready_at = now
    elif new in (TicketStatus.COLLECTED, TicketStatus.CANCELLED, TicketStatus.NO_SHOW):
        ticket.closed_at = now
    db.session.flush()
    return ticket


# --- Finding tickets ----------------------------------------------------------------------------

_TOKEN_IN_TEXT = re.compile(r"(?:/t/)?([A-Za-z0-9_-]{32,64})/?$")
_NUMBER = re.compile(r"^([A-Za-z])?\s*-?\s*(\d{1,6})$")


def ticket_by_token(token: str) -> RepairTicket | None:
    """The ticket whose public token this is exactly; None for anything else."""
    if not token or not 32 <= len(token) <= 64:
        return None
    # One statement for everything the ticket page shows (a ticket has a handful of lines).
    return db.session.scalars(select(RepairTicket).where(RepairTicket.token == token).options(
        joinedload(RepairTicket.site), joinedload(RepairTicket.slot),
        joinedload(RepairTicket.lines).joinedload(RepairTicketLine.repair_type))).unique().first()


def page_fragment(token: str) -> str:
    """The name under which the ticket page of this link is kept (workshop/fragments.py); named by the
    link's hash, so the cache never holds a working link. Its status and repairs forget it."""
    return f"ticket-page:{hashlib.sha256(token.encode()).hexdigest()[:32]}"


def public_ticket(token: str) -> RepairTicket | None:
    """The ticket for the public page: None for unknown tokens and for tickets closed more than
    REPAIRS_TICKET_PAGE_DAYS days ago - the link expires."""
    ticket = ticket_by_token(token)
    if ticket is None or ticket.closed_at is None:
        return ticket
    days = current_app.config["REPAIRS_TICKET_PAGE_DAYS"]
    closed = ticket.closed_at.replace(tzinfo=None)
    return ticket if closed > naive_utcnow() - timedelta(days=days) else None


def site_ticket(site: Site, ticket_id: int) -> RepairTicket:
    ticket = db.session.get(RepairTicket, ticket_id)
    if ticket is None or ticket.site_id != site.id:
        raise NotFound(_l("No such ticket."))
    return ticket


def find_tickets(site: Site, text: str) -> list[RepairTicket]:
    """Front desk search: a ticket number ("G-0142", "142"), a scanned QR link or token, or a phone number."""
    text = (text or "").strip()
    if not text:
        return []
    query = select(RepairTicket).where(RepairTicket.site_id == site.id)
    token_match = _TOKEN_IN_TEXT.search(text)
    if token_match and not text.replace(" ", "").lstrip("+").isdigit():
        return list(db.session.scalars(query.where(RepairTicket.token == token_match.group(1))))
    number_match = _NUMBER.match(text)
    conditions = []
    if number_match:
        conditions.append(RepairTicket.sequence == int(number_match.group(2)))
    if looks_like_phone(text):
        conditions.append(RepairTicket.phone == normalise_phone(text))
    if not conditions:
        return []
    return list(db.session.scalars(query.where(or_(*conditions)).order_by(RepairTicket.created_at.desc())))


def tickets_in(site: Site, statuses, limit: int = 50) -> list[RepairTicket]:
    return list(db.session.scalars(select(RepairTicket).where(
        RepairTicket.site_id == site.id, RepairTicket.status.in_(statuses))
        .order_by(RepairTicket.created_at).limit(limit)))


# --- At the counter -----------------------------------------------------------------------------


def due_days() -> int:
    return current_app.config["REPAIRS_DUE_DAYS"]


def work_order_label(ticket: RepairTicket) -> str:
    """The work order's source label; ledger references start with it (see impact.py)."""
    names = ", ".join(line.repair_type.name_da for line in ticket.lines)
    return f"Reparation {ticket.number} · {names}"[:200]


def receive_garment(
    ticket: RepairTicket, actor: User, repair_ids: list[int], price_text: str = "", damage_note: str = "",
    due_date: date | None = None,
) -> WorkOrder:
    """The garment is handed in: confirm or adjust the repairs and price, note damage,
    and send the work to production (a released work order with the ticket as its source)."""
    if ticket.status != TicketStatus.BOOKED:
        raise DomainError(_l("This ticket has already been received."))
    agree_repairs(ticket, chosen_repairs(ticket.site, repair_ids, kept_ids=repair_type_ids(ticket)), price_text, damage_note)
    change_status(ticket, TicketStatus.RECEIVED, actor, note=ticket.damage_note)
    return send_to_workshop(ticket, actor, due_date)


def ticket_line(repair: RepairType) -> RepairTicketLine:
    """A repair on a ticket, with the price list's price and minutes of today."""
    return RepairTicketLine(repair_type=repair, price_ore=repair.price_ore, standard_minutes=repair.standard_minutes)


def agree_repairs(ticket: RepairTicket, repairs: list[RepairType], price_text: str = "", damage_note: str = "") -> None:
    """What the desk and the resident agree on at the counter: the repairs (a repair already on the ticket
    keeps its booked price), the price (the repairs' sum, or the one the desk wrote) and any damage.
    Checks the price before it changes anything."""
    agreed_price = _counter_price(price_text)
    kept = {line.repair_type_id: line for line in ticket.lines}
    ticket.lines = [kept.get(repair.id) or ticket_line(repair) for repair in repairs]
    ticket.total_ore = sum(line.price_ore for line in ticket.lines) if agreed_price is None else agreed_price
    forget_fragment(page_fragment(ticket.token))
    ticket.damage_note = (damage_note or "").strip()[:300]


def _counter_price(price_text: str) -> int | None:
    """The price the desk wrote, in øre; None when the field is empty (the price list applies)."""
    if not price_text or not price_text.strip():
        return None
    try:
        total = ore_from_kroner(price_text)
    except MoneyError:
        raise DomainError(_l("Write the price in kroner, e.g. 120 or 95,50."), field="price") from None
    if not 0 <= total <= 10_000_00:
        raise DomainError(_l("The price must be between 0 and 10.000 kr."), field="price")
    return total


def send_to_workshop(ticket: RepairTicket, actor: User, due_date: date | None = None) -> WorkOrder:
    """A received garment's repairs become a released work order with the ticket as its source (one step
    per repair); the ticket is then in progress."""
    db.session.flush()
    work_order = create_work_order(
        ticket.site, quantity=1, due_date=due_date or local_today() + timedelta(days=due_days()),
        source_kind=SourceKind.REPAIR_TICKET, source_label=work_order_label(ticket), source_id=ticket.id,
        actor=actor,
    )
    steps = [OperationStep(line.repair_type.operation, seconds_per_unit=line.standard_minutes * 60)
             for line in ticket.lines]
    release_work_order(work_order, actor, steps=steps)
    ticket.work_order_id = work_order.id
    change_status(ticket, TicketStatus.IN_PROGRESS, actor)
    return work_order


def on_work_order_done(work_order: WorkOrder, actor: User | None = None, **_extra) -> None:
    """Production says a work order is done: a repair's ticket becomes ready and the resident is told.

    Runs inside production's transaction: writes rows, never commits.
    """
    if work_order.source_kind != SourceKind.REPAIR_TICKET or work_order.source_id is None:
        return
    ticket = db.session.get(RepairTicket, work_order.source_id)
    if ticket is None or ticket.status not in (TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS):
        return
    change_status(ticket, TicketStatus.READY, actor)
    queue_ticket_message(ticket, "ticket_ready")


def collect(ticket: RepairTicket, actor: User, method: str, amount_text: str = "") -> RepairPayment:
    """Pick-up at the counter: record the payment (recorded, not processed) and close the ticket."""
    if ticket.status != TicketStatus.READY:
        raise DomainError(_l("Only a ticket that is ready can be collected."))
    try:
        payment_method = PaymentMethod(method)
    except ValueError:
        raise DomainError(_l("Choose how the customer paid."), field="method") from None
    if amount_text and amount_text.strip():
        try:
            amount = ore_from_kroner(amount_text)
        except MoneyError:
            raise DomainError(_l("Write the amount in kroner, e.g. 120 or 95,50."), field="amount") from None
    else:
        amount = ticket.total_ore
    if not 0 <= amount <= 10_000_00:
        raise DomainError(_l("The amount must be between 0 and 10.000 kr."), field="amount")
    result = get_provider().record(payment_method, amount, reference=ticket.number)
    return record_payment(ticket, actor, payment_method, amount, result)


def record_payment(ticket: RepairTicket, actor: User | None, method: PaymentMethod, amount_ore: int,
                   result: PaymentResult, note: str = "") -> RepairPayment:
    """Write the payment down and close a ready ticket as collected (the counter and Stripe's webhook).

    Money that arrives for a ticket that is no longer ready (closed at the counter meanwhile) is
    still written down, so nobody loses track of it; the status is left alone.
    """
    payment = RepairPayment(ticket_id=ticket.id, method=method, amount_ore=amount_ore,
                            provider=result.provider, reference=result.reference[:120], recorded_by_id=_user_id(actor))
    db.session.add(payment)
    if ticket.status == TicketStatus.READY:
        change_status(ticket, TicketStatus.COLLECTED, actor, note)
    else:
        db.session.flush()
    return payment


def paid_too_much_ore(ticket: RepairTicket) -> int:
    """Money to give back: paid beyond the price of a collected ticket, or anything paid for one that
    was cancelled or not collected (an online payment that arrived after the ticket was closed)."""
    owed = ticket.total_ore if ticket.status == TicketStatus.COLLECTED else 0
    if ticket.status not in (TicketStatus.COLLECTED, TicketStatus.CANCELLED, TicketStatus.NO_SHOW):
        return 0
    return max(0, sum(payment.amount_ore for payment in ticket.payments) - owed)


def cancel(ticket: RepairTicket, actor: User, note: str = "") -> RepairTicket:
    return change_status(ticket, TicketStatus.CANCELLED, actor, note)


def mark_no_show(ticket: RepairTicket, actor: User, note: str = "") -> RepairTicket:
    return change_status(ticket, TicketStatus.NO_SHOW, actor, note)


# --- Not collected ------------------------------------------------------------------------------


def pickup_days() -> int:
    return current_app.config["REPAIRS_PICKUP_DAYS"]


def overdue_tickets(site: Site) -> list[RepairTicket]:
    """Ready for more than the pick-up days, or booked for a drop-off time more than a day past."""
    now = naive_utcnow()
    ready = select(RepairTicket).where(
        RepairTicket.site_id == site.id, RepairTicket.status == TicketStatus.READY,
        RepairTicket.ready_at <= now - timedelta(days=pickup_days()))
    not_brought = (select(RepairTicket).join(DropOffSlot, RepairTicket.slot_id == DropOffSlot.id).where(
        RepairTicket.site_id == site.id, RepairTicket.status == TicketStatus.BOOKED,
        DropOffSlot.ends_at <= now - timedelta(days=1)))
    tickets = list(db.session.scalars(ready)) + list(db.session.scalars(not_brought))
    return sorted(tickets, key=lambda ticket: ticket.created_at)


def send_reminder(ticket: RepairTicket, actor: User | None = None) -> None:
    """Queue a pick-up reminder for a ready ticket."""
    if ticket.status != TicketStatus.READY:
        raise DomainError(_l("Only a ticket that is ready can get a pick-up reminder."))
    ticket.reminder_count += 1
    ticket.last_reminder_at = utcnow()
    queue_ticket_message(ticket, "pickup_reminder")
    db.session.flush()


def send_due_reminders(site: Site | None = None) -> int:
    """One automatic reminder for every ready ticket not collected after the pick-up days."""
    query = select(RepairTicket).where(
        RepairTicket.status == TicketStatus.READY, RepairTicket.reminder_count == 0,
        RepairTicket.ready_at <= naive_utcnow() - timedelta(days=pickup_days()))
    if site is not None:
        query = query.where(RepairTicket.site_id == site.id)
    tickets = list(db.session.scalars(query))
    for ticket in tickets:
        send_reminder(ticket)
    return len(tickets)


def repair_type_ids(ticket: RepairTicket) -> list[int]:
    return [line.repair_type_id for line in ticket.lines]


def receive_choices(ticket: RepairTicket) -> list[RepairType]:
    """The repairs the desk may choose when receiving: the price list, and the ticket's own even if retired."""
    offered = price_list(ticket.site)
    retired = [line.repair_type for line in ticket.lines if line.repair_type not in offered]
    return offered + retired


def status_label(status: TicketStatus) -> str:
    return str(STATUS_LABELS[status])



def forget_old_residents(now) -> int:
    """A resident's name, phone and e-mail RETENTION_RESIDENT_DAYS after her ticket closed (a retention
    rule), also in the messages sent to her: the ticket, its repairs and price stay for the statistics.
    Returns how many tickets."""
    cutoff = (now - timedelta(days=current_app.config["RETENTION_RESIDENT_DAYS"])).replace(tzinfo=None)
    due = list(db.session.scalars(select(RepairTicket.id).where(
        RepairTicket.closed_at < cutoff, or_(RepairTicket.phone != "", RepairTicket.customer_name != "",
                                             RepairTicket.email != ""))))
    forget_contacts(due)
    return len(due)
