"""An order's invoice as something payable online: what is still due on it, what paying does, where
the payer goes back to, and a credit note when card money is refunded.

Stripe's idempotency key comes from the invoice, the kind of payment (its purpose) and the amount
(`payments.services.start_online_payment`), so a double click makes one Checkout Session.
"""
import logging

from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError, NotFound
from workshop.extensions import db

from ..payments.models import OnlinePayment
from ..payments.payables import Charge, ChargeLine, PayableKind
from . import invoicing
from .invoice_mail import invoice_url
from .models import Invoice, InvoiceKind, OrderPaymentMethod

log = logging.getLogger(__name__)

ORDER_INVOICE = "order_invoice"


def _invoice(invoice_id: int) -> Invoice:
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or invoice.kind != InvoiceKind.INVOICE:
        raise NotFound(_l("No such invoice."))
    return invoice


def charge(invoice_id: int, payment_kind: str) -> Charge:
    """What is still due on the invoice, computed here; a DomainError when nothing is."""
    invoice = _invoice(invoice_id)
    if payment_kind != invoice.purpose.value:
        raise DomainError(_l("This invoice is not paid that way."))
    due = invoicing.due_ore(invoice)
    if due <= 0:
        raise DomainError(_l("Nothing is due on this invoice."))
    label = f"Faktura {invoice.number} ({invoice.order.number})"
    return Charge(invoice.site_id, label, (ChargeLine(label, due),))


def fulfil(online: OnlinePayment) -> None:
    """The money has arrived: record it on the invoice (paid in full: the order hears of it)."""
    invoice = _invoice(online.payable_id)
    invoicing.register_payment(invoice, OrderPaymentMethod.STRIPE, online.amount_ore, online.session_id,
                               strict=False)


def return_url(invoice_id: int) -> str:
    return invoice_url(_invoice(invoice_id))


def refunded(online: OnlinePayment, amount_ore: int) -> None:
    """Card money given back: a credit note for it (no more than is left to credit on the invoice)."""
    invoice = _invoice(online.payable_id)
    amount = min(amount_ore, invoicing.creditable_ore(invoice))
    if amount > 0:
        invoicing.queue_invoice_message(invoicing.credit_note(invoice, amount, "refunderet"), "invoice")
    else:
        log.info("Refund of %d øre on invoice %s: already credited in full", amount_ore, invoice.number)


ORDER_INVOICE_PAYABLE = PayableKind(ORDER_INVOICE, charge, fulfil, return_url, refunded)
