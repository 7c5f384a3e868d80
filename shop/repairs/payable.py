"""A repair ticket as something payable online: its price, what paying does, where the payer goes back to."""
import logging

from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError, NotFound
from workshop.extensions import db

from ..models import PaymentMethod, RepairTicket, TicketStatus
from ..outbox import ticket_url
from ..payments.models import OnlinePayment
from ..payments.payables import Charge, ChargeLine, PayableKind
from ..payments.services import PaymentResult, StripeCheckoutProvider
from . import tickets

log = logging.getLogger(__name__)

REPAIR_TICKET = "repair_ticket"


def _ticket(ticket_id: int) -> RepairTicket:
    ticket = db.session.get(RepairTicket, ticket_id)
    if ticket is None:
        raise NotFound(_l("No such ticket."))
    return ticket


def charge(ticket_id: int, payment_kind: str) -> Charge:
    """A ready ticket is paid in full, at the price of its lines."""
    ticket = _ticket(ticket_id)
    if ticket.status != TicketStatus.READY or payment_kind != "full":
        raise DomainError(_l("Only a ticket that is ready can be collected."))
    return Charge(ticket.site_id, ticket.number, (ChargeLine(f"Reparation {ticket.number}", ticket.total_ore),))


def fulfil(online: OnlinePayment) -> None:
    """The money has arrived: record it and collect the ticket (a ticket no longer ready keeps its status)."""
    ticket = _ticket(online.payable_id)
    if ticket.status != TicketStatus.READY:
        log.warning("Stripe payment %s arrived for %s, which is %s: recorded, status unchanged",
                    online.session_id, ticket.number, ticket.status.value)
    tickets.record_payment(ticket, None, PaymentMethod.STRIPE, online.amount_ore,
                           PaymentResult(StripeCheckoutProvider.name, online.session_id), note="Stripe")


def return_url(ticket_id: int) -> str:
    """The resident's ticket page, on the public address (PUBLIC_BASE_URL)."""
    return ticket_url(_ticket(ticket_id))


REPAIR_TICKET_PAYABLE = PayableKind(REPAIR_TICKET, charge, fulfil, return_url)
