"""A resident asks for her repair tickets: her phone number, then a one-time code sent by SMS or e-mail.

The answer to "send me a code" is the same whether or not the number has tickets (nobody learns who
has had a repair); a code goes out only when it has. The code is stored as a keyed hash, works for
CODE_MINUTES and for MAX_ATTEMPTS tries; a number gets at most CODES_PER_HOUR codes (the form's posts
are rate-limited per address as well). Once the code is right she sees her tickets for ACCESS_MINUTES.
Services flush; the view commits.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.services import record_audit

from ..models import MessageChannel, MessageStatus, OutboxMessage, RepairTicket, RepairTicketLine
from .catalogue import GARMENT_LABELS, naive_utcnow, normalise_phone
from .models import ResidentLookup

CODE_MINUTES = 15
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3
ACCESS_MINUTES = 30


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _code_hash(key: str, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{key}:{code}".encode(), hashlib.sha256).hexdigest()


def tickets_for_phone(phone: str) -> list[RepairTicket]:
    """Her tickets at every workshop, newest first (a ticket whose contact was erased has no phone)."""
    if not phone:
        return []
    return list(db.session.scalars(
        select(RepairTicket).where(RepairTicket.phone == phone)
        .options(selectinload(RepairTicket.lines).joinedload(RepairTicketLine.repair_type))
        .order_by(RepairTicket.created_at.desc(), RepairTicket.id.desc())))


def ask_for_code(phone_text: str, locale: str = "da") -> str:
    """Start a request for this number and send her a code if the number has tickets.

    Returns the request's key (for her session). A malformed number is a DomainError; a number with no
    tickets gets a key all the same, so the answer does not tell whether it has any.
    """
    phone = normalise_phone(phone_text)
    key, code = secrets.token_urlsafe(32), f"{secrets.randbelow(10 ** 6):06d}"
    now = naive_utcnow()
    recent = db.session.scalar(select(func.count(ResidentLookup.id)).where(
        ResidentLookup.phone == phone, ResidentLookup.created_at > now - timedelta(hours=1)))
    db.session.add(ResidentLookup(key_hash=_sha256(key), phone=phone, code_hash=_code_hash(key, code),
                                  created_at=now, expires_at=now + timedelta(minutes=CODE_MINUTES)))
    found = tickets_for_phone(phone)
    if found and recent < CODES_PER_HOUR:
        _send_code(found[0], code, locale)
    db.session.flush()
    return key


def _send_code(ticket: RepairTicket, code: str, locale: str) -> OutboxMessage:
    """The code, to her e-mail on the latest ticket if she gave one, else by SMS; in her language."""
    with force_locale(locale):
        subject = _("Your code")
        body = _("Your code is %(code)s. It works for %(minutes)d minutes. Type it on the page to see your "
                 "repairs. Did you not ask for it? Then do nothing.", code=code, minutes=CODE_MINUTES)
    channel, recipient = (MessageChannel.EMAIL, ticket.email) if ticket.email else (MessageChannel.SMS, ticket.phone)
    message = OutboxMessage(site_id=ticket.site_id, ticket_id=ticket.id, kind="lookup_code", channel=channel,
                            recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    return message


def _lookup(key: str | None) -> ResidentLookup | None:
    if not key or len(key) > 100:
        return None
    lookup = db.session.scalar(select(ResidentLookup).where(ResidentLookup.key_hash == _sha256(key)))
    if lookup is None or lookup.expires_at <= naive_utcnow():
        return None
    return lookup


def check_code(key: str | None, code_text: str) -> None:
    """Accept the code typed for this request (then her tickets open for ACCESS_MINUTES), or a DomainError.

    A wrong code counts; after MAX_ATTEMPTS wrong codes, or after CODE_MINUTES, she asks for a new one.
    """
    lookup = _lookup(key)
    if lookup is None or lookup.attempts >= MAX_ATTEMPTS or lookup.verified_at is not None:
        raise DomainError(_l("The code no longer works. Ask for a new code."), field="code")
    code = "".join((code_text or "").split())
    if not hmac.compare_digest(lookup.code_hash, _code_hash(key, code)):
        lookup.attempts += 1
        db.session.flush()
        raise DomainError(_l("The code is wrong. Try again."), field="code")
    now = naive_utcnow()
    lookup.verified_at, lookup.expires_at = now, now + timedelta(minutes=ACCESS_MINUTES)
    db.session.flush()


def verified_tickets(key: str | None) -> list[RepairTicket] | None:
    """Her tickets when this request's code was typed right and has not run out; else None."""
    lookup = _lookup(key)
    if lookup is None or lookup.verified_at is None:
        return None
    return tickets_for_phone(lookup.phone)


def ticket_rows(found: list[RepairTicket]) -> list[dict]:
    """Her tickets with their data, as plain values (for the page and the JSON download)."""
    def moment(value):
        return value.isoformat() if value else None

    return [{
        "number": ticket.number, "workshop": ticket.site.name, "status": ticket.status.value,
        "garment": str(GARMENT_LABELS[ticket.garment]), "name": ticket.customer_name, "phone": ticket.phone,
        "email": ticket.email, "language": ticket.locale, "walk_in": ticket.walk_in,
        "repairs": [{"repair": line.repair_type.name, "price_ore": line.price_ore} for line in ticket.lines],
        "total_ore": ticket.total_ore, "damage_note": ticket.damage_note,
        "consent_at": moment(ticket.consent_at), "booked_at": moment(ticket.created_at),
        "received_at": moment(ticket.received_at), "ready_at": moment(ticket.ready_at),
        "closed_at": moment(ticket.closed_at),
    } for ticket in found]


def record_download(found: list[RepairTicket]) -> None:
    """Her download of her own tickets is written in the audit log (by no login: she has none)."""
    for ticket in found:
        record_audit(None, "resident.tickets_downloaded", ticket, why="resident's own request")


# --- Erasure and retention ---------------------------------------------------------------------------


def erase_resident(ticket: RepairTicket, actor) -> int:
    """Erase a resident (her name, phone and e-mail) from this ticket and her other tickets at the same
    workshop, and from the messages sent to her; tickets, repairs and prices stay for the statistics.
    Returns how many tickets. Leaders only; audit-logged."""
    if actor.role != Role.LEADER or actor.site_id != ticket.site_id:
        raise DomainError(_l("Only the workshop's leaders may erase a resident."))
    same = [ticket.id]
    if ticket.phone:
        same = list(db.session.scalars(select(RepairTicket.id).where(
            RepairTicket.site_id == ticket.site_id, RepairTicket.phone == ticket.phone)))
    forget_contacts(same)
    record_audit(actor, "resident.erased", ticket, why="erasure asked for", tickets=len(same))
    return len(same)


def forget_contacts(ticket_ids: list[int]) -> None:
    """Blank the resident's name, phone and e-mail on these tickets and in their messages (a message not
    sent yet is given up), and delete her requests for a code."""
    db.session.execute(delete(ResidentLookup).where(ResidentLookup.phone.in_(
        select(RepairTicket.phone).where(RepairTicket.id.in_(ticket_ids), RepairTicket.phone != ""))))
    db.session.execute(update(RepairTicket).where(RepairTicket.id.in_(ticket_ids))
                       .values(customer_name="", phone="", email=""))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.ticket_id.in_(ticket_ids),
                                                   OutboxMessage.status == MessageStatus.PENDING)
                       .values(status=MessageStatus.FAILED, last_error="The resident's contact was erased."))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.ticket_id.in_(ticket_ids),
                                                   OutboxMessage.recipient != "")
                       .values(recipient="", body="", subject=""))
    db.session.flush()


def forget_old_lookups(now) -> int:
    """Requests for a code are deleted a day after they ran out, and the text of the messages that
    carried the codes is blanked (a retention rule). Returns how many requests."""
    cutoff = now.replace(tzinfo=None) - timedelta(days=1)
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.kind == "lookup_code", OutboxMessage.created_at < cutoff, OutboxMessage.body != "",
        OutboxMessage.status != MessageStatus.PENDING).values(body=""))
    return db.session.execute(delete(ResidentLookup).where(ResidentLookup.expires_at < cutoff)).rowcount
