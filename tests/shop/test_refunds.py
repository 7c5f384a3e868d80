"""Refunds of online payments: through Stripe (the fake API of test_stripe.py) or, without Stripe, as a
manual refund; the leader's form; the webhook's refund events; the repair ticket paid twice."""
import json
import threading
import time

import pytest
import stripe
from flask import g
from sqlalchemy import func, select

from shop.models import RepairTicket
from shop.payments import payables
from shop.payments import refunds as refunds_module
from shop.payments.models import OnlinePayment, OnlinePaymentStatus, PaymentEvent, Refund, RefundStatus
from shop.payments.payables import Charge, ChargeLine, PayableKind
from shop.payments.refunds import apply_stripe_refund, refund_key, refundable_ore, start_refund
from shop.payments.services import start_online_payment
from shop.repairs import tickets
from tests.shop.test_stripe import (  # noqa: F401 - fixtures used by name
    WEBHOOK_SECRET,
    _deliver,
    _event,
    fake_stripe,
    ready_ticket,
)
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import utcnow

INTENT = "pi_test_1"


@pytest.fixture
def sale(monkeypatch, make_site, make_user):
    """A kind of sale ("test_sale") whose `refunded` calls are listed; (site, its leader, the calls)."""
    site = make_site()
    calls = []
    kind = PayableKind(
        "test_sale", charge=lambda payable_id, payment_kind: Charge(site.id, "Sale", (ChargeLine("Bag", 23000),)),
        fulfil=lambda online: None, return_url=lambda payable_id: f"https://shop.test/sales/{payable_id}",
        refunded=lambda online, amount: calls.append((online.id, amount)))
    monkeypatch.setitem(payables._KINDS, kind.name, kind)
    return site, make_user(Role.LEADER, site=site), calls


def _paid(site, amount=23000, intent=INTENT, kind="test_sale", payable_id=7, number=1):
    online = OnlinePayment(site_id=site.id, payable_kind=kind, payable_id=payable_id, session_id=f"cs_test_{number}",
                           amount_ore=amount, status=OnlinePaymentStatus.PAID, paid_at=utcnow(),
                           payment_intent=intent)
    db.session.add(online)
    db.session.commit()
    return online


def _refund(app, online, amount, leader, reason="Kunden fortrød", request_key=None):
    with app.test_request_context():
        return start_refund(db.session.get(OnlinePayment, online.id), amount, reason, leader,
                            commit=db.session.commit, request_key=request_key)


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(Refund).order_by(Refund.id)).all()


def _refund_posts(fake):
    return [(headers, fields) for path, headers, fields in fake.requests if path == "/v1/refunds"]


# --- The service ---------------------------------------------------------------------------------


def test_a_full_refund_goes_through_stripe_with_an_idempotency_key(app, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    refund = _refund(app, online, 23000, leader)
    assert (refund.status, refund.stripe_refund_id, refund.amount_ore) == (RefundStatus.SUCCEEDED, "re_test_1", 23000)
    assert refund.reason == "Kunden fortrød" and refund.created_by_id == leader.id
    [(headers, fields)] = _refund_posts(fake_stripe)
    assert headers["Idempotency-Key"] == refund.idempotency_key
    assert fields["payment_intent"] == INTENT and fields["amount"] == "23000"
    assert fields["metadata[refund_key]"] == refund.idempotency_key
    assert fields["metadata[online_payment_id]"] == str(online.id)
    assert refundable_ore(db.session.get(OnlinePayment, online.id)) == 0
    assert calls == [(online.id, 23000)]


def test_partial_refunds_add_up_to_the_paid_amount_and_no_more(app, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    _refund(app, online, 10000, leader)
    _refund(app, online, 12950, leader, reason="Rabat")
    with pytest.raises(DomainError) as refused:
        _refund(app, online, 51, leader)
    db.session.rollback()
    assert refused.value.field == "amount" and "højst 0,50\u00a0kr." in str(refused.value.message)
    _refund(app, online, 50, leader)
    with pytest.raises(DomainError):
        _refund(app, online, 1, leader)
    db.session.rollback()
    assert [row.amount_ore for row in _rows()] == [10000, 12950, 50]
    assert [amount for _id, amount in calls] == [10000, 12950, 50]


@pytest.mark.parametrize("amount", [0, -100, 23001, 10**12])
def test_an_amount_outside_what_was_paid_is_refused(app, fake_stripe, sale, amount):
    site, leader, calls = sale
    online = _paid(site)
    with pytest.raises(DomainError) as refused:
        _refund(app, online, amount, leader)
    db.session.rollback()
    assert refused.value.field == "amount"
    assert _rows() == [] and _refund_posts(fake_stripe) == [] and calls == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_reason_is_required_and_short(app, fake_stripe, sale, reason):
    site, leader, _calls = sale
    online = _paid(site)
    with pytest.raises(DomainError) as refused:
        _refund(app, online, 100, leader, reason=reason)
    db.session.rollback()
    assert refused.value.field == "reason" and _rows() == []


@pytest.mark.parametrize("status", [OnlinePaymentStatus.PENDING, OnlinePaymentStatus.FAILED, OnlinePaymentStatus.EXPIRED])
def test_only_a_paid_payment_is_refunded(app, fake_stripe, sale, status):
    site, leader, _calls = sale
    online = _paid(site)
    online.status = status
    db.session.commit()
    with pytest.raises(DomainError):
        _refund(app, online, 100, leader)
    db.session.rollback()
    assert _rows() == [] and _refund_posts(fake_stripe) == []


def test_the_same_click_twice_gives_one_refund_with_one_key(app, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    first = _refund(app, online, 5000, leader, request_key="click-1234567")
    second = _refund(app, online, 5000, leader, request_key="click-1234567")
    assert first.id == second.id and first.idempotency_key == refund_key(online.id, 5000, "click-1234567")
    assert len(_refund_posts(fake_stripe)) == 1 and len(_rows()) == 1 and len(calls) == 1
    other = _refund(app, online, 5000, leader, request_key="click-7654321")
    assert other.idempotency_key != first.idempotency_key
    assert refund_key(1, 5000, "a") == refund_key(1, 5000, "a") != refund_key(1, 5001, "a") != refund_key(2, 5000, "a")


def test_a_payment_settled_before_its_intent_was_kept_asks_stripe_for_it(app, client, fake_stripe, sale):
    site, leader, _calls = sale
    online = _paid(site, intent=None)
    fake_stripe.sessions.append({"id": "cs_test_1", "object": "checkout.session", "payment_intent": "pi_test_9"})
    refund = _refund(app, online, 100, leader)
    assert refund.status == RefundStatus.SUCCEEDED
    assert db.session.get(OnlinePayment, online.id).payment_intent == "pi_test_9"
    assert _refund_posts(fake_stripe)[0][1]["payment_intent"] == "pi_test_9"


def test_stripe_refusing_leaves_a_failed_row_and_tells_the_leader(app, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    fake_stripe.fail_with = 400
    with pytest.raises(DomainError) as refused:
        _refund(app, online, 5000, leader)
    db.session.rollback()
    assert "Stripe" in str(refused.value.message)
    [row] = _rows()
    assert (row.status, row.stripe_refund_id) == (RefundStatus.FAILED, None)
    assert refundable_ore(db.session.get(OnlinePayment, online.id)) == 23000 and calls == []


def test_without_stripe_a_refund_is_written_down_as_manual(app, sale):
    site, leader, calls = sale
    online = _paid(site)
    refund = _refund(app, online, 8000, leader)
    assert refund.status == RefundStatus.SUCCEEDED and refund.stripe_refund_id is None
    assert refunds_module.is_manual(refund) and calls == [(online.id, 8000)]
    assert refundable_ore(db.session.get(OnlinePayment, online.id)) == 15000


def test_a_pending_refund_holds_its_amount_and_succeeds_by_the_webhook(app, client, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    fake_stripe.refund_status = "pending"
    refund = _refund(app, online, 20000, leader)
    assert refund.status == RefundStatus.PENDING and calls == []
    assert refundable_ore(db.session.get(OnlinePayment, online.id)) == 3000
    updated = _refund_event("refund.updated", {**fake_stripe.refunds[0], "status": "succeeded"})
    assert _outcome(client, updated) == "succeeded"
    assert _outcome(client, updated) == "duplicate"
    charge = _charge_refunded([{**fake_stripe.refunds[0], "status": "succeeded"}], event_id="evt_charge")
    assert _outcome(client, charge) == "unchanged"
    assert [row.status for row in _rows()] == [RefundStatus.SUCCEEDED] and calls == [(online.id, 20000)]
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 2


# --- The webhook's refund events -------------------------------------------------------------------


def _refund_event(event_type, refund, event_id="evt_refund_1"):
    return json.dumps({"id": event_id, "object": "event", "type": event_type, "created": int(time.time()),
                       "data": {"object": refund}})


def _charge_refunded(refunds, event_id="evt_charge_1", amount_refunded=None, listed=True):
    charge = {"id": "ch_test_1", "object": "charge", "payment_intent": INTENT, "amount": 23000,
              "amount_refunded": amount_refunded or sum(refund["amount"] for refund in refunds), "refunded": True}
    if listed:
        charge["refunds"] = {"object": "list", "data": refunds}
    return _refund_event("charge.refunded", charge, event_id)


def _outcome(client, payload, **kwargs):
    response = _deliver(client, payload, **kwargs)
    assert response.status_code == 200
    return response.get_json()["outcome"]


def _stripe_refund(number=1, amount=5000, status="succeeded", **fields):
    return {"id": f"re_dash_{number}", "object": "refund", "amount": amount, "currency": "dkk", "status": status,
            "payment_intent": INTENT, "metadata": {}, **fields}


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(app, client, fake_stripe, sale):
    site, _leader, calls = sale
    online = _paid(site)
    assert _outcome(client, _charge_refunded([_stripe_refund()])) == "succeeded"
    assert _outcome(client, _charge_refunded([_stripe_refund()])) == "duplicate"
    assert _outcome(client, _refund_event("refund.updated", _stripe_refund(), "evt_2")) == "unchanged"
    [row] = _rows()
    assert (row.stripe_refund_id, row.amount_ore, row.reason, row.created_by_id) == ("re_dash_1", 5000, "", None)
    assert calls == [(online.id, 5000)] and refundable_ore(db.session.get(OnlinePayment, online.id)) == 18000


def test_a_charge_event_without_its_refunds_asks_stripe_for_them(app, client, fake_stripe, sale):
    site, _leader, calls = sale
    _paid(site)
    fake_stripe.refunds.append(_stripe_refund(amount=7000))
    assert _outcome(client, _charge_refunded([], amount_refunded=7000, listed=False)) == "succeeded"
    assert [row.amount_ore for row in _rows()] == [7000] and len(calls) == 1


def test_a_webhook_before_our_own_answer_ends_right(app, client, fake_stripe, sale):
    """Stripe's word comes while our request still waits for Stripe's answer: the later, older answer
    ("pending") changes nothing, and the payable is told once."""
    site, leader, calls = sale
    online = _paid(site)
    key = refund_key(online.id, 6000, "click-abcdefgh")
    db.session.add(Refund(online_payment_id=online.id, amount_ore=6000, reason="Fejl", idempotency_key=key,
                          status=RefundStatus.PENDING, created_by_id=leader.id))
    db.session.commit()
    webhook = _stripe_refund(number=5, amount=6000, metadata={"refund_key": key, "online_payment_id": str(online.id)})
    assert _outcome(client, _refund_event("refund.updated", webhook)) == "succeeded"
    locked = db.session.get(OnlinePayment, online.id)
    assert apply_stripe_refund(locked, {**webhook, "status": "pending"}) == "unchanged"
    db.session.commit()
    [row] = _rows()
    assert (row.status, row.stripe_refund_id) == (RefundStatus.SUCCEEDED, "re_dash_5") and len(calls) == 1


def test_a_refund_that_fails_at_stripe_is_marked_failed_and_frees_its_amount(app, client, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site)
    fake_stripe.refund_status = "pending"
    _refund(app, online, 4000, leader)
    failed = _refund_event("refund.failed", {**fake_stripe.refunds[0], "status": "failed"})
    assert _outcome(client, failed) == "failed"
    late = _refund_event("refund.updated", {**fake_stripe.refunds[0], "status": "pending"}, "evt_late")
    assert _outcome(client, late) == "unchanged"
    assert [row.status for row in _rows()] == [RefundStatus.FAILED] and calls == []
    assert refundable_ore(db.session.get(OnlinePayment, online.id)) == 23000


@pytest.mark.parametrize("header", ["", "t=1,v1=deadbeef", None])
def test_a_forged_refund_event_is_a_400_and_changes_nothing(client, fake_stripe, sale, header):
    site, _leader, calls = sale
    _paid(site)
    payload = _charge_refunded([_stripe_refund()])
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_someone_else")
    assert _deliver(client, payload, header=header).status_code == 400
    assert _rows() == [] and calls == []
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 0


@pytest.mark.parametrize("thing", [
    {"id": "re_x", "object": "refund", "amount": "5000", "status": "succeeded", "payment_intent": INTENT},
    {"id": "re_x", "object": "refund", "amount": -1, "status": "succeeded", "payment_intent": INTENT},
    {"id": "re_x", "object": "refund", "amount": 5000, "status": "odd", "payment_intent": INTENT},
    {"id": "re_x", "object": "refund", "amount": 5000, "status": "succeeded", "payment_intent": ["pi"]},
    {"id": "re_x", "object": "refund", "amount": 5000, "status": "succeeded", "metadata": {"online_payment_id": "9" * 40}},
    {"id": "re_x\x00", "object": "refund", "amount": 5000, "status": "succeeded", "payment_intent": INTENT},
])
def test_odd_refund_events_change_nothing(client, fake_stripe, sale, thing):
    site, _leader, calls = sale
    _paid(site)
    assert _deliver(client, _refund_event("refund.updated", thing)).status_code == 200
    assert _rows() == [] and calls == []


def test_an_event_for_a_payment_we_do_not_know_is_acknowledged(client, fake_stripe, sale):
    assert _outcome(client, _refund_event("refund.updated", _stripe_refund(payment_intent="pi_unknown"))) == "unknown"
    assert _rows() == []


def test_the_paid_session_keeps_its_payment_intent(client, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    with client.application.test_request_context():
        online = start_online_payment("repair_ticket", ticket.id, staff)
    db.session.commit()
    event = json.loads(_event("checkout.session.completed", online.session_id))
    event["data"]["object"]["payment_intent"] = "pi_test_1"
    assert _deliver(client, json.dumps(event)).status_code == 200
    db.session.expire_all()
    assert db.session.get(OnlinePayment, online.id).payment_intent == "pi_test_1"


# --- The leader's form --------------------------------------------------------------------------------


def _form(online, amount="50,00", reason="Kunden fortrød", key="click-12345678", next_url="/repairs/"):
    return {"amount": amount, "reason": reason, "request_key": key, "next": next_url}


def test_a_leader_refunds_from_the_form_and_goes_back(client, login, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site, amount=200000)
    login(client, leader)
    response = client.post(f"/payments/{online.id}/refund", data=_form(online, amount="1.234,50"))
    assert response.status_code == 303 and response.headers["Location"] == "/repairs/"
    assert [row.amount_ore for row in _rows()] == [123450] and calls == [(online.id, 123450)]
    page = client.get("/repairs/").get_data(as_text=True)
    assert "1.234,50\u00a0kr. er givet tilbage til kundens kort." in page
    # the same form sent again gives nothing more back
    assert client.post(f"/payments/{online.id}/refund", data=_form(online, amount="1.234,50")).status_code == 303
    assert len(_rows()) == 1 and len(_refund_posts(fake_stripe)) == 1


def test_a_foreign_next_goes_to_the_payables_page(client, login, fake_stripe, sale):
    site, leader, _calls = sale
    online = _paid(site)
    login(client, leader)
    for index, target in enumerate(["https://evil.example/", "//evil.example", "/\t/evil.example"]):
        response = client.post(f"/payments/{online.id}/refund", data=_form(online, key=f"click-{index}0000000",
                                                                          next_url=target))
        assert response.status_code == 303 and response.headers["Location"] == "https://shop.test/sales/7"


def test_stripe_refusing_is_told_on_the_form(client, login, fake_stripe, sale):
    site, leader, _calls = sale
    online = _paid(site)
    login(client, leader)
    fake_stripe.fail_with = 400
    response = client.post(f"/payments/{online.id}/refund", data=_form(online))
    assert response.status_code == 409
    assert "Stripe lavede ikke tilbagebetalingen" in response.get_data(as_text=True)
    assert [row.status for row in _rows()] == [RefundStatus.FAILED]


def test_without_stripe_the_leader_is_told_to_pay_back_by_bank(client, login, sale):
    site, leader, _calls = sale
    online = _paid(site)
    login(client, leader)
    assert client.post(f"/payments/{online.id}/refund", data=_form(online)).status_code == 303
    page = client.get("/repairs/").get_data(as_text=True)
    assert "bankoverførsel" in page


@pytest.mark.parametrize("field, value", [
    ("amount", ""), ("amount", "abc"), ("amount", "1e309"), ("amount", "-5"), ("amount", "0"), ("amount", "²"),
    ("amount", "x" * 100_000), ("amount", "230,01"), ("amount", str(2**63)), ("reason", ""), ("reason", "x" * 301),
    ("request_key", ""), ("request_key", "x" * 100), ("request_key", "a b c d e f g h"),
])
def test_hostile_input_is_a_400_and_refunds_nothing(client, login, fake_stripe, sale, field, value):
    site, leader, calls = sale
    online = _paid(site)
    login(client, leader)
    response = client.post(f"/payments/{online.id}/refund", data={**_form(online), field: value})
    assert response.status_code == 400
    assert "Giv pengene tilbage" in response.get_data(as_text=True)
    assert _rows() == [] and calls == [] and _refund_posts(fake_stripe) == []


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_refund(client, login, make_user, fake_stripe, sale, role):
    site, _leader, _calls = sale
    online = _paid(site)
    login(client, make_user(role, site=site if role != Role.CUSTOMER else None))
    assert client.post(f"/payments/{online.id}/refund", data=_form(online)).status_code == 403
    assert _rows() == []


def test_another_sites_leader_gets_a_404(client, login, make_user, fake_stripe, sale):
    site, _leader, _calls = sale
    online = _paid(site)
    login(client, make_user(Role.LEADER))
    assert client.post(f"/payments/{online.id}/refund", data=_form(online)).status_code == 404
    assert client.post(f"/payments/{online.id + 1000}/refund", data=_form(online)).status_code == 404
    assert _rows() == []


def test_anonymous_visitors_go_to_login(client, fake_stripe, sale):
    site, _leader, _calls = sale
    online = _paid(site)
    response = client.post(f"/payments/{online.id}/refund", data=_form(online))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/payments/{online.id}/refund", data=_form(online), csrf=False).status_code in (302, 400)
    assert _rows() == []


# --- The repair ticket paid twice ------------------------------------------------------------------


def _paid_twice(client, login, ready_ticket):
    """A ticket collected in cash, then paid online too (the resident paid on her phone as well)."""
    site, ticket, staff = ready_ticket()
    login(client, staff)
    assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 302
    g.pop("_login_user", None)
    online = db.session.scalar(select(OnlinePayment))
    tickets.collect(db.session.get(RepairTicket, ticket.id), None, "cash")
    db.session.commit()
    event = json.loads(_event("checkout.session.completed", online.session_id))
    event["data"]["object"]["payment_intent"] = "pi_test_1"
    assert _deliver(client, json.dumps(event)).status_code == 200
    return site, ticket, staff, online


def test_the_ticket_paid_twice_shows_the_refund_form_instead_of_the_by_hand_note(
        client, login, make_user, fake_stripe, ready_ticket):
    site, ticket, staff, online = _paid_twice(client, login, ready_ticket)
    login(client, staff)
    response = client.get(f"/repairs/tickets/{ticket.id}")
    page = response.get_data(as_text=True)
    assert "230,00\u00a0kr. for meget er betalt for denne billet. Giv kortbetalingen tilbage herunder." in page
    assert "refunderes i Stripe" not in page and "is refunded in Stripe" not in page
    assert "En leder kan give pengene tilbage." in page and f"/payments/{online.id}/refund" not in page
    g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login keeps the user
    login(client, make_user(Role.LEADER, site=site))
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert f'action="/payments/{online.id}/refund"' in page and 'id="refund-{}-amount"'.format(online.id) in page
    response = client.post(f"/payments/{online.id}/refund", data={
        "amount": "230", "reason": "Betalt to gange", "request_key": "click-ticket01",
        "next": f"/repairs/tickets/{ticket.id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/repairs/tickets/{ticket.id}"
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "for meget er betalt" not in page
    assert "Givet tilbage" in page and "Betalt to gange" in page
    assert f'action="/payments/{online.id}/refund"' not in page  # nothing left to give back


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------------


def test_two_refunds_at_once_never_give_back_more_than_was_paid(app, login, fake_stripe, sale):
    """PostgreSQL only: the payment's row lock makes the second refund see the first one's pending row."""
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writers")
    site, leader, calls = sale
    online = _paid(site)
    clients = [login(app.test_client(), leader) for _ in range(4)]
    address = f"/payments/{online.id}/refund"
    forms = [_form(None, amount="150", key=f"click-race{number:04d}") for number in range(len(clients))]
    start, statuses = threading.Barrier(len(clients)), []

    def refund(number, refund_client):
        start.wait(30)
        statuses.append(refund_client.post(address, data=forms[number]).status_code)

    threads = [threading.Thread(target=refund, args=(number, c)) for number, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [303, 400, 400, 400]
    rows = _rows()
    assert sum(row.amount_ore for row in rows if row.status != RefundStatus.FAILED) == 15000
    assert len(rows) == 1 and len(_refund_posts(fake_stripe)) == 1 and len(calls) == 1


def test_the_success_page_keeps_the_payment_intent_too(client, login, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 302
    g.pop("_login_user", None)
    fake_stripe.sessions[0]["payment_status"] = "paid"
    online = db.session.scalar(select(OnlinePayment))
    assert client.get(f"/payments/done?session_id={online.session_id}").status_code == 302
    db.session.expire_all()
    online = db.session.get(OnlinePayment, online.id)
    assert (online.status, online.payment_intent) == (OnlinePaymentStatus.PAID, "pi_test_1")


@pytest.mark.browser
def test_a_leader_gives_a_double_payment_back_in_a_browser(
        client, login, make_user, browser_login, page, live_server, fake_stripe, ready_ticket):
    from playwright.sync_api import expect

    site, ticket, _staff, _online = _paid_twice(client, login, ready_ticket)
    page.set_viewport_size({"width": 320, "height": 800})
    browser_login(page, make_user(Role.LEADER, site=site))
    page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}")
    expect(page.locator("#paid-too-much")).to_contain_text("Giv kortbetalingen tilbage herunder")
    page.get_by_label("Beløb at give tilbage (kr.)").fill("230,00")
    page.get_by_label("Hvorfor gives pengene tilbage?").fill("Betalt både kontant og med kort")
    page.get_by_role("button", name="Giv pengene tilbage").click()
    expect(page.get_by_text("230,00\u00a0kr. er givet tilbage til kundens kort.")).to_be_visible()
    expect(page.locator("#paid-too-much")).to_have_count(0)
    expect(page.locator(".refund-succeeded")).to_contain_text("Givet tilbage")


def test_a_payment_stripe_cannot_name_is_refused_before_anything_is_written(app, fake_stripe, sale):
    site, leader, calls = sale
    online = _paid(site, intent=None)  # and the fake knows no such session
    with pytest.raises(DomainError):
        _refund(app, online, 100, leader)
    db.session.rollback()
    assert _rows() == [] and _refund_posts(fake_stripe) == [] and calls == []
