"""Release to production: an accepted order waits for its deposit (or a leader's approval of invoice
terms) and, when customised, for an approved proof; then its work orders appear, once."""
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from production.models import WorkOrder
from shop.orders import events, fulfilment, invoicing, proofs
from shop.orders.models import InvoicePurpose, OrderPaymentMethod, OrderStatus, Proof
from tests.shop.orders.fulfilment_fixtures import accept_order  # noqa: F401 - fixture
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role


def _work_orders() -> int:
    return db.session.scalar(select(func.count(WorkOrder.id)))


def _png() -> BytesIO:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def _accepted(make_order, accept_order, **quote):
    order = make_order()
    accepted = accept_order(order, **quote)
    events.quote_accepted.send(order, quote=accepted, actor=None)
    return order


def test_an_order_with_a_deposit_waits_until_the_deposit_invoice_is_paid(make_order, accept_order):
    order = _accepted(make_order, accept_order, deposit_percent=30)

    assert order.status == OrderStatus.ACCEPTED and _work_orders() == 0
    assert [str(reason) for reason in fulfilment.release_blockers(order)] == ["Depositum er ikke betalt endnu."]

    deposit = next(invoice for invoice in invoicing.invoices_of(order) if invoice.purpose == InvoicePurpose.DEPOSIT)
    invoicing.register_payment(deposit, OrderPaymentMethod.BANK_TRANSFER, deposit.total_ore, "bank 1")

    assert order.status == OrderStatus.IN_PRODUCTION
    assert _work_orders() == 1


def test_a_leader_may_approve_invoice_terms_instead_of_the_deposit(make_order, accept_order, make_user):
    order = _accepted(make_order, accept_order, deposit_percent=30)
    leader = make_user(Role.LEADER, site=order.site)

    fulfilment.approve_invoice_terms(order, leader)

    assert order.status == OrderStatus.IN_PRODUCTION and order.invoice_terms_approved_by_id == leader.id
    with pytest.raises(DomainError):  # now in production: nothing left to approve
        fulfilment.approve_invoice_terms(order, leader)
    assert _work_orders() == 1


def test_customised_work_waits_for_the_customers_approval_of_the_latest_proof(make_order, accept_order,
                                                                              make_user, tmp_path, app, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    order = make_order()
    order.lines[0].embroidery_text = "Bymuseet"
    accepted = accept_order(order, proof=False)
    events.quote_accepted.send(order, quote=accepted, actor=None)
    assert order.status == OrderStatus.ACCEPTED
    assert [str(reason) for reason in fulfilment.release_blockers(order)] == ["Den nyeste prøve er ikke godkendt endnu."]

    leader = make_user(Role.LEADER, site=order.site)
    first = proofs.upload_proof(order, leader, _png(), "Første udkast")
    proofs.decide_proof(first, approve=False, name="Karin", comment="Større logo")
    assert order.status == OrderStatus.ACCEPTED and _work_orders() == 0

    second = proofs.upload_proof(order, leader, _png(), "Større logo")
    proofs.decide_proof(second, approve=True, name="Karin")

    assert order.status == OrderStatus.IN_PRODUCTION and _work_orders() == 1
    assert db.session.scalar(select(func.count(Proof.id))) == 2


def test_the_order_page_says_what_production_waits_for_and_a_leader_can_start_on_invoice(
        make_order, accept_order, make_user, client, login):
    order = _accepted(make_order, accept_order, deposit_percent=30)
    db.session.commit()
    leader = make_user(Role.LEADER, site=order.site)
    login(client, leader)

    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Depositum er ikke betalt endnu." in page and "Start nu: betal på faktura" in page

    response = client.post(f"/orders/{order.id}/approve-terms")
    assert response.status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.IN_PRODUCTION

    again = client.post(f"/orders/{order.id}/approve-terms")
    assert again.status_code == 409


def test_only_a_leader_may_approve_invoice_terms(make_order, accept_order, make_user, client, login):
    order = _accepted(make_order, accept_order, deposit_percent=30)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=order.site))

    assert client.post(f"/orders/{order.id}/approve-terms").status_code == 403
    db.session.expire_all()
    assert order.status == OrderStatus.ACCEPTED
