"""E-mails about invoices through the outbox: the invoice or credit note itself, and reminders.

The message names its invoice (`outbox_messages.invoice_id`); the outbox's sender attaches the
invoice's PDF when it sends (see `invoice_documents.pdf_attachment`).
"""
from flask import current_app
from flask_babel import force_locale, format_currency, format_date
from flask_babel import gettext as _

from workshop.extensions import db
from workshop.money import kroner

from ..models import MessageChannel, OutboxMessage
from .models import Invoice, InvoiceKind


def invoice_url(invoice: Invoice) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/invoices/{invoice.id}"


def recipient_of(invoice: Invoice) -> str:
    """The company's invoice address, else whoever asked for the order."""
    order = invoice.order
    return order.customer.email or (order.requested_by.email if order.requested_by else "")


def _text(invoice: Invoice, kind: str, due_ore: int | None) -> tuple[str, str]:
    with force_locale("da"):
        values = {"number": invoice.number, "order": invoice.order.number, "site": invoice.seller_name,
                  "total": format_currency(kroner(invoice.total_ore), "DKK"),
                  "due": format_currency(kroner(due_ore if due_ore is not None else invoice.total_ore), "DKK"),
                  "date": format_date(invoice.due_on, "long"), "url": invoice_url(invoice)}
        if kind == "invoice" and invoice.kind == InvoiceKind.CREDIT_NOTE:
            subject = _("Credit note %(number)s for order %(order)s", **values)
            body = _("We have credited you %(total)s for order %(order)s. The credit note is attached. "
                     "You can also see it here: %(url)s", **values)
        elif kind == "invoice":
            subject = _("Invoice %(number)s for order %(order)s", **values)
            body = _("Here is invoice %(number)s for order %(order)s. The amount is %(total)s. "
                     "Please pay by %(date)s. The invoice is attached. You can also see it and pay here: %(url)s",
                     **values)
        elif kind == "invoice_reminder":
            subject = _("Reminder: invoice %(number)s is not paid", **values)
            body = _("Invoice %(number)s for order %(order)s was due on %(date)s. %(due)s is still unpaid. "
                     "Please pay soon. If you have paid, thank you. See the invoice here: %(url)s", **values)
        else:
            raise ValueError(kind)
    return str(subject), str(body)


def queue_invoice_message(invoice: Invoice, kind: str, due_ore: int | None = None) -> OutboxMessage | None:
    """Write the e-mail with the invoice (kind "invoice" or "invoice_reminder"); None when the company
    has no e-mail address. Flushes, never commits."""
    recipient = recipient_of(invoice)
    if not recipient:
        return None
    subject, body = _text(invoice, kind, due_ore)
    message = OutboxMessage(site_id=invoice.site_id, invoice_id=invoice.id, kind=kind, channel=MessageChannel.EMAIL,
                            recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    return message
