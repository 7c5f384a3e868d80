"""Repair bookings: drop-off slots, ticket numbers and tokens, and the booking itself.

Services flush, never commit; the view commits once.
"""
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.dblocks import hold_sqlite_write_lock, locked_site_counter, next_site_number
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.fragments import forget_fragment
from workshop.models import Site, User

from ..models import (
    DropOffSlot,
    GarmentKind,
    RepairTicket,
    TicketCounter,
    TicketStatus,
)
from ..outbox import queue_ticket_message
from .catalogue import choices_fragment, chosen_repairs, naive_utcnow, normalise_phone, total_price
from .tickets import agree_repairs, record_status_change, send_to_workshop, ticket_line

TOKEN_BYTES = 24  # 192 bits
#: Tickets that hold a place in their drop-off slot.
HOLDS_A_PLACE = (TicketStatus.BOOKED, TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.READY,
                 TicketStatus.COLLECTED)


# --- Drop-off slots ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotView:
    slot: DropOffSlot
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.slot.capacity - self.booked)


def _booked_count(slot_id: int) -> int:
    return db.session.scalar(select(func.count(RepairTicket.id)).where(
        RepairTicket.slot_id == slot_id, RepairTicket.status.in_(HOLDS_A_PLACE))) or 0


def slots_with_bookings(site: Site, start: datetime | None = None, days: int = 28) -> list[SlotView]:
    """The site's slots from `start` (default: now) and `days` ahead, with their bookings."""
    start = start or naive_utcnow()
    # Count only the window's bookings (through the ticket's slot index), not every ticket ever booked.
    booked = func.count(RepairTicket.id)
    query = (select(DropOffSlot, booked)
             .outerjoin(RepairTicket, (RepairTicket.slot_id == DropOffSlot.id)
                        & RepairTicket.status.in_(HOLDS_A_PLACE))
             .where(DropOffSlot.site_id == site.id, DropOffSlot.starts_at >= start,
                    DropOffSlot.starts_at < start + timedelta(days=days))
             .group_by(DropOffSlot.id)
             .order_by(DropOffSlot.starts_at))
    return [SlotView(slot, int(booked)) for slot, booked in db.session.execute(query)]


def open_slots(site: Site) -> list[SlotView]:
    """Slots a resident can still choose: in the future, with a free place."""
    return [view for view in slots_with_bookings(site) if view.free > 0]


def add_slot(site: Site, starts_at: datetime, ends_at: datetime, capacity: int) -> DropOffSlot:
    """A new drop-off slot (naive UTC times)."""
    if ends_at <= starts_at:
        raise DomainError(_l("The slot must end after it starts."), field="end")
    if starts_at <= naive_utcnow():
        raise DomainError(_l("The slot must be in the future."), field="start")
    if not 1 <= capacity <= 50:
        raise DomainError(_l("A slot takes between 1 and 50 garments."), field="capacity")
    exists = db.session.scalar(select(DropOffSlot.id).where(
        DropOffSlot.site_id == site.id, DropOffSlot.starts_at == starts_at))
    if exists:
        raise DomainError(_l("There is already a slot at that time."), field="start")
    slot = DropOffSlot(site_id=site.id, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    db.session.add(slot)
    db.session.flush()
    forget_fragment(choices_fragment(site))
    return slot


def site_slot(site: Site, slot_id: int) -> DropOffSlot:
    slot = db.session.get(DropOffSlot, slot_id)
    if slot is None or slot.site_id != site.id:
        raise NotFound(_l("That drop-off time does not exist."))
    return slot


def remove_slot(site: Site, slot_id: int) -> None:
    """Remove a slot nobody has booked."""
    slot = site_slot(site, slot_id)
    if db.session.scalar(select(func.count(RepairTicket.id)).where(RepairTicket.slot_id == slot.id)):
        raise DomainError(_l("People have booked this time; it cannot be removed."))
    db.session.delete(slot)
    db.session.flush()
    forget_fragment(choices_fragment(site))


def lock_slot(site: Site, slot_id: int | None) -> DropOffSlot:
    """The site's slot, locked for the rest of the booking's transaction.

    The row lock (SELECT ... FOR UPDATE) makes a second booking of the last place wait
    until the first commits, then see it; on SQLite the transaction takes the write lock.
    """
    if not slot_id:
        raise DomainError(_l("Choose a time to bring the garment."), field="slot")
    hold_sqlite_write_lock()
    slot = db.session.scalar(
        select(DropOffSlot).where(DropOffSlot.id == slot_id, DropOffSlot.site_id == site.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    if slot is None:
        raise DomainError(_l("That drop-off time does not exist. Choose another."), field="slot")
    return slot


def check_free_place(slot: DropOffSlot) -> None:
    if slot.starts_at <= naive_utcnow():
        raise DomainError(_l("That drop-off time has passed. Choose another."), field="slot")
    if _booked_count(slot.id) >= slot.capacity:
        raise DomainError(_l("That drop-off time is full. Choose another."), field="slot")


def ticket_for_request(site: Site, request_key: str | None) -> RepairTicket | None:
    """The ticket an earlier send of the same booking form made, if any.

    Keys are unique across sites: a form's key sent to another workshop's page is refused.
    """
    if not request_key:
        return None
    earlier = db.session.scalar(select(RepairTicket).where(RepairTicket.request_key == request_key))
    if earlier is not None and earlier.site_id != site.id:
        raise DomainError(_l("This form was already sent. Reload the page and book again."))
    return earlier


# --- Ticket numbers and tokens ----------------------------------------------------------------


def ticket_prefix(site: Site) -> str:
    return (site.slug[:1] or "R").upper()


def next_ticket_number(site: Site) -> tuple[int, str]:
    """Take the site's next number under a row lock on its counter: (sequence, "G-0142")."""
    number = next_site_number(TicketCounter, site.id)
    return number, f"{ticket_prefix(site)}-{number:04d}"


def new_token() -> str:
    """An unguessable key for the public ticket page: 192 bits from the OS's secure source."""
    return secrets.token_urlsafe(TOKEN_BYTES)


# --- Booking ---------------------------------------------------------------------------------


def book_repair(
    site: Site,
    *,
    garment: str,
    repair_ids: list[int],
    slot_id: int | None,
    name: str,
    phone: str,
    email: str = "",
    consent: bool,
    locale: str = "da",
    request_key: str | None = None,
) -> RepairTicket:
    """A resident books repairs. Checks every field; writes nothing unless all is well.

    `request_key` comes from the booking form: sending the same form twice (a double tap,
    a resend after a lost answer) gives back the ticket the first one made.
    """
    resident = resident_details(garment, name, phone, email)
    repairs = chosen_repairs(site, repair_ids)
    if not consent:
        raise DomainError(_l("Please accept that we may contact you about the repair."), field="consent")
    slot = lock_slot(site, slot_id)
    # Checked under the slot's lock, so a concurrent resend waits and then finds the first ticket.
    earlier = ticket_for_request(site, request_key)
    if earlier is not None:
        return earlier
    check_free_place(slot)
    sequence, number = next_ticket_number(site)
    ticket = RepairTicket(
        site_id=site.id, sequence=sequence, number=number, token=new_token(), status=TicketStatus.BOOKED,
        request_key=request_key or None, **resident, locale=message_locale(locale),
        consent_at=naive_utcnow(), slot=slot, total_ore=total_price(repairs),
        lines=[ticket_line(repair) for repair in repairs],
    )
    db.session.add(ticket)
    record_status_change(ticket, None, TicketStatus.BOOKED, None)
    db.session.flush()
    queue_ticket_message(ticket, "ticket_booked")
    forget_fragment(choices_fragment(site))  # the next visitor sees one place fewer
    return ticket


def create_walk_in(
    site: Site,
    actor: User,
    *,
    garment: str,
    repair_ids: list[int],
    name: str,
    phone: str,
    email: str = "",
    consent: bool,
    price_text: str = "",
    damage_note: str = "",
    locale: str = "da",
    request_key: str | None = None,
) -> RepairTicket:
    """A resident walks in with a garment: the desk makes her ticket and receives the garment at once,
    without a drop-off time. The repairs go to the workshop as for a booked ticket that is received.

    `consent` is the desk's tick that the resident said yes at the counter; the ticket keeps who asked
    and when. Checks every field; writes nothing unless all is well. A resent form (`request_key`)
    gives back the ticket the first one made.
    """
    resident = resident_details(garment, name, phone, email)
    repairs = chosen_repairs(site, repair_ids)
    if not consent:
        raise DomainError(_l("Ask the resident if we may send her an SMS or e-mail about the repair, "
                             "and tick the box."), field="consent")
    now = naive_utcnow()
    ticket = RepairTicket(
        site=site, token=new_token(), status=TicketStatus.RECEIVED, walk_in=True, request_key=request_key or None,
        **resident, locale=message_locale(locale), consent_at=now, consent_by_id=actor.id, received_at=now,
    )
    agree_repairs(ticket, repairs, price_text, damage_note)
    # Taken before the resend check, so a concurrent resend waits for this ticket and then finds it.
    locked_site_counter(TicketCounter, site.id)
    earlier = ticket_for_request(site, request_key)
    if earlier is not None:
        return earlier
    ticket.sequence, ticket.number = next_ticket_number(site)
    db.session.add(ticket)
    record_status_change(ticket, None, TicketStatus.RECEIVED, actor, note=ticket.damage_note)
    send_to_workshop(ticket, actor)
    queue_ticket_message(ticket, "ticket_received")
    return ticket


def resident_details(garment: str, name: str, phone: str, email: str) -> dict:
    """The garment and the resident's details, checked: the ticket's columns, or a DomainError on the field."""
    try:
        garment_kind = GarmentKind(garment)
    except ValueError:
        raise DomainError(_l("Choose the kind of garment."), field="garment") from None
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise DomainError(_l("Write your name (at most 80 characters)."), field="name")
    phone = normalise_phone(phone)
    email = (email or "").strip().lower()
    if len(email) > 254 or (email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        raise DomainError(_l("Write a valid e-mail address, or leave it empty."), field="email")
    return {"garment": garment_kind, "customer_name": name, "phone": phone, "email": email}


def message_locale(locale: str) -> str:
    """The language messages to the resident are written in: one the app speaks, else Danish."""
    return locale if locale in current_app.config.get("LANGUAGES", {"da": "", "en": ""}) else "da"


def booking_site(slug: str) -> Site:
    site = db.session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        raise NotFound(_l("No workshop called %(slug)s.", slug=slug))
    return site

