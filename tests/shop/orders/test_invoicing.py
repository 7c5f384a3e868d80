"""Invoices for orders: numbers without gaps, VAT in øre, deposit and balance, credit notes, payments,
reminders (the services)."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.models import OutboxMessage
from shop.orders import events, invoicing, states
from shop.orders.models import (
    Invoice,
    InvoiceKind,
    InvoicePurpose,
    Order,
    OrderPaymentMethod,
    OrderStatus,
)
from tests.shop.orders.invoice_fixtures import accepted_order, deliver, invoicing_site  # noqa: F401
from tests.shop.test_slot_race import _wait_for_a_lock_wait
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.timeutil import local_today

BANK = OrderPaymentMethod.BANK_TRANSFER


def _invoices(order):
    return invoicing.invoices_of(order)


def test_a_quote_with_a_deposit_gives_a_deposit_invoice_with_the_parties_copied_in(accepted_order):
    order, user = accepted_order(lines=((7, 1333),), deposit_percent=33, terms=10)
    [deposit] = _invoices(order)
    assert (deposit.kind, deposit.purpose, deposit.number) == (InvoiceKind.INVOICE, InvoicePurpose.DEPOSIT, 1)
    # 7 x 13,33 = 93,31 kr; 33 % = 30,7923 -> 30,79 kr; VAT 25 % = 7,6975 -> 7,70 kr
    assert (deposit.subtotal_ore, deposit.vat_ore, deposit.total_ore) == (3079, 770, 3849)
    [line] = deposit.lines
    assert line.description == f"Depositum 33 % af ordre {order.number}" and line.unit_price_ore == 3079
    assert deposit.due_on == deposit.issued_on + timedelta(days=10) and deposit.issued_on == local_today()
    assert (deposit.seller_name, deposit.seller_cvr, deposit.seller_bank_account_no) == (
        order.site.name, "12345674", "0012345678")
    assert (deposit.customer_name, deposit.customer_cvr) == (order.customer.company_name, "23456788")
    assert deposit.customer_address == "Fabriksvej 1, 2860 Søborg"
    # the company's details change later; the invoice keeps what it said
    order.customer.company_name = "Nyt navn ApS"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invoice, deposit.id).customer_name != "Nyt navn ApS"
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.invoice_id == deposit.id and mail.recipient == order.customer.email
    assert "Faktura 1" in mail.subject


def test_deposit_and_balance_add_up_to_the_quote_to_the_ore(accepted_order, deliver):
    order, _user = accepted_order(lines=((7, 1333), (3, 999)), deposit_percent=33)
    deliver(order)
    deposit, balance = _invoices(order)
    assert balance.purpose == InvoicePurpose.BALANCE and balance.number == 2
    subtotal = 7 * 1333 + 3 * 999
    vat = (subtotal * 25 + 50) // 100
    assert deposit.subtotal_ore + balance.subtotal_ore == subtotal
    assert deposit.vat_ore + balance.vat_ore == vat
    assert deposit.total_ore + balance.total_ore == subtotal + vat
    assert [line.unit_price_ore for line in balance.lines] == [1333, 999, -deposit.subtotal_ore]
    assert sum(line.total_ore for line in balance.lines) == balance.subtotal_ore


def test_without_a_deposit_one_full_invoice_when_delivered(accepted_order, deliver):
    order, _user = accepted_order(lines=((500, 3200),), deposit_percent=0)
    assert _invoices(order) == []
    deliver(order)
    [full] = _invoices(order)
    assert full.purpose == InvoicePurpose.FULL
    assert (full.subtotal_ore, full.vat_ore, full.total_ore) == (1_600_000, 400_000, 2_000_000)


def test_a_vat_exempt_customer_pays_no_vat(accepted_order, deliver):
    order, _user = accepted_order(lines=((3, 1001),), deposit_percent=50, vat_exempt=True)
    deliver(order)
    deposit, balance = _invoices(order)
    assert deposit.vat_exempt and deposit.vat_ore == 0 and balance.vat_ore == 0
    assert deposit.total_ore + balance.total_ore == 3003


def test_receivers_are_idempotent(accepted_order, deliver):
    order, user = accepted_order(deposit_percent=20)
    events.quote_accepted.send(order, quote=order.accepted_quote, actor=user)
    leader = deliver(order)
    events.order_delivered.send(order, delivery=None, actor=leader)
    db.session.commit()
    assert [invoice.purpose for invoice in _invoices(order)] == [InvoicePurpose.DEPOSIT, InvoicePurpose.BALANCE]


def test_numbers_run_per_site_without_gaps_and_a_rolled_back_invoice_gives_its_number_back(
        accepted_order, invoicing_site, deliver):
    first, _ = accepted_order(deposit_percent=10)
    second, _ = accepted_order(deposit_percent=10, site=first.site)
    elsewhere, _ = accepted_order(deposit_percent=10)
    assert [invoice.number for invoice in _invoices(first) + _invoices(second)] == [1, 2]
    assert _invoices(elsewhere)[0].number == 1
    states.change_status(first, OrderStatus.IN_PRODUCTION)
    states.change_status(first, OrderStatus.READY)
    states.change_status(first, OrderStatus.DELIVERED)
    invoicing.on_order_delivered(first)
    db.session.rollback()
    deliver(first)
    assert _invoices(first)[-1].number == 3


def test_bank_transfers_settle_the_invoices_and_a_delivered_order_becomes_paid(accepted_order, deliver):
    order, _user = accepted_order(deposit_percent=33)
    deposit = _invoices(order)[0]
    heard = []

    def hear(invoice, **_kwargs):
        heard.append(invoice)

    events.invoice_paid.connect(hear)
    try:
        invoicing.register_payment(deposit, BANK, 1000, "bank 1", paid_on=local_today())
        assert deposit.paid_at is None and invoicing.due_ore(deposit) == 2849
        invoicing.register_payment(deposit, BANK, 2849, "bank 2")
        assert deposit.paid_at is not None and heard == [deposit]
        with pytest.raises(DomainError):
            invoicing.register_payment(deposit, BANK, 1, "again")
        leader = deliver(order)
        balance = _invoices(order)[1]
        with pytest.raises(DomainError):
            invoicing.register_payment(balance, BANK, balance.total_ore + 1, "too much")
        with pytest.raises(DomainError):
            invoicing.register_payment(balance, BANK, balance.total_ore, "later", paid_on=local_today() + timedelta(1))
        invoicing.register_payment(balance, BANK, balance.total_ore, "bank 3", leader)
    finally:
        events.invoice_paid.disconnect(hear)
    assert order.status == OrderStatus.PAID and order.history[-1].by_user_id == leader.id


def test_a_cancelled_order_is_credited_once(accepted_order):
    order, user = accepted_order(deposit_percent=50)
    deposit = _invoices(order)[0]
    invoicing.register_payment(deposit, BANK, deposit.total_ore, "bank")
    states.change_status(order, OrderStatus.CANCELLED, user)
    events.order_cancelled.send(order, actor=user)
    events.order_cancelled.send(order, actor=user)
    db.session.commit()
    deposit, credit = _invoices(order)
    assert (credit.kind, credit.purpose, credit.number) == (InvoiceKind.CREDIT_NOTE, InvoicePurpose.CREDIT, 2)
    assert credit.credits_invoice_id == deposit.id and credit.total_ore == deposit.total_ore
    assert credit.subtotal_ore == deposit.subtotal_ore and credit.vat_ore == deposit.vat_ore
    assert invoicing.creditable_ore(deposit) == 0
    with pytest.raises(DomainError):
        invoicing.credit_note(deposit, 1, "mere")


def test_a_part_credit_splits_vat_in_ore(accepted_order):
    order, _user = accepted_order(deposit_percent=50)
    deposit = _invoices(order)[0]
    credit = invoicing.credit_note(deposit, 1001, "rabat")
    assert (credit.subtotal_ore, credit.vat_ore, credit.total_ore) == (801, 200, 1001)
    assert invoicing.due_ore(deposit) == deposit.total_ore - 1001
    with pytest.raises(DomainError):
        invoicing.credit_note(deposit, 0, "intet")


def test_reminders_go_once_per_period_for_overdue_unpaid_invoices(app, accepted_order, clock):
    order, _user = accepted_order(deposit_percent=50, terms=14)
    paid_order, _ = accepted_order(deposit_percent=50, terms=14, site=order.site)
    paid = _invoices(paid_order)[0]
    invoicing.register_payment(paid, BANK, paid.total_ore, "bank")
    db.session.commit()
    assert app.config["INVOICE_REMINDER_DAYS"] == 7

    def reminders():
        return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "invoice_reminder"))

    clock.shift(timedelta(days=20))  # 6 days overdue
    assert invoicing.send_reminders() == 0
    clock.shift(timedelta(days=1))  # 7 days overdue
    assert invoicing.send_reminders() == 1
    assert invoicing.send_reminders() == 0
    clock.shift(timedelta(days=6))
    assert invoicing.send_reminders() == 0
    clock.shift(timedelta(days=1, hours=1))
    assert invoicing.send_reminders() == 1
    db.session.commit()
    invoice = _invoices(order)[0]
    assert invoice.reminder_count == 2 and reminders() == 2
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invoice_reminder")).first()
    assert message.invoice_id == invoice.id and "Påmindelse" in message.subject


def test_the_remind_command(app, accepted_order, clock):
    accepted_order(deposit_percent=50, terms=0)
    db.session.commit()
    clock.shift(timedelta(days=8))
    result = app.test_cli_runner().invoke(args=["invoices", "remind"])
    assert result.exit_code == 0 and "Queued 1 invoice reminder(s)." in result.output


def _issue(app, order_id, results, key, hold=None):
    with app.app_context():
        try:
            order = db.session.get(Order, order_id)
            invoice = invoicing.issue_invoice(order, InvoicePurpose.FULL)
            if hold:
                hold()
            db.session.commit()
            results[key] = invoice.number
        finally:
            db.session.remove()


def test_two_invoices_at_once_take_the_next_numbers_one_after_the_other(app, accepted_order):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first, _ = accepted_order(deposit_percent=10)
    second, _ = accepted_order(deposit_percent=10, site=first.site)
    ids = first.id, second.id
    db.session.remove()
    results: dict[str, int] = {}
    taken, go_on = threading.Event(), threading.Event()

    def hold():
        taken.set()
        assert go_on.wait(30)

    one = threading.Thread(target=_issue, args=(app, ids[0], results, "one", hold))
    two = threading.Thread(target=_issue, args=(app, ids[1], results, "two"))
    one.start()
    assert taken.wait(30)
    two.start()
    _wait_for_a_lock_wait(app.config["SQLALCHEMY_DATABASE_URI"])  # the second waits for the counter's lock
    go_on.set()
    one.join(30)
    two.join(30)
    assert sorted(results.values()) == [3, 4] and results["one"] == 3
    numbers = db.session.scalars(select(Invoice.number).where(Invoice.site_id == first.site_id)
                                 .order_by(Invoice.number)).all()
    assert numbers == [1, 2, 3, 4]
