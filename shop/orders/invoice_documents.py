"""An invoice as documents: the printable A4 page's data, its PDF (WeasyPrint) and, for a customer with
an EAN number, a Peppol BIS Billing 3.0 UBL file (what Danish public institutions receive by NemHandel).
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from workshop.extensions import db

from ..models import OutboxMessage
from ..outbox import Attachment
from . import invoicing
from .models import Invoice, InvoiceKind

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#: Electronic address schemes: GLN/EAN location numbers, and Danish CVR numbers.
SCHEME_EAN = "0088"
SCHEME_CVR = "0184"
#: The PDF's styles in static/css: the screen's invoice styles, then the page's (no inline style anywhere).
PDF_STYLESHEETS = ("invoice.css", "invoice-pdf.css")
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
ROOT_NS = {
    InvoiceKind.INVOICE: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    InvoiceKind.CREDIT_NOTE: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}


@dataclass(frozen=True)
class InvoiceState:
    """What is paid, credited and still due on an invoice, for its pages."""

    paid_ore: int
    credited_ore: int
    due_ore: int
    overdue: bool


def state_of(invoice: Invoice) -> InvoiceState:
    return InvoiceState(invoicing.paid_ore(invoice), invoicing.credited_ore(invoice), invoicing.due_ore(invoice),
                        invoicing.is_overdue(invoice))


def credited_invoice(invoice: Invoice) -> Invoice | None:
    return db.session.get(Invoice, invoice.credits_invoice_id) if invoice.credits_invoice_id else None


# --- PDF ---------------------------------------------------------------------------------------------


def pdf_filename(invoice: Invoice) -> str:
    word = "kreditnota" if invoice.kind == InvoiceKind.CREDIT_NOTE else "faktura"
    return f"{word}-{invoice.number}.pdf"


def render_pdf(invoice: Invoice) -> bytes:
    """The invoice as an A4 PDF (WeasyPrint; its styles are read from static/css, nothing is fetched)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - heavy (Pango, fonts): loaded when a PDF is made

    # The template straight from Jinja: no page layout, so it renders without a request (the outbox's CLI).
    template = current_app.jinja_env.get_template("shop/orders/invoice_pdf.html")
    html = template.render(invoice=invoice, state=state_of(invoice), credited=credited_invoice(invoice))
    styles = [CSS(filename=str(Path(current_app.static_folder) / "css" / name)) for name in PDF_STYLESHEETS]
    return HTML(string=html).write_pdf(stylesheets=styles)


def pdf_attachment(message: OutboxMessage) -> list[Attachment]:
    """The outbox's attacher: an e-mail about an invoice carries its PDF, in Danish."""
    if message.invoice_id is None:
        return []
    invoice = db.session.get(Invoice, message.invoice_id)
    with force_locale("da"):
        return [Attachment(pdf_filename(invoice), "application/pdf", render_pdf(invoice))]


# --- Peppol BIS Billing 3.0 (UBL 2.1) --------------------------------------------------------------


def _amount(ore: int) -> str:
    """Øre as kroner with two decimals ("1234.50"), as UBL wants them."""
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"


class _Builder:
    def __init__(self, root_ns: str, root_name: str):
        ET.register_namespace("", root_ns)
        for prefix, uri in NS.items():
            ET.register_namespace(prefix, uri)
        self.root = ET.Element(f"{{{root_ns}}}{root_name}")

    @staticmethod
    def add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
        prefix, local = name.split(":")
        element = ET.SubElement(parent, f"{{{NS[prefix]}}}{local}", attributes)
        if text is not None:
            element.text = text
        return element

    def money(self, parent: ET.Element, name: str, ore: int) -> ET.Element:
        return self.add(parent, name, _amount(ore), currencyID="DKK")


def _tax_category(b: _Builder, parent: ET.Element, name: str, exempt: bool) -> None:
    category = b.add(parent, name)
    b.add(category, "cbc:ID", "E" if exempt else "S")
    b.add(category, "cbc:Percent", "0" if exempt else "25")
    if exempt and name == "cac:TaxCategory":
        b.add(category, "cbc:TaxExemptionReason", "Momsfritaget")
    b.add(b.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _party(b: _Builder, parent: ET.Element, name: str, cvr: str, ean: str, address: str,
           with_vat: bool) -> None:
    party = b.add(parent, "cac:Party")
    if ean:
        b.add(party, "cbc:EndpointID", ean, schemeID=SCHEME_EAN)
    elif cvr:
        b.add(party, "cbc:EndpointID", cvr, schemeID=SCHEME_CVR)
    b.add(b.add(party, "cac:PartyName"), "cbc:Name", name)
    postal = b.add(party, "cac:PostalAddress")
    if address:
        b.add(postal, "cbc:StreetName", address[:200])
    b.add(b.add(postal, "cac:Country"), "cbc:IdentificationCode", "DK")
    if cvr and with_vat:
        scheme = b.add(party, "cac:PartyTaxScheme")
        b.add(scheme, "cbc:CompanyID", f"DK{cvr}")
        b.add(b.add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = b.add(party, "cac:PartyLegalEntity")
    b.add(legal, "cbc:RegistrationName", name)
    if cvr:
        b.add(legal, "cbc:CompanyID", cvr, schemeID=SCHEME_CVR)


def ubl_xml(invoice: Invoice) -> bytes:
    """The invoice or credit note as a Peppol BIS Billing 3.0 UBL document (UTF-8 bytes)."""
    credit = invoice.kind == InvoiceKind.CREDIT_NOTE
    root_name = "CreditNote" if credit else "Invoice"
    b = _Builder(ROOT_NS[invoice.kind], root_name)
    root, add = b.root, b.add
    add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    add(root, "cbc:ProfileID", PROFILE_ID)
    add(root, "cbc:ID", str(invoice.number))
    add(root, "cbc:IssueDate", invoice.issued_on.isoformat())
    if not credit:
        add(root, "cbc:DueDate", invoice.due_on.isoformat())
    add(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", "381" if credit else "380")
    add(root, "cbc:DocumentCurrencyCode", "DKK")
    order = invoice.order
    add(root, "cbc:BuyerReference", order.customer_reference or order.number)
    add(add(root, "cac:OrderReference"), "cbc:ID", order.customer_reference or order.number)
    credited = credited_invoice(invoice)
    if credited is not None:
        reference = add(add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        add(reference, "cbc:ID", str(credited.number))
        add(reference, "cbc:IssueDate", credited.issued_on.isoformat())
    _party(b, add(root, "cac:AccountingSupplierParty"), invoice.seller_name, invoice.seller_cvr, "",
           invoice.seller_address, with_vat=True)
    _party(b, add(root, "cac:AccountingCustomerParty"), invoice.customer_name, invoice.customer_cvr,
           invoice.customer_ean, invoice.customer_address, with_vat=False)
    if not credit and invoice.seller_bank_account_no:
        means = add(root, "cac:PaymentMeans")
        add(means, "cbc:PaymentMeansCode", "31")
        add(means, "cbc:PaymentID", str(invoice.number))
        account = add(means, "cac:PayeeFinancialAccount")
        add(account, "cbc:ID", f"{invoice.seller_bank_reg_no}{invoice.seller_bank_account_no}")
        add(add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", invoice.seller_bank_reg_no or "0000")
    tax_total = add(root, "cac:TaxTotal")
    b.money(tax_total, "cbc:TaxAmount", invoice.vat_ore)
    subtotal = add(tax_total, "cac:TaxSubtotal")
    b.money(subtotal, "cbc:TaxableAmount", invoice.subtotal_ore)
    b.money(subtotal, "cbc:TaxAmount", invoice.vat_ore)
    _tax_category(b, subtotal, "cac:TaxCategory", invoice.vat_exempt)
    totals = add(root, "cac:LegalMonetaryTotal")
    b.money(totals, "cbc:LineExtensionAmount", invoice.subtotal_ore)
    b.money(totals, "cbc:TaxExclusiveAmount", invoice.subtotal_ore)
    b.money(totals, "cbc:TaxInclusiveAmount", invoice.total_ore)
    b.money(totals, "cbc:PayableAmount", invoice.total_ore)
    for number, line in enumerate(invoice.lines, start=1):
        _line(b, root, number, line, credit, invoice.vat_exempt)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _line(b: _Builder, root: ET.Element, number: int, line, credit: bool, exempt: bool) -> None:
    """A line; a negative price (the deposit deducted) becomes a negative quantity at a positive price
    (BR-27: an item's price is never negative)."""
    element = b.add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    b.add(element, "cbc:ID", str(number))
    quantity = -line.quantity if line.unit_price_ore < 0 else line.quantity
    b.add(element, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", str(quantity), unitCode="H87")
    b.money(element, "cbc:LineExtensionAmount", line.total_ore)
    item = b.add(element, "cac:Item")
    b.add(item, "cbc:Name", line.description[:200] or "-")
    _tax_category(b, item, "cac:ClassifiedTaxCategory", exempt)
    b.money(b.add(element, "cac:Price"), "cbc:PriceAmount", abs(line.unit_price_ore))
