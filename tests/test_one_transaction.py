"""Every state-changing request is one transaction: a failure after its first write leaves nothing behind.

Each request below writes in several steps (a ticket and its lines and history and an outbox message; a
receipt, its lines and the stock movements; an accepted quote, its order's history and the deposit invoice;
...). The test makes the database session fail on the request's second flush, as a crash or a lost
connection would, and checks that every table holds exactly the rows it held before: nothing half-written.
Then it sends the request for real and checks that it committed once (a commit half-way would survive a
later failure) and that it wrote what it is for. Runs on SQLite and PostgreSQL.

Each case is one row of CASES: who sends it, a `prepare` that builds what the request needs in the demo
world and returns the request, and the tables it must add rows to.
"""
import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import stripe
from flask import current_app, g
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from production import floor
from production.models import Product, SourceKind, Task
from production.planner import services as planner
from production.planner.budget import suggest_budget
from production.workorders import create_work_order
from shop.models import Customer, DropOffSlot, RepairType
from shop.orders import invoicing, quotes
from shop.orders.invoice_payable import ORDER_INVOICE
from shop.orders.models import Invoice, InvoicePurpose, Order, OrderStatus
from shop.payments.models import OnlinePayment
from shop.retail import stock, till
from shop.retail.models import SalePaymentMethod
from shop.retail.webshop_views import CART
from staffing.models import Person, PersonKind
from workshop.cli import seed_demo
from workshop.extensions import db
from workshop.models import Site, User
from workshop.money import kroner
from workshop.timeutil import local_today, monday_of, utcnow

WEBHOOK_SECRET = "whsec_one_transaction"


class InjectedFailure(Exception):
    """The failure the test injects; the app answers it as any unexpected error (500)."""


@contextmanager
def counted_commits():
    commits = 0

    def after_commit(_session):
        nonlocal commits
        commits += 1

    event.listen(Session, "after_commit", after_commit)
    try:
        yield lambda: commits
    finally:
        event.remove(Session, "after_commit", after_commit)


@contextmanager
def fail_on_flush(number: int):
    flushes = 0

    def after_flush(_session, _context):
        nonlocal flushes
        flushes += 1
        if flushes == number:
            raise InjectedFailure

    event.listen(Session, "after_flush", after_flush)
    try:
        yield lambda: flushes
    finally:
        event.remove(Session, "after_flush", after_flush)


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _log_in(client, email: str | None) -> None:
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.clear()
        if email:
            session["_user_id"] = _user(email).get_id()
            session["_fresh"] = True


@dataclass(frozen=True)
class Request:
    path: str
    #: The client.post keywords: form `data`, or a raw body with its `headers` and `content_type`.
    post: dict = field(default_factory=dict)
    #: Put in the browser's session first (a basket, a cart).
    session: dict = field(default_factory=dict)
    #: Who sends it, when the world decides (a trainee with a task); else the case's `who`.
    who: str | None = None


@dataclass(frozen=True)
class Case:
    label: str
    #: Who is logged in (an e-mail of the demo), or None: nobody, or whom the request names.
    who: str | None
    #: Builds what the request needs in the demo world (committed) and returns the request.
    prepare: Callable[[Site], Request]
    #: Tables that must hold more rows after the request.
    grows: tuple[str, ...]
    #: The answer when it succeeds: a redirect, unless said otherwise.
    status: tuple[int, ...] = (302, 303)
    #: The flush the failure comes after: the second, so the first write is in; a request that writes
    #: once (one flush) fails right after that write.
    fail_after_flush: int = 2


LEADER, STAFF, CUSTOMER = "leder@ishoj.example", "personale@ishoj.example", "kunde@tekstilservice.example"


def _book_repair(site: Site) -> Request:
    slot = db.session.scalar(select(DropOffSlot).where(DropOffSlot.site_id == site.id,
                                                       DropOffSlot.starts_at > utcnow().replace(tzinfo=None))
                             .order_by(DropOffSlot.starts_at))
    repair = db.session.scalar(select(RepairType).where(RepairType.site_id == site.id))
    return Request(f"/r/{site.slug}", {"data": {
        "garment": "trousers", "repairs": [str(repair.id)], "slot": str(slot.id), "name": "Amina",
        "phone": "20304050", "consent": "y", "request_key": "one-transaction-test"}})


def _sell(site: Site) -> Request:
    return Request("/till/sell", {"data": {"payment_method": "cash"}},
                   {"till_basket": {stock.stock_items()[0].key: 2}, "till_site": site.id})


def _move_stock(site: Site) -> Request:
    other_site = db.session.scalar(select(Site).where(Site.id != site.id))
    return Request("/retail/stock/move", {"data": {
        "move-item": stock.stock_items()[0].key, "move-to_site_id": str(other_site.id), "move-quantity": "2"}})


def _register_company(_site: Site) -> Request:
    return Request("/companies/register", {"data": {
        "company_name": "Nyt Firma ApS", "cvr": "29403406", "billing_address": "Vej 1", "name": "Ny Kunde",
        "email": "ny@firma.example", "password": "a-long-test-password"}})


def _accept(name: str) -> dict:
    return {"data": {"name": name, "confirm": "y"}}


def _accept_by_link(site: Site) -> Request:
    """The leader sends a quote for a requested order; its link's token is known only now."""
    order = db.session.scalar(select(Order).where(Order.site_id == site.id, Order.status == OrderStatus.REQUESTED)
                              .order_by(Order.id))
    today = local_today()
    quote = quotes.make_quote(order, _user(LEADER), quotes.QuoteTerms(
        deposit_percent=30, payment_terms_days=14, valid_until=today + timedelta(days=30),
        promised_date=today + timedelta(days=60)))
    token = quotes.send_quote(quote, _user(LEADER))
    db.session.commit()
    return Request(f"/q/{token}/accept", _accept("Sara Juul"))


def _accept_in_portal(site: Site) -> Request:
    company = db.session.scalar(select(Customer).where(Customer.email == CUSTOMER))
    order = db.session.scalar(select(Order).where(Order.site_id == site.id, Order.customer_id == company.id,
                                                  Order.status == OrderStatus.QUOTED))
    return Request(f"/orders/{order.id}/quote/accept", _accept("Lise Kragh"))


def _unpaid_invoice(site: Site, purpose: InvoicePurpose) -> Invoice:
    invoices = db.session.scalars(select(Invoice).where(Invoice.site_id == site.id, Invoice.purpose == purpose,
                                                        Invoice.paid_at.is_(None)).order_by(Invoice.id))
    return next(invoice for invoice in invoices if invoicing.due_ore(invoice) > 0)


def _stripe_pays_deposit(site: Site) -> Request:
    """A Checkout Session for a deposit invoice (as `start_online_payment` stores it) and Stripe's signed event."""
    current_app.config["STRIPE_WEBHOOK_SECRET"] = WEBHOOK_SECRET  # the test's app settings are put back after it
    invoice = _unpaid_invoice(site, InvoicePurpose.DEPOSIT)
    online = OnlinePayment(site_id=site.id, payable_kind=ORDER_INVOICE, payable_id=invoice.id,
                           payment_kind=invoice.purpose.value, session_id="cs_test_one_transaction",
                           amount_ore=invoicing.due_ore(invoice))
    db.session.add(online)
    db.session.commit()
    payload = json.dumps({
        "id": "evt_one_transaction", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": online.session_id, "object": "checkout.session", "payment_status": "paid",
                            "amount_total": online.amount_ore, "currency": "dkk", "payment_intent": "pi_test_1"}}})
    return Request("/webhooks/stripe", {
        "data": payload, "content_type": "application/json",
        "headers": {"Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)}})


def _bank_transfer(site: Site) -> Request:
    invoice = _unpaid_invoice(site, InvoicePurpose.FULL)
    return Request(f"/invoices/{invoice.id}/payments", {"data": {
        "amount": str(kroner(invoicing.due_ore(invoice))), "paid_on": local_today().isoformat(),
        "reference": "Bank 4711"}})


def _release_work_order(site: Site) -> Request:
    product = db.session.scalar(select(Product).where(Product.code == "gift_bag"))
    work_order = create_work_order(site, quantity=120, due_date=local_today() + timedelta(weeks=4),
                                   source_kind=SourceKind.RESTOCK, source_label="Lager · 120 gaveposer",
                                   product=product, actor=_user(LEADER))
    db.session.commit()
    return Request(f"/production/work-orders/{work_order.id}/release")


def _trainee_with_a_task(site: Site) -> tuple[Person, Task]:
    """A trainee of the demo with a login, nothing running and a task she may start now; and that task."""
    people = db.session.scalars(select(Person).where(Person.site_id == site.id, Person.user_id.is_not(None),
                                                     Person.kind == PersonKind.TRAINEE).order_by(Person.id))
    return next((person, tasks[0][0]) for person in people
                if floor.running_session(person) is None and (tasks := floor.tasks_for_today(person)))


def _start_task(site: Site) -> Request:
    person, task = _trainee_with_a_task(site)
    return Request(f"/floor/people/{person.id}/tasks/{task.id}/start", who=person.user.email)


def _stop_task(site: Site) -> Request:
    """She started 40 minutes ago; now she stops and has made 3 pieces."""
    person, task = _trainee_with_a_task(site)
    session = floor.start_work(person, task, person.user)
    session.started_at = utcnow() - timedelta(minutes=40)
    db.session.commit()
    return Request(f"/floor/people/{person.id}/stop", {"data": {"quantity": "3"}}, who=person.user.email)


def _accept_week_plan(site: Site) -> Request:
    monday = monday_of(local_today() + timedelta(days=7))
    plan = planner.make_instant_plan(site.id, monday, suggest_budget(site.id, monday).hours * 60, _user(LEADER))
    assert plan.assignments, "the demo week has nothing to plan"
    db.session.commit()
    return Request(f"/production/planner/{plan.id}/accept")


def _return_at_till(site: Site) -> Request:
    sale = till.sell(site, {stock.stock_items()[0].key: 2}, SalePaymentMethod.CASH, _user(STAFF))
    db.session.commit()
    return Request(f"/till/receipts/{sale.number}/return", {"data": {
        f"line-{sale.lines[0].id}": "1", "reason": "For lille", "payment_method": "cash"}}, {"till_site": site.id})


def _close_till_day(site: Site) -> Request:
    return Request("/till/day", {"data": {"float_amount": "500,00", "counted_cash": "812,50"}},
                   {"till_site": site.id})


def _web_checkout(site: Site) -> Request:
    item = next(item for item in stock.stock_items() if stock.available(site, item.product, item.variant) > 0)
    return Request("/butik/checkout", {"data": {
        "site_id": str(site.id), "name": "Mette Hansen", "email": "mette@eksempel.dk", "phone": "20304050",
        "payment": "at_pickup"}}, {CART: {"lines": {item.key: 1}}})


#: In this order: the floor cases come before the week plan, which gives the week's tasks to people;
#: the till's returns come before its day is closed.
CASES = (
    Case("a resident books a repair", None, _book_repair,
         ("repair_tickets", "repair_ticket_lines", "outbox_messages")),
    Case("staff sell at the till", STAFF, _sell, ("sales", "sale_lines", "stock_movements")),
    Case("a leader moves stock to another workshop", LEADER, _move_stock, ("stock_movements",)),
    Case("a company registers", None, _register_company, ("company_registrations", "users")),
    Case("a company accepts a quote by its link", None, _accept_by_link,
         ("order_status_changes", "invoices", "outbox_messages")),
    Case("a company user accepts a quote in the portal", CUSTOMER, _accept_in_portal,
         ("order_status_changes", "invoices", "outbox_messages")),
    Case("Stripe's webhook says a deposit invoice is paid", None, _stripe_pays_deposit,
         ("payment_events", "order_payments", "work_orders", "tasks"), status=(200,)),
    Case("a leader registers a bank transfer for an invoice", LEADER, _bank_transfer,
         ("order_payments", "order_status_changes")),
    Case("a leader releases a work order into tasks", LEADER, _release_work_order,
         ("tasks", "task_status_changes", "work_order_status_changes")),
    Case("a trainee starts a task on the shop floor", None, _start_task, ("work_sessions", "task_status_changes")),
    Case("a trainee stops her task on the shop floor", None, _stop_task, ("work_records", "ledger_entries")),
    Case("a leader accepts a week plan", LEADER, _accept_week_plan, ("task_status_changes",)),
    Case("staff take items back at the till", STAFF, _return_at_till, ("sales", "sale_lines", "stock_movements")),
    Case("a leader closes the day at the till", LEADER, _close_till_day, ("till_days",), fail_after_flush=1),
    Case("a buyer checks out in the webshop, paying at pick-up", None, _web_checkout,
         ("web_orders", "web_order_lines", "stock_movements", "outbox_messages")),
)


@pytest.fixture
def demo(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # an injected failure is a 500, as in production
    app.test_cli_runner().invoke(seed_demo)
    return db.session.scalar(select(Site).where(Site.slug == "ishoj"))


def test_a_request_that_fails_after_its_first_write_leaves_nothing_behind(app, client, demo):
    """One demo world for all the cases (loading it takes a while); each case builds on it."""
    checked = []
    for case in CASES:
        request = case.prepare(db.session.get(Site, demo.id))
        _log_in(client, request.who or case.who)
        with client.session_transaction() as session:
            session.update(request.session)
        before = _row_counts()
        db.session.remove()
        with fail_on_flush(case.fail_after_flush) as flushes:
            response = client.post(request.path, **request.post)
        assert flushes() >= case.fail_after_flush, f"{case.label}: the request wrote in fewer steps"
        assert response.status_code == 500, f"{case.label}: {response.status_code}"
        db.session.remove()
        after = _row_counts()
        changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
        assert changed == {}, f"{case.label} left rows behind: {changed}"
        with client.session_transaction() as session:
            session.update(request.session)
        g.pop("_login_user", None)  # loaded by the failed request, from a session that is gone
        with counted_commits() as commits:
            response = client.post(request.path, **request.post)
        assert response.status_code in case.status, f"{case.label}: {response.status_code}"
        assert commits() == 1, f"{case.label} committed {commits()} times"
        db.session.remove()
        after = _row_counts()
        assert all(after[name] > before[name] for name in case.grows), \
            f"{case.label} did not write {[name for name in case.grows if after[name] <= before[name]]}"
        checked.append(case.label)
    assert checked == [case.label for case in CASES]

