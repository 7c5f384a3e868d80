"""Invoices and credit notes for orders, and the payments that settle them.

Numbers: one unbroken sequence per site for invoices and credit notes (Danish bookkeeping). The
site's counter row is locked while a number is taken, in the same transaction that writes the
invoice, so a rolled-back invoice gives its number back and two at once never share one.

Amounts are integer øre. Lines are excluding VAT; VAT is 25 % of the subtotal (0 for a VAT-exempt
customer). A deposit and its balance split the quote exactly: deposit + balance = the quote, to the
øre, VAT included. A credit note's amounts are positive and credit the customer.

When: the deposit invoice when a quote with a deposit is accepted, the balance (or the whole order
without a deposit) when the order is delivered, credit notes when an order is cancelled or money is
refunded. The receivers are idempotent. Services flush, never commit.
"""
import logging
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from workshop.dblocks import next_site_number
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import local_today, utcnow

from ..models import Customer
from . import events, pricing, states
from .invoice_mail import queue_invoice_message
from .models import (
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoicePurpose,
    Order,
    OrderPayment,
    OrderPaymentMethod,
    OrderStatus,
    Quote,
)
from .services import company_user_may_see, workshop_user_may_see

log = logging.getLogger(__name__)

#: The most one payment may be, so a typo of extra zeros is refused (10 million kr).
MAX_PAYMENT_ORE = 1_000_000_000

PURPOSE_LABELS = {
    InvoicePurpose.DEPOSIT: _l("Deposit"),
    InvoicePurpose.BALANCE: _l("Balance"),
    InvoicePurpose.FULL: _l("Invoice"),
    InvoicePurpose.CREDIT: _l("Credit note"),
}


# --- Numbers and parties ----------------------------------------------------------------------


def _next_number(site_id: int) -> int:
    """The site's next invoice number, taken under the counter's row lock (released at commit)."""
    return next_site_number(InvoiceCounter, site_id)


def _parties(site: Site, customer: Customer) -> dict:
    """The workshop's and the customer's details as they are today, to be copied onto the invoice."""
    return {
        "seller_name": site.name, "seller_cvr": site.cvr, "seller_address": site.address,
        "seller_bank_reg_no": site.bank_reg_no, "seller_bank_account_no": site.bank_account_no,
        "customer_name": customer.company_name, "customer_cvr": customer.cvr, "customer_ean": customer.ean,
        "customer_address": customer.billing_address, "vat_exempt": customer.vat_exempt,
    }


def _new_invoice(order: Order, kind: InvoiceKind, purpose: InvoicePurpose, lines: list[InvoiceLine],
                 vat: int, due_days: int, actor: User | None, credits: Invoice | None = None) -> Invoice:
    subtotal = sum(line.total_ore for line in lines)
    today = local_today()
    invoice = Invoice(site_id=order.site_id, number=_next_number(order.site_id), kind=kind, purpose=purpose,
                      order_id=order.id, credits_invoice_id=credits.id if credits else None,
                      issued_on=today, due_on=today + timedelta(days=due_days),
                      subtotal_ore=subtotal, vat_ore=vat, total_ore=subtotal + vat,
                      created_by_id=_user_id(actor), **_parties(order.site, order.customer))
    invoice.lines = lines
    db.session.add(invoice)
    db.session.flush()
    return invoice


def _user_id(actor) -> int | None:
    return actor.id if actor is not None and getattr(actor, "is_authenticated", True) else None


# --- What a quote is worth ----------------------------------------------------------------------


def _quote_lines(quote: Quote) -> list[InvoiceLine]:
    lines = []
    for line in quote.lines:
        description = line.order_line.product.name
        if line.order_line.embroidery_text:
            description = f"{description}: {line.order_line.embroidery_text}"
        lines.append(InvoiceLine(description=description[:300], quantity=line.quantity,
                                 unit_price_ore=line.unit_price_ore))
    return lines


def quote_subtotal_ore(quote: Quote) -> int:
    return sum(line.total_ore for line in quote.lines)


def deposit_split(quote: Quote, vat_exempt: bool) -> tuple[int, int]:
    """(subtotal, VAT) of the deposit: its per cent of the quote's subtotal, rounded half up; VAT on that."""
    subtotal = (quote_subtotal_ore(quote) * quote.deposit_percent + 50) // 100
    return subtotal, pricing.vat_ore(subtotal, vat_exempt)


def _deposit_text(quote: Quote, order: Order) -> str:
    with force_locale("da"):
        return _("Deposit %(percent)d %% of order %(number)s", percent=quote.deposit_percent, number=order.number)


def _accepted_quote(order: Order) -> Quote:
    if order.accepted_quote is None:
        raise DomainError(_l("The order has no accepted quote."))
    return order.accepted_quote


def invoices_of(order: Order, kind: InvoiceKind | None = None) -> list[Invoice]:
    query = select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.number)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    return list(db.session.scalars(query))


def _invoice_for(order: Order, *purposes: InvoicePurpose) -> Invoice | None:
    return next((invoice for invoice in invoices_of(order, InvoiceKind.INVOICE) if invoice.purpose in purposes), None)


def issue_invoice(order: Order, purpose: InvoicePurpose, actor: User | None = None) -> Invoice:
    """The order's deposit, balance or full invoice from its accepted quote; the balance is the quote
    less the deposit invoiced, so the two add up to the quote exactly."""
    quote = _accepted_quote(order)
    exempt = order.customer.vat_exempt
    if purpose == InvoicePurpose.DEPOSIT:
        if quote.deposit_percent <= 0:
            raise DomainError(_l("The quote has no deposit."))
        subtotal, vat = deposit_split(quote, exempt)
        lines = [InvoiceLine(description=_deposit_text(quote, order)[:300], quantity=1, unit_price_ore=subtotal)]
    elif purpose in (InvoicePurpose.BALANCE, InvoicePurpose.FULL):
        lines = _quote_lines(quote)
        vat = pricing.vat_ore(quote_subtotal_ore(quote), exempt)
        deposit = _invoice_for(order, InvoicePurpose.DEPOSIT)
        if purpose == InvoicePurpose.BALANCE:
            if deposit is None:
                raise DomainError(_l("There is no deposit invoice to deduct."))
            with force_locale("da"):
                text = _("Less the deposit, invoice %(number)d", number=deposit.number)
            lines.append(InvoiceLine(description=text, quantity=1, unit_price_ore=-deposit.subtotal_ore))
            vat -= deposit.vat_ore
    else:
        raise DomainError(_l("Use a credit note to credit an invoice."))
    return _new_invoice(order, InvoiceKind.INVOICE, purpose, lines, vat, quote.payment_terms_days, actor)


# --- Credit notes ---------------------------------------------------------------------------------


def credited_ore(invoice: Invoice) -> int:
    """How much of an invoice credit notes have credited so far (VAT included)."""
    return db.session.scalar(select(func.coalesce(func.sum(Invoice.total_ore), 0)).where(
        Invoice.credits_invoice_id == invoice.id, Invoice.kind == InvoiceKind.CREDIT_NOTE)) or 0


def creditable_ore(invoice: Invoice) -> int:
    return max(0, invoice.total_ore - credited_ore(invoice)) if invoice.kind == InvoiceKind.INVOICE else 0


def credit_note(invoice: Invoice, amount_ore: int, reason: str, actor: User | None = None) -> Invoice:
    """A credit note for `amount_ore` (VAT included) of an invoice, for a cancellation or a refund."""
    if invoice.kind != InvoiceKind.INVOICE:
        raise DomainError(_l("Only an invoice can be credited."))
    if not 0 < amount_ore <= creditable_ore(invoice):
        raise DomainError(_l("The amount must be more than 0 and at most what is left on the invoice."),
                          field="amount")
    subtotal = amount_ore if invoice.vat_exempt else (amount_ore * 200 + 125) // 250  # /1.25, half up
    with force_locale("da"):
        text = _("Credit for invoice %(number)d: %(reason)s", number=invoice.number, reason=reason)
    line = InvoiceLine(description=text[:300], quantity=1, unit_price_ore=subtotal)
    return _new_invoice(invoice.order, InvoiceKind.CREDIT_NOTE, InvoicePurpose.CREDIT, [line],
                        amount_ore - subtotal, 0, actor, credits=invoice)


# --- Payments --------------------------------------------------------------------------------------


def paid_ore(invoice: Invoice) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(OrderPayment.amount_ore), 0)).where(
        OrderPayment.invoice_id == invoice.id)) or 0


def due_ore(invoice: Invoice) -> int:
    """What is still to pay on an invoice: its total less payments and credit notes (0 for a credit note)."""
    if invoice.kind != InvoiceKind.INVOICE:
        return 0
    return max(0, invoice.total_ore - paid_ore(invoice) - credited_ore(invoice))


def is_settled(invoice: Invoice) -> bool:
    return invoice.kind != InvoiceKind.INVOICE or invoice.paid_at is not None or due_ore(invoice) == 0


def is_overdue(invoice: Invoice, today: date | None = None) -> bool:
    return not is_settled(invoice) and invoice.due_on < (today or local_today())


def register_payment(invoice: Invoice, method: OrderPaymentMethod, amount_ore: int, reference: str,
                     actor: User | None = None, paid_on: date | None = None, strict: bool = True) -> OrderPayment:
    """Record money received for an invoice. Paid in full: `paid_at`, the invoice_paid signal, and a
    delivered order whose every invoice is settled becomes paid.

    `strict` (a leader typing a bank transfer) refuses more than is due; money that has already
    arrived by Stripe is recorded whatever it is. A Stripe session already recorded is not recorded again.
    """
    if invoice.kind != InvoiceKind.INVOICE:
        raise DomainError(_l("A credit note is not paid."))
    if method == OrderPaymentMethod.STRIPE and reference:
        existing = db.session.scalar(select(OrderPayment).where(
            OrderPayment.method == method, OrderPayment.reference == reference))
        if existing is not None:
            return existing
    if paid_on is not None and paid_on > local_today():
        raise DomainError(_l("The day cannot be in the future."), field="paid_on")
    due = due_ore(invoice)
    if strict and due == 0:
        raise DomainError(_l("Nothing is due on this invoice."))
    if strict and not 0 < amount_ore <= min(due, MAX_PAYMENT_ORE):
        raise DomainError(_l("The amount must be more than 0 and at most what is due."), field="amount")
    payment = OrderPayment(order_id=invoice.order_id, invoice_id=invoice.id, method=method, amount_ore=amount_ore,
                           reference=reference[:255], recorded_by_id=_user_id(actor))
    if paid_on is not None:
        payment.at = datetime.combine(paid_on, time(12))
    db.session.add(payment)
    db.session.flush()
    if invoice.paid_at is None and due_ore(invoice) == 0:
        invoice.paid_at = utcnow()
        db.session.flush()
        events.invoice_paid.send(invoice, actor=actor)
        _close_paid_order(invoice.order, actor)
    return payment


def _close_paid_order(order: Order, actor: User | None) -> None:
    """A delivered order whose every invoice is settled is paid in full."""
    if order.status == OrderStatus.DELIVERED and all(is_settled(invoice) for invoice in invoices_of(order)):
        states.change_status(order, OrderStatus.PAID, actor)


# --- Who sees which invoice ------------------------------------------------------------------------


def invoice_for(user: User, invoice_id: int) -> Invoice:
    """The invoice if this user may see its order (her company's, or her site's); else NotFound."""
    invoice = db.session.get(Invoice, invoice_id) if 0 < invoice_id < 2**31 else None
    if invoice is None or not (workshop_user_may_see(user, invoice.order) or company_user_may_see(user, invoice.order)):
        raise NotFound(_l("No such invoice."))
    return invoice


def site_invoices(site_id: int) -> list[Invoice]:
    """A site's invoices and credit notes: unpaid first, the oldest due date first, then the newest."""
    query = select(Invoice).where(Invoice.site_id == site_id).order_by(
        case((Invoice.paid_at.is_(None) & (Invoice.kind == InvoiceKind.INVOICE), 0), else_=1),
        Invoice.due_on, Invoice.number.desc())
    invoices = list(db.session.scalars(query.limit(500)))
    return sorted(invoices, key=lambda invoice: (not is_overdue(invoice), is_settled(invoice)))


def customer_invoices(customer_id: int) -> list[Invoice]:
    query = select(Invoice).where(Invoice.order_id.in_(select(Order.id).where(Order.customer_id == customer_id)))
    return list(db.session.scalars(query.order_by(Invoice.issued_on.desc(), Invoice.id.desc()).limit(500)))


# --- Receivers of the order's news -----------------------------------------------------------------


def on_quote_accepted(order: Order, quote: Quote | None = None, actor: User | None = None, **_kwargs) -> None:
    """A quote with a deposit accepted: the deposit invoice, once, e-mailed."""
    quote = quote or order.accepted_quote
    if quote is None or quote.deposit_percent <= 0 or _invoice_for(order, InvoicePurpose.DEPOSIT) is not None:
        return
    if order.accepted_quote is None:
        order.accepted_quote = quote
    _mail(issue_invoice(order, InvoicePurpose.DEPOSIT, actor))


def on_order_delivered(order: Order, delivery=None, actor: User | None = None, **_kwargs) -> None:
    """The last delivery: the balance (or the whole order without a deposit), once, e-mailed."""
    if order.status != OrderStatus.DELIVERED or order.accepted_quote is None:
        return
    if _invoice_for(order, InvoicePurpose.BALANCE, InvoicePurpose.FULL) is not None:
        return
    has_deposit = _invoice_for(order, InvoicePurpose.DEPOSIT) is not None
    _mail(issue_invoice(order, InvoicePurpose.BALANCE if has_deposit else InvoicePurpose.FULL, actor))


def on_order_cancelled(order: Order, actor: User | None = None, **_kwargs) -> None:
    """A cancelled order: each of its invoices is credited for what is not credited yet (idempotent)."""
    with force_locale("da"):
        reason = _("the order is cancelled")
    for invoice in invoices_of(order, InvoiceKind.INVOICE):
        left = creditable_ore(invoice)
        if left > 0:
            _mail(credit_note(invoice, left, reason, actor))


def connect_receivers() -> None:
    events.quote_accepted.connect(on_quote_accepted)
    events.order_delivered.connect(on_order_delivered)
    events.order_cancelled.connect(on_order_cancelled)


def _mail(invoice: Invoice) -> None:
    queue_invoice_message(invoice, "invoice")


# --- Reminders -------------------------------------------------------------------------------------


def reminder_days() -> int:
    return current_app.config["INVOICE_REMINDER_DAYS"]


def send_reminders() -> int:
    """A reminder e-mail for every unpaid invoice overdue by the reminder days, at most once per that
    many days per invoice. Returns how many were queued."""
    days = reminder_days()
    now = utcnow().replace(tzinfo=None)
    query = select(Invoice).where(
        Invoice.kind == InvoiceKind.INVOICE, Invoice.paid_at.is_(None),
        Invoice.due_on <= local_today() - timedelta(days=days),
        (Invoice.last_reminder_at.is_(None)) | (Invoice.last_reminder_at <= now - timedelta(days=days)))
    count = 0
    for invoice in db.session.scalars(query.order_by(Invoice.id)).all():
        if due_ore(invoice) == 0 or invoice.order.status == OrderStatus.CANCELLED:
            continue
        if queue_invoice_message(invoice, "invoice_reminder", due_ore(invoice)) is not None:
            invoice.reminder_count += 1
            invoice.last_reminder_at = now
            count += 1
    db.session.flush()
    return count
