"""The order page's refunds section (position 70): card payments of the order's invoices, with the form
for the site's leader. The invoice payable kind is built elsewhere: the payments are made as rows here."""
from datetime import date

from flask import g, render_template
from sqlalchemy import select

from shop.orders.models import Invoice, InvoiceCounter, InvoicePurpose
from shop.orders.pages import sections_for
from shop.orders.refund_section import ORDER_INVOICE
from shop.payments.models import OnlinePayment, OnlinePaymentStatus, Refund
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import utcnow

TEMPLATE = "shop/orders/_refund_section.html"


def _invoice(order, number=1):
    """An invoice row numbered `number`; the site's counter follows, so a credit note gets the next number."""
    counter = db.session.scalar(select(InvoiceCounter).where(InvoiceCounter.site_id == order.site_id))
    if counter is None:
        counter = InvoiceCounter(site_id=order.site_id, last_number=0)
        db.session.add(counter)
    counter.last_number = max(counter.last_number, number)
    invoice = Invoice(site_id=order.site_id, number=number, purpose=InvoicePurpose.FULL, order_id=order.id,
                      issued_on=date(2026, 11, 23), due_on=date(2026, 12, 7), customer_name="Firma",
                      subtotal_ore=40000, vat_ore=10000, total_ore=50000)
    db.session.add(invoice)
    # The site's counter knows the number, as when invoicing issues it: a credit note takes the next.
    db.session.merge(InvoiceCounter(site_id=order.site_id, last_number=number))
    db.session.flush()
    return invoice


def _paid_online(order, invoice, status=OnlinePaymentStatus.PAID):
    online = OnlinePayment(site_id=order.site_id, payable_kind=ORDER_INVOICE, payable_id=invoice.id,
                           session_id=f"cs_test_inv{invoice.id}", amount_ore=50000, status=status,
                           paid_at=utcnow(), payment_intent=f"pi_test_inv{invoice.id}")
    db.session.add(online)
    db.session.commit()
    return online


def _section(app, order, viewer):
    with app.test_request_context(f"/orders/{order.id}"):
        found = [context for template, context in sections_for(order, viewer) if template == TEMPLATE]
        html = render_template(TEMPLATE, **found[0]) if found else None
    g.pop("_login_user", None)
    return found, html


def test_the_leader_sees_the_orders_card_payments_with_the_refund_form(app, make_order, make_user):
    order = make_order()
    online = _paid_online(order, _invoice(order))
    _paid_online(order, _invoice(order, 2), status=OnlinePaymentStatus.EXPIRED)  # not paid: not shown
    [context], html = _section(app, order, make_user(Role.LEADER, site=order.site))
    assert [panel.online.id for panel in context["refund_panels"]] == [online.id]
    assert f'action="/payments/{online.id}/refund"' in html and 'value="/orders/' in html
    assert "Kortbetalinger og tilbagebetalinger" in html


def test_staff_see_the_payments_without_the_form_and_customers_see_nothing(app, make_order, make_user):
    order = make_order()
    online = _paid_online(order, _invoice(order))
    [_context], html = _section(app, order, make_user(Role.STAFF, site=order.site))
    assert "En leder kan give pengene tilbage." in html and f"/payments/{online.id}/refund" not in html
    found, _html = _section(app, order, make_user(Role.CUSTOMER))
    assert found == []


def test_an_order_without_card_payments_has_no_refunds_section(app, make_order, make_user):
    order = make_order()
    _invoice(order)
    assert _section(app, order, make_user(Role.LEADER, site=order.site))[0] == []


def test_the_leader_refunds_an_invoice_payment_and_goes_back_to_the_order(client, login, make_order, make_user):
    order = make_order()
    online = _paid_online(order, _invoice(order))
    login(client, make_user(Role.LEADER, site=order.site))
    response = client.post(f"/payments/{online.id}/refund", data={
        "amount": "100", "reason": "Forkert farve", "request_key": "click-order001", "next": f"/orders/{order.id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/orders/{order.id}"
    [refund] = db.session.scalars(select(Refund)).all()
    assert (refund.online_payment_id, refund.amount_ore) == (online.id, 10000)  # no Stripe here: written down
