"""Invoice pages: the list, the printable A4 invoice, its PDF and UBL file, paying online and a leader
registering a bank transfer. Company users see their company's invoices, leaders and staff their
site's; anyone else gets 404.
"""
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import show_domain_error
from workshop.models import Role
from workshop.security import found_or_404, role_required
from workshop.downloads import download

from ..companies.services import company_of
from ..payments import services as payments
from . import invoicing
from .invoice_documents import credited_invoice, pdf_filename, render_pdf, state_of, ubl_xml
from .invoice_forms import BankTransferForm, PayOnlineForm
from .invoice_payable import ORDER_INVOICE
from .models import InvoiceKind, OrderPaymentMethod

blueprint = Blueprint("invoices", __name__, url_prefix="/invoices")

VIEWERS = (Role.LEADER, Role.STAFF, Role.CUSTOMER)


@blueprint.route("/")
@role_required(*VIEWERS)
def index():
    if current_user.role == Role.CUSTOMER:
        company = company_of(current_user)
        invoices = invoicing.customer_invoices(company.id) if company else []
    else:
        invoices = invoicing.site_invoices(current_user.site_id)
    rows = [(invoice, state_of(invoice)) for invoice in invoices]
    return render_template("shop/orders/invoices.html", rows=rows, pay_form=PayOnlineForm(),
                           online=payments.online_payment_enabled())


def _page(invoice, transfer_form=None, status=200):
    for_workshop = current_user.role in (Role.LEADER, Role.STAFF)
    return render_template(
        "shop/orders/invoice.html", invoice=invoice, state=state_of(invoice), credited=credited_invoice(invoice),
        for_workshop=for_workshop, pay_form=PayOnlineForm(), online=payments.online_payment_enabled(),
        transfer_form=transfer_form or BankTransferForm(formdata=None),
    ), status


@blueprint.route("/<int:invoice_id>")
@role_required(*VIEWERS)
def show(invoice_id: int):
    return _page(found_or_404(invoicing.invoice_for, current_user, invoice_id))


@blueprint.route("/<int:invoice_id>.pdf")
@role_required(*VIEWERS)
def pdf(invoice_id: int):
    invoice = found_or_404(invoicing.invoice_for, current_user, invoice_id)
    return Response(render_pdf(invoice), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{pdf_filename(invoice)}"'})


@blueprint.route("/<int:invoice_id>.xml")
@role_required(*VIEWERS)
def ubl(invoice_id: int):
    """The Peppol BIS Billing 3.0 file, for a customer with an EAN number."""
    invoice = found_or_404(invoicing.invoice_for, current_user, invoice_id)
    if not invoice.customer_ean:
        abort(404)
    word = "creditnote" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    return download(ubl_xml(invoice), f"{word}-{invoice.number}.xml", "application/xml")


@blueprint.route("/<int:invoice_id>/pay", methods=["POST"])
@role_required(*VIEWERS)
def pay(invoice_id: int):
    """Start a Stripe Checkout for what is due (computed on the server) and send the payer there."""
    invoice = found_or_404(invoicing.invoice_for, current_user, invoice_id)
    form = PayOnlineForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payment = payments.start_online_payment(ORDER_INVOICE, invoice.id, current_user, invoice.purpose.value)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _page(invoice, status=409)
    db.session.commit()
    return redirect(payment.url, code=303)


@blueprint.route("/<int:invoice_id>/payments", methods=["POST"])
@role_required(Role.LEADER)
def register_transfer(invoice_id: int):
    """A leader registers a bank transfer she sees on the statement."""
    invoice = found_or_404(invoicing.invoice_for, current_user, invoice_id)
    form = BankTransferForm()
    if form.validate_on_submit():
        try:
            invoicing.register_payment(invoice, OrderPaymentMethod.BANK_TRANSFER, form.amount.ore,
                                       form.reference.data.strip(), current_user, paid_on=form.paid_on.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The payment is registered."), "success")
            return redirect(url_for("invoices.show", invoice_id=invoice.id))
    return _page(invoice, form, 400)
