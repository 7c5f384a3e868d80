"""Online card payment by Stripe Checkout, without the network.

The Stripe client is pointed (config STRIPE_API_BASE) at a tiny fake API on 127.0.0.1 that answers
POST /v1/checkout/sessions like Stripe does - including idempotency: a repeated Idempotency-Key
gets the first answer again - and GET /v1/checkout/sessions/<id>, POST /v1/refunds (idempotent the same way)
and GET /v1/refunds?payment_intent=..., and records every request. Webhooks are real signed payloads
(stripe.WebhookSignature.generate_signature_header with the current time).
"""
import json
import os
import threading
import time
import urllib.request
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import stripe
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from production.models import WorkOrder
from shop.models import (
    PaymentMethod,
    RepairPayment,
    RepairTicket,
    RepairTicketStatusChange,
    TicketStatus,
)
from shop.payments import services as payments
from shop.payments.models import OnlinePayment, OnlinePaymentStatus, PaymentEvent
from shop.payments import payables
from shop.payments.payables import Charge, ChargeLine
from shop.repairs import tickets
from shop.repairs.payable import REPAIR_TICKET
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role

WEBHOOK_SECRET = "whsec_test_secret"


def _amount_total(fields: dict) -> int:
    """The sum of a Checkout Session's line items, as Stripe computes it."""
    total, line = 0, 0
    while f"line_items[{line}][quantity]" in fields:
        total += int(fields[f"line_items[{line}][price_data][unit_amount]"]) * int(fields[f"line_items[{line}][quantity]"])
        line += 1
    return total


class FakeStripe:
    """Answers Checkout Session creation; `requests` holds (path, headers, form fields) of each call."""

    def __init__(self):
        self.requests: list[tuple[str, dict, dict]] = []
        self.by_key: dict[str, dict] = {}
        self.sessions: list[dict] = []
        self.refunds: list[dict] = []
        #: The status a new refund has (Stripe answers "pending" for some cards and banks).
        self.refund_status = "succeeded"
        self.fail_with: int | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                fake.requests.append((self.path, dict(self.headers), {}))
                if self.path.startswith("/v1/refunds?"):
                    intent = parse_qs(self.path.partition("?")[2]).get("payment_intent", [""])[0]
                    listed = [refund for refund in fake.refunds if refund["payment_intent"] == intent]
                    self._answer(fake.fail_with or 200, {"object": "list", "data": listed, "has_more": False})
                    return
                found = [session for session in fake.sessions if self.path == f"/v1/checkout/sessions/{session['id']}"]
                if fake.fail_with or not found:
                    self._answer(fake.fail_with or 404, {"error": {"type": "invalid_request_error", "message": "no"}})
                    return
                self._answer(200, found[0])

            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                fields = {key: values[0] for key, values in parse_qs(body).items()}
                fake.requests.append((self.path, dict(self.headers), fields))
                if fake.fail_with:
                    self._answer(fake.fail_with, {"error": {"type": "api_error", "message": "down"}})
                    return
                if self.path == "/v1/refunds":
                    self._answer(200, fake.refund(self.headers.get("Idempotency-Key"), fields))
                    return
                if self.path != "/v1/checkout/sessions":
                    self._answer(404, {"error": {"type": "invalid_request_error", "message": "no route"}})
                    return
                key = self.headers.get("Idempotency-Key")
                if key not in fake.by_key:
                    number = len(fake.sessions) + 1
                    session = {
                        "id": f"cs_test_{number}", "object": "checkout.session",
                        # The real origin: the Content-Security-Policy's form-action must allow the redirect.
                        "url": f"https://checkout.stripe.com/c/pay/cs_test_{number}",
                        "amount_total": _amount_total(fields),
                        "currency": fields["line_items[0][price_data][currency]"],
                        "client_reference_id": fields.get("client_reference_id"),
                        "mode": fields.get("mode"), "payment_status": "unpaid", "status": "open",
                        "payment_intent": f"pi_test_{number}",
                    }
                    fake.sessions.append(session)
                    fake.by_key[key] = session
                self._answer(200, fake.by_key[key])

            def _answer(self, status, data):
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def refund(self, key: str | None, fields: dict) -> dict:
        """A refund as Stripe makes it; the same Idempotency-Key gets the first answer again."""
        if key not in self.by_key:
            refund = {"id": f"re_test_{len(self.refunds) + 1}", "object": "refund",
                      "amount": int(fields["amount"]), "currency": "dkk", "status": self.refund_status,
                      "payment_intent": fields["payment_intent"],
                      "metadata": {name[len("metadata["):-1]: value for name, value in fields.items()
                                   if name.startswith("metadata[")}}
            self.refunds.append(refund)
            self.by_key[key] = refund
        return self.by_key[key]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_stripe(app):
    """Stripe configured and pointed at the fake API."""
    fake = FakeStripe()
    saved = {key: app.config.get(key) for key in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_fake", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      STRIPE_API_BASE=fake.base)
    yield fake
    app.config.update(saved)
    fake.close()


@pytest.fixture
def ready_ticket(repair_site, book, make_user, finish_tasks):
    """ready_ticket(site=None) -> (site, ticket READY at 230 kr, a staff member of the site)."""

    def make(site=None):
        site = site or repair_site()
        staff = make_user(Role.STAFF, site=site)
        ticket = book(site)
        tickets.receive_garment(ticket, staff, tickets.repair_type_ids(ticket))
        finish_tasks(db.session.get(WorkOrder, ticket.work_order_id), staff)
        db.session.commit()
        assert ticket.status == TicketStatus.READY and ticket.total_ore == 23000
        return site, ticket, staff

    return make


def _count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def _event(event_type, session_id, payment_status="paid", amount=23000, event_id="evt_1"):
    return json.dumps({
        "id": event_id, "object": "event", "type": event_type, "api_version": "2025-01-27",
        "created": int(time.time()),
        "data": {"object": {"id": session_id, "object": "checkout.session", "payment_status": payment_status,
                            "amount_total": amount, "currency": "dkk"}},
    })


def _deliver(client, payload, secret=WEBHOOK_SECRET, header=None):
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(payload, secret)
    headers = {"Stripe-Signature": header} if header else {}
    return client.post("/webhooks/stripe", data=payload, headers=headers, content_type="application/json")


# --- The provider --------------------------------------------------------------------------------


def test_without_keys_the_provider_is_offline(app):
    with app.test_request_context():
        assert isinstance(payments.get_provider(), payments.OfflineProvider)
        assert not payments.online_payment_enabled()


def _start_checkout(provider, ticket, amount=23000, attempt=0):
    """The provider asked directly for a session for the ticket (as start_online_payment asks it)."""
    charge = Charge(ticket.site_id, ticket.number, (ChargeLine(f"Reparation {ticket.number}", amount),))
    reference = {"payable_kind": REPAIR_TICKET, "payable_id": str(ticket.id), "payment_kind": "full"}
    key = payments.idempotency_key(REPAIR_TICKET, ticket.id, "full", amount, attempt)
    return provider.start_checkout(charge, reference, key, "https://x.test/ok", "https://x.test/back")


def test_the_provider_creates_one_session_with_amount_currency_and_reference(app, fake_stripe, ready_ticket):
    _site, ticket, _staff = ready_ticket()
    provider = payments.get_provider()
    assert isinstance(provider, payments.StripeCheckoutProvider)
    assert PaymentMethod.CASH in provider.methods  # the counter still works
    session_id, url = _start_checkout(provider, ticket)
    assert session_id == "cs_test_1" and url.endswith("cs_test_1")
    [(path, headers, fields)] = fake_stripe.requests
    assert path == "/v1/checkout/sessions"
    assert headers["Authorization"] == "Bearer sk_test_fake"
    assert headers["Idempotency-Key"].startswith("checkout-")
    assert fields["mode"] == "payment"
    assert fields["line_items[0][price_data][currency]"] == "dkk"
    assert fields["line_items[0][price_data][unit_amount]"] == "23000"
    assert fields["line_items[0][price_data][product_data][name]"] == f"Reparation {ticket.number}"
    assert fields["line_items[0][quantity]"] == "1"
    assert fields["client_reference_id"] == f"repair_ticket-{ticket.id}"
    assert fields["metadata[payable_kind]"] == "repair_ticket"
    assert fields["metadata[payable_id]"] == str(ticket.id)
    assert fields["metadata[payment_kind]"] == "full"
    assert fields["success_url"] == "https://x.test/ok" and fields["cancel_url"] == "https://x.test/back"
    assert "expires_at" not in fields  # Stripe's default (24 hours): only a web order's session ends sooner


def test_the_same_ticket_and_amount_send_the_same_idempotency_key(app, fake_stripe, ready_ticket):
    _site, ticket, _staff = ready_ticket()
    provider = payments.get_provider()
    first = _start_checkout(provider, ticket)
    second = _start_checkout(provider, ticket)
    other_amount = _start_checkout(provider, ticket, amount=20000)
    keys = [headers["Idempotency-Key"] for _path, headers, _fields in fake_stripe.requests]
    assert keys[0] == keys[1] != keys[2]
    assert first == second != other_amount


def test_an_unreachable_stripe_is_a_domain_error(app, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    fake_stripe.fail_with = 401
    with app.test_request_context(), pytest.raises(DomainError):
        payments.start_online_payment(REPAIR_TICKET, ticket.id, staff)
    db.session.rollback()
    assert _count(OnlinePayment) == 0


# --- The desk ------------------------------------------------------------------------------------


def test_without_stripe_the_desk_has_no_online_button_and_works_as_before(client, login, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "pay-online" not in page and "Betal med kort online" not in page
    response = client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={})
    assert response.status_code == 409 and _count(OnlinePayment) == 0
    response = client.post(f"/repairs/tickets/{ticket.id}/collect", data={"method": "cash", "amount": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.COLLECTED


def test_the_desk_starts_an_online_payment_and_shows_a_qr_code(client, login, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "Betal med kort online" in page
    response = client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tickets/{ticket.id}/pay-online")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "class=\"qr\"" in page and "https://checkout.stripe.com/c/pay/cs_test_1" in page
    assert "Venter på betalingen" in page
    assert '<meta http-equiv="refresh" content="5">' in page and "Siden tjekker igen hvert 5. sekund" in page
    payment = db.session.scalar(select(OnlinePayment))
    assert (payment.payable_kind, payment.payable_id, payment.payment_kind) == ("repair_ticket", ticket.id, "full")
    assert payment.site_id == ticket.site_id and payment.amount_ore == 23000
    assert payment.status == OnlinePaymentStatus.PENDING
    [(_path, _headers, fields)] = fake_stripe.requests
    assert fields["success_url"].endswith("/payments/done?session_id={CHECKOUT_SESSION_ID}")
    assert fields["cancel_url"].endswith(f"/t/{ticket.token}")
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "En online betaling på" in page and "venter." in page
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY


def test_a_double_click_makes_one_session(client, login, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    for _ in range(2):
        assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 302
    assert _count(OnlinePayment) == 1
    assert len(fake_stripe.sessions) == 1


def test_a_double_click_racing_past_the_database_still_gets_one_session(app, fake_stripe, ready_ticket):
    """Both clicks reach Stripe before either stored its row: the idempotency key makes it one session."""
    _site, ticket, staff = ready_ticket()
    provider = payments.get_provider()
    for _ in range(2):
        _start_checkout(provider, ticket)
    assert len(fake_stripe.requests) == 2 and len(fake_stripe.sessions) == 1


def test_after_an_expired_session_a_new_one_is_made(app, client, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    with app.test_request_context():
        first = payments.start_online_payment(REPAIR_TICKET, ticket.id, staff)
    db.session.commit()
    assert _deliver(client, _event("checkout.session.expired", first.session_id, "unpaid")).status_code == 200
    with app.test_request_context():
        second = payments.start_online_payment(REPAIR_TICKET, ticket.id, staff)
    db.session.commit()
    assert second.session_id != first.session_id and len(fake_stripe.sessions) == 2


def test_a_ticket_that_is_not_ready_cannot_be_paid_online(client, login, fake_stripe, repair_site, book, make_user):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    assert "Betal med kort online" not in client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 409
    assert _count(OnlinePayment) == 0 and fake_stripe.requests == []


def test_stripe_down_shows_a_message_and_writes_nothing(client, login, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    fake_stripe.fail_with = 401
    response = client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={})
    assert response.status_code == 409
    assert "ved skranken" in response.get_data(as_text=True)
    assert _count(OnlinePayment) == 0


@pytest.mark.parametrize("method,path", [("get", "/repairs/tickets/{id}/pay-online"),
                                         ("post", "/repairs/tickets/{id}/pay-online")])
def test_anonymous_visitors_go_to_login(client, fake_stripe, ready_ticket, method, path):
    _site, ticket, _staff = ready_ticket()
    response = getattr(client, method)(path.format(id=ticket.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _count(OnlinePayment) == 0


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_get_403(client, make_user, login, fake_stripe, ready_ticket, role, method):
    site, ticket, _staff = ready_ticket()
    login(client, make_user(role, site=site if role != Role.CUSTOMER else None))
    assert getattr(client, method)(f"/repairs/tickets/{ticket.id}/pay-online").status_code == 403
    assert _count(OnlinePayment) == 0


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF])
def test_another_sites_ticket_is_a_404(client, make_user, login, repair_site, fake_stripe, ready_ticket, role):
    _other, foreign, _staff = ready_ticket()
    login(client, make_user(role, site=repair_site()))
    assert client.post(f"/repairs/tickets/{foreign.id}/pay-online", data={}).status_code == 404
    assert client.get(f"/repairs/tickets/{foreign.id}/pay-online").status_code == 404
    assert _count(OnlinePayment) == 0 and fake_stripe.requests == []


def test_leaders_can_start_an_online_payment_too(client, make_user, login, fake_stripe, ready_ticket):
    site, ticket, _staff = ready_ticket()
    login(client, make_user(Role.LEADER, site=site))
    assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 302
    assert client.get(f"/repairs/tickets/{ticket.id}/pay-online").status_code == 200


def test_the_payment_page_without_a_payment_goes_back_to_the_ticket(client, login, fake_stripe, ready_ticket):
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    response = client.get(f"/repairs/tickets/{ticket.id}/pay-online")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/repairs/tickets/{ticket.id}")


# --- The webhook ---------------------------------------------------------------------------------


@pytest.fixture
def started(app, client, login, fake_stripe, ready_ticket):
    """A ready ticket with a pending online payment started at the desk."""
    _site, ticket, staff = ready_ticket()
    login(client, staff)
    client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={})
    client.get("/logout")
    return ticket, db.session.scalar(select(OnlinePayment))


def test_a_paid_session_collects_the_ticket_and_records_a_stripe_payment(client, login, started):
    ticket, online = started
    response = _deliver(client, _event("checkout.session.completed", online.session_id))
    assert response.status_code == 200
    db.session.expire_all()
    ticket = db.session.get(RepairTicket, ticket.id)
    assert ticket.status == TicketStatus.COLLECTED and ticket.closed_at is not None
    [payment] = db.session.scalars(select(RepairPayment)).all()
    assert payment.method == PaymentMethod.STRIPE and payment.amount_ore == 23000
    assert payment.provider == "stripe" and payment.reference == online.session_id
    last = ticket.history[-1]
    assert (last.from_status, last.to_status, last.by_user_id) == ("ready", "collected", None)
    online = db.session.get(OnlinePayment, online.id)
    assert online.status == OnlinePaymentStatus.PAID and online.paid_at and online.event_id == "evt_1"


def test_the_desk_sees_the_payment_has_arrived(client, login, make_user, started):
    ticket, online = started
    _deliver(client, _event("checkout.session.completed", online.session_id))
    login(client, make_user(Role.STAFF, site=ticket.site))
    page = client.get(f"/repairs/tickets/{ticket.id}/pay-online").get_data(as_text=True)
    assert "Betalingen er modtaget" in page and "class=\"qr\"" not in page
    assert 'http-equiv="refresh"' not in page  # nothing more to wait for
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "Kort online (Stripe)" in page


@pytest.mark.parametrize("header", ["", "t=1,v1=deadbeef", None])
def test_a_bad_or_missing_signature_is_a_400_and_changes_nothing(client, started, header):
    ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    if header is None:  # signed with another secret
        header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_someone_else")
    assert _deliver(client, payload, header=header).status_code == 400
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY
    assert _count(RepairPayment) == 0
    assert db.session.get(OnlinePayment, online.id).status == OnlinePaymentStatus.PENDING


def test_an_old_signature_is_refused(client, started):
    _ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, int(time.time()) - 3600)
    assert _deliver(client, payload, header=header).status_code == 400
    assert _count(RepairPayment) == 0


def test_a_body_that_is_not_json_is_a_400(client, started):
    assert _deliver(client, "not json").status_code == 400


def test_the_same_event_twice_records_one_payment(client, started):
    ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    assert _deliver(client, payload).status_code == 200
    assert _deliver(client, payload).status_code == 200
    other_event = _event("checkout.session.completed", online.session_id, event_id="evt_2")
    assert _deliver(client, other_event).status_code == 200
    assert _count(RepairPayment) == 1
    assert db.session.scalar(select(func.count()).select_from(RepairTicketStatusChange).where(
        RepairTicketStatusChange.ticket_id == ticket.id, RepairTicketStatusChange.to_status == "collected")) == 1


def test_an_unknown_session_is_acknowledged_and_changes_nothing(client, started):
    ticket, _online = started
    assert _deliver(client, _event("checkout.session.completed", "cs_test_unknown")).status_code == 200
    assert _count(RepairPayment) == 0
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY


def test_an_expired_session_is_marked_expired(client, login, make_user, started):
    ticket, online = started
    assert _deliver(client, _event("checkout.session.expired", online.session_id, "unpaid")).status_code == 200
    db.session.expire_all()
    assert db.session.get(OnlinePayment, online.id).status == OnlinePaymentStatus.EXPIRED
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY
    # A late "completed" for the expired session changes nothing.
    assert _deliver(client, _event("checkout.session.completed", online.session_id, event_id="evt_9")).status_code == 200
    assert _count(RepairPayment) == 0
    login(client, make_user(Role.STAFF, site=ticket.site))
    assert "udløbet" in client.get(f"/repairs/tickets/{ticket.id}/pay-online").get_data(as_text=True)


def test_a_completed_but_unpaid_session_waits(client, started):
    ticket, online = started
    assert _deliver(client, _event("checkout.session.completed", online.session_id, "unpaid")).status_code == 200
    db.session.expire_all()
    assert db.session.get(OnlinePayment, online.id).status == OnlinePaymentStatus.PENDING
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY


def test_money_for_a_ticket_already_collected_at_the_counter_is_still_recorded(client, login, make_user, started):
    ticket, online = started
    tickets.collect(db.session.get(RepairTicket, ticket.id), None, "cash")
    db.session.commit()
    assert _deliver(client, _event("checkout.session.completed", online.session_id)).status_code == 200
    db.session.expire_all()
    methods = sorted(payment.method.value for payment in db.session.scalars(select(RepairPayment)))
    assert methods == ["cash", "stripe"]
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.COLLECTED
    # the desk is told to give the money back
    login(client, make_user(Role.STAFF, site=ticket.site))
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "230,00\u00a0kr. for meget er betalt for denne billet" in page


def test_other_event_types_are_acknowledged(client, started):
    _ticket, online = started
    assert _deliver(client, _event("payment_intent.succeeded", online.session_id)).status_code == 200
    assert _count(RepairPayment) == 0


def test_without_a_webhook_secret_the_endpoint_is_absent(app, client):
    payload = _event("checkout.session.completed", "cs_test_1")
    assert _deliver(client, payload, secret="whsec_x").status_code == 404


def test_the_same_event_delivered_at_once_by_several_threads_records_one_payment(app, started):
    """PostgreSQL only: the OnlinePayment row lock makes the deliveries wait for each other."""
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writers")
    ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    start, statuses = threading.Barrier(4), []

    def deliver():
        start.wait(30)
        statuses.append(_deliver(app.test_client(), payload).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * 4
    assert _count(RepairPayment) == 1 and _count(PaymentEvent) == 1
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.COLLECTED


def test_the_webhook_and_the_success_page_at_once_collect_once(app, fake_stripe, started):
    """PostgreSQL only: both settle under the payment's row lock, so one of them fulfils."""
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writers")
    ticket, online = started
    fake_stripe.sessions[0]["payment_status"] = "paid"
    payload = _event("checkout.session.completed", online.session_id)
    start, statuses = threading.Barrier(4), []

    def webhook():
        start.wait(30)
        statuses.append(_deliver(app.test_client(), payload).status_code)

    def success_page():
        start.wait(30)
        statuses.append(app.test_client().get(f"/payments/done?session_id={online.session_id}").status_code)

    threads = [threading.Thread(target=target) for target in (webhook, success_page, webhook, success_page)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200, 200, 302, 302]
    assert _count(RepairPayment) == 1
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.COLLECTED


def _nothing_collected(ticket, online):
    db.session.expire_all()
    return (db.session.get(RepairTicket, ticket.id).status == TicketStatus.READY and _count(RepairPayment) == 0
            and db.session.get(OnlinePayment, online.id).status == OnlinePaymentStatus.PENDING)


def _signed_event(session_id, **changes):
    event = json.loads(_event("checkout.session.completed", session_id))
    event.update(changes)
    return json.dumps(event)


@pytest.mark.parametrize("payload", [
    "[1]", '"s"', "1e999", "null",
    json.dumps({"id": "evt_1", "type": "checkout.session.completed", "data": "s"}),
    json.dumps({"id": "evt_1", "type": "checkout.session.completed", "data": {"object": ["cs_1"]}}),
    json.dumps({"id": ["evt_1"], "type": "checkout.session.completed", "data": {"object": {"id": "cs_1"}}}),
    json.dumps({"id": "evt_1", "type": 7, "data": {"object": {"id": "cs_1"}}}),
])
def test_a_signed_body_that_is_not_an_event_is_a_400(client, started, payload):
    ticket, online = started
    assert _deliver(client, payload).status_code == 400
    assert _nothing_collected(ticket, online)


def test_a_signed_event_with_a_nul_in_its_ids_is_a_400_or_ignored(client, started):
    ticket, online = started
    assert _deliver(client, _signed_event(online.session_id, id="evt_\x00")).status_code == 400
    assert _deliver(client, _event("checkout.session.completed", online.session_id + "\x00")).status_code == 200
    assert _nothing_collected(ticket, online)


@pytest.mark.parametrize("amount, currency", [(1, "dkk"), (23000 - 1, "dkk"), ("23000", "dkk"), (None, "dkk"),
                                              (23000, "eur"), (True, "dkk")])
def test_a_paid_session_for_another_amount_collects_nothing_and_is_recorded(client, started, amount, currency):
    from workshop.models import AuditEntry

    ticket, online = started
    event = json.loads(_event("checkout.session.completed", online.session_id))
    event["data"]["object"].update(amount_total=amount, currency=currency)
    response = _deliver(client, json.dumps(event))
    assert response.status_code == 200 and response.get_json()["outcome"] == "mismatch"
    assert _nothing_collected(ticket, online)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "payment.amount_mismatch")).all()
    assert entry.site_id == ticket.site_id and entry.detail["expected_ore"] == 23000


def test_an_event_signed_in_the_future_is_refused(client, started):
    ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, int(time.time()) + 3600)
    assert _deliver(client, payload, header=header).status_code == 400
    assert _nothing_collected(ticket, online)


def test_a_clock_a_little_behind_stripes_is_tolerated(client, started):
    _ticket, online = started
    payload = _event("checkout.session.completed", online.session_id)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, int(time.time()) + 60)
    assert _deliver(client, payload, header=header).status_code == 200
    assert _count(RepairPayment) == 1


# --- Every event of a Checkout Session, once, in any order ------------------------------------------


def _outcome(client, event_type, online, payment_status="paid", event_id="evt_1"):
    response = _deliver(client, _event(event_type, online.session_id, payment_status, event_id=event_id))
    assert response.status_code == 200
    return response.get_json()["outcome"]


def _state(ticket, online):
    db.session.expire_all()
    return (db.session.get(OnlinePayment, online.id).status, db.session.get(RepairTicket, ticket.id).status,
            _count(RepairPayment))


def test_a_delayed_payment_waits_then_collects_when_it_succeeds(client, started):
    ticket, online = started
    assert _outcome(client, payments.COMPLETED, online, "unpaid") == "waiting"
    assert _state(ticket, online) == (OnlinePaymentStatus.PENDING, TicketStatus.READY, 0)
    assert _outcome(client, payments.ASYNC_SUCCEEDED, online, event_id="evt_2") == "paid"
    assert _state(ticket, online) == (OnlinePaymentStatus.PAID, TicketStatus.COLLECTED, 1)
    assert db.session.get(OnlinePayment, online.id).event_id == "evt_2"


def test_a_delayed_payment_that_fails_leaves_the_ticket_ready_for_another_try(client, login, make_user, started):
    ticket, online = started
    assert _outcome(client, payments.COMPLETED, online, "unpaid") == "waiting"
    assert _outcome(client, payments.ASYNC_FAILED, online, "unpaid", event_id="evt_2") == "failed"
    assert _state(ticket, online) == (OnlinePaymentStatus.FAILED, TicketStatus.READY, 0)
    login(client, make_user(Role.STAFF, site=ticket.site))
    page = client.get(f"/repairs/tickets/{ticket.id}/pay-online").get_data(as_text=True)
    assert "Betalingen gik ikke igennem" in page and 'class="qr"' not in page
    assert client.post(f"/repairs/tickets/{ticket.id}/pay-online", data={}).status_code == 302
    again = db.session.scalars(select(OnlinePayment).order_by(OnlinePayment.id.desc())).first()
    assert again.id != online.id and again.status == OnlinePaymentStatus.PENDING


@pytest.mark.parametrize("events, final", [
    # the async result overtakes the "completed" that announced it
    ([(payments.ASYNC_SUCCEEDED, "paid"), (payments.COMPLETED, "unpaid")], OnlinePaymentStatus.PAID),
    ([(payments.ASYNC_FAILED, "unpaid"), (payments.COMPLETED, "unpaid")], OnlinePaymentStatus.FAILED),
    # a late "expired" does not undo money that arrived, nor a failure
    ([(payments.COMPLETED, "paid"), (payments.EXPIRED, "unpaid")], OnlinePaymentStatus.PAID),
    ([(payments.ASYNC_FAILED, "unpaid"), (payments.EXPIRED, "unpaid")], OnlinePaymentStatus.FAILED),
    # an expired session stays expired
    ([(payments.EXPIRED, "unpaid"), (payments.ASYNC_FAILED, "unpaid")], OnlinePaymentStatus.EXPIRED),
])
def test_events_out_of_order_end_in_the_right_state(client, started, events, final):
    ticket, online = started
    for number, (event_type, payment_status) in enumerate(events):
        _outcome(client, event_type, online, payment_status, event_id=f"evt_{number}")
    paid = final == OnlinePaymentStatus.PAID
    assert _state(ticket, online) == (final, TicketStatus.COLLECTED if paid else TicketStatus.READY, int(paid))


def test_each_event_is_written_once_and_a_repeat_is_a_duplicate(client, started):
    _ticket, online = started
    assert _outcome(client, payments.COMPLETED, online) == "paid"
    assert _outcome(client, payments.COMPLETED, online) == "duplicate"
    [event] = db.session.scalars(select(PaymentEvent)).all()
    assert (event.event_id, event.event_type, event.session_id, event.outcome) == (
        "evt_1", payments.COMPLETED, online.session_id, "paid")


def test_events_of_other_types_are_not_written(client, started):
    _ticket, online = started
    assert _outcome(client, "payment_intent.succeeded", online) == "ignored"
    assert _count(PaymentEvent) == 0


# --- The success page ------------------------------------------------------------------------------


def test_the_success_page_collects_at_once_and_the_webhook_then_changes_nothing(client, fake_stripe, started):
    ticket, online = started
    fake_stripe.sessions[0]["payment_status"] = "paid"
    response = client.get(f"/payments/done?session_id={online.session_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{ticket.token}")
    assert _state(ticket, online) == (OnlinePaymentStatus.PAID, TicketStatus.COLLECTED, 1)
    assert db.session.get(OnlinePayment, online.id).event_id is None
    assert fake_stripe.requests[-1][0] == f"/v1/checkout/sessions/{online.session_id}"
    assert _outcome(client, payments.COMPLETED, online) == "ignored"
    assert client.get(f"/payments/done?session_id={online.session_id}").status_code == 302
    assert _state(ticket, online) == (OnlinePaymentStatus.PAID, TicketStatus.COLLECTED, 1)


def test_the_success_page_believes_stripe_not_the_browser(client, fake_stripe, started):
    """The session is still unpaid at Stripe: coming back to the page collects nothing."""
    ticket, online = started
    response = client.get(f"/payments/done?session_id={online.session_id}&payment_status=paid")
    assert response.status_code == 302
    assert _state(ticket, online) == (OnlinePaymentStatus.PENDING, TicketStatus.READY, 0)


def test_the_success_page_with_stripe_down_changes_nothing_and_the_webhook_still_collects(
        client, fake_stripe, started):
    ticket, online = started
    fake_stripe.sessions[0]["payment_status"] = "paid"
    fake_stripe.fail_with = 500
    assert client.get(f"/payments/done?session_id={online.session_id}").status_code == 302
    assert _state(ticket, online) == (OnlinePaymentStatus.PENDING, TicketStatus.READY, 0)
    fake_stripe.fail_with = None
    assert _outcome(client, payments.COMPLETED, online) == "paid"
    assert _state(ticket, online) == (OnlinePaymentStatus.PAID, TicketStatus.COLLECTED, 1)


@pytest.mark.parametrize("query, status", [("", 404), ("?session_id=", 404), ("?session_id=cs_test_unknown", 404),
                                           ("?session_id=" + "x" * 300, 404), ("?session_id=cs%00x", 400)])
def test_the_success_page_for_a_session_we_did_not_start_is_refused(client, started, query, status):
    ticket, online = started
    assert client.get(f"/payments/done{query}").status_code == status
    assert _state(ticket, online) == (OnlinePaymentStatus.PENDING, TicketStatus.READY, 0)


# --- Reconciling sessions whose webhook never came ---------------------------------------------------


def _reconcile(app, minutes="60"):
    result = app.test_cli_runner().invoke(args=["payments", "reconcile", "--older-than-minutes", minutes])
    assert result.exit_code == 0, result.output
    return result.output


def _started_hours_ago(online, hours):
    db.session.get(OnlinePayment, online.id).created_at -= timedelta(hours=hours)
    db.session.commit()


def test_reconcile_settles_old_pending_sessions_from_what_stripe_says(app, fake_stripe, started):
    ticket, online = started
    _started_hours_ago(online, 2)
    assert "1 pending" in _reconcile(app)  # still open at Stripe
    fake_stripe.sessions[0]["payment_status"] = "paid"
    assert "Asked Stripe about 1 session(s): 1 paid." in _reconcile(app)
    assert _state(ticket, online) == (OnlinePaymentStatus.PAID, TicketStatus.COLLECTED, 1)
    assert "nothing pending" in _reconcile(app)
    assert _outcome(client=app.test_client(), event_type=payments.COMPLETED, online=online) == "ignored"
    assert _count(RepairPayment) == 1


def test_reconcile_marks_an_expired_session_and_leaves_young_ones_alone(app, fake_stripe, started):
    ticket, online = started
    fake_stripe.sessions[0].update(status="expired")
    assert "nothing pending" in _reconcile(app)  # started a moment ago: its webhook may still come
    _started_hours_ago(online, 2)
    assert "1 expired" in _reconcile(app)
    assert _state(ticket, online) == (OnlinePaymentStatus.EXPIRED, TicketStatus.READY, 0)


def test_reconcile_with_stripe_down_changes_nothing(app, fake_stripe, started):
    ticket, online = started
    _started_hours_ago(online, 2)
    fake_stripe.sessions[0]["payment_status"] = "paid"
    fake_stripe.fail_with = 500
    assert "1 pending" in _reconcile(app)
    assert _state(ticket, online) == (OnlinePaymentStatus.PENDING, TicketStatus.READY, 0)


# --- Any kind of sale --------------------------------------------------------------------------------


@pytest.fixture
def sale_kind(monkeypatch, repair_site):
    """A made-up kind of sale ("test_sale" 7, two lines) registered beside repairs; `fulfilled` lists its calls."""
    site = repair_site()
    fulfilled = []
    kind = payables.PayableKind(
        "test_sale",
        charge=lambda payable_id, payment_kind: Charge(site.id, f"Sale {payable_id}", (
            ChargeLine("Gift bag", 4500, quantity=10), ChargeLine(f"Embroidery ({payment_kind})", 5000))),
        fulfil=fulfilled.append,
        return_url=lambda payable_id: f"https://shop.test/sales/{payable_id}")
    monkeypatch.setitem(payables._KINDS, kind.name, kind)
    return site, fulfilled


def test_another_kind_of_sale_is_priced_by_the_server_and_fulfilled_once(app, client, fake_stripe, sale_kind):
    site, fulfilled = sale_kind
    with app.test_request_context():
        online = payments.start_online_payment("test_sale", 7, None, payment_kind="deposit")
    db.session.commit()
    assert (online.site_id, online.amount_ore, online.payment_kind) == (site.id, 50000, "deposit")
    [(_path, headers, fields)] = fake_stripe.requests
    assert fields["line_items[0][quantity]"] == "10" and fields["line_items[1][price_data][unit_amount]"] == "5000"
    assert fields["client_reference_id"] == "test_sale-7" and fields["cancel_url"] == "https://shop.test/sales/7"
    assert headers["Idempotency-Key"] == payments.idempotency_key("test_sale", 7, "deposit", 50000, 0)
    for event_id in ("evt_1", "evt_1", "evt_2"):
        _deliver(client, _event(payments.COMPLETED, online.session_id, amount=50000, event_id=event_id))
    assert [payment.id for payment in fulfilled] == [online.id]
    assert _count(RepairPayment) == 0
    fake_stripe.sessions[0]["payment_status"] = "paid"
    response = client.get(f"/payments/done?session_id={online.session_id}")
    assert response.headers["Location"] == "https://shop.test/sales/7" and len(fulfilled) == 1


def test_the_idempotency_key_follows_the_payable_the_kind_of_payment_and_the_amount():
    key = payments.idempotency_key
    assert key("order", 1, "deposit", 100) == key("order", 1, "deposit", 100)
    others = {key("order", 2, "deposit", 100), key("order", 1, "balance", 100), key("order", 1, "deposit", 101),
              key("retail_sale", 1, "deposit", 100), key("order", 1, "deposit", 100, attempt=1)}
    assert key("order", 1, "deposit", 100) not in others and len(others) == 5


# --- The migration ----------------------------------------------------------------------------------


def test_migration_0013_carries_a_repair_payment_over_and_back(app, fake_stripe, ready_ticket):
    site, ticket, staff = ready_ticket()
    with app.test_request_context():
        payments.start_online_payment(REPAIR_TICKET, ticket.id, staff)
    db.session.commit()
    ticket_id, site_id = ticket.id, site.id
    db.session.remove()
    try:
        downgrade(revision="0012_session_token")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT ticket_id FROM online_payments")).scalars().all() == [ticket_id]
    finally:
        upgrade()
    [online] = db.session.scalars(db.select(OnlinePayment)).all()
    assert (online.payable_kind, online.payable_id, online.payment_kind, online.site_id) == (
        "repair_ticket", ticket_id, "full", site_id)
    assert online.amount_ore == 23000


# --- In a browser --------------------------------------------------------------------------------


SHOTS = os.environ.get("STRIPE_SHOTS_DIR")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        for label, size in (("phone", (390, 844)), ("tablet", (820, 1180)), ("desktop", (1280, 800))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.browser
def test_the_desk_takes_a_card_payment_online_and_sees_it_arrive(
        browser_login, page, live_server, fake_stripe, ready_ticket):
    from playwright.sync_api import expect

    _site, ticket, staff = ready_ticket()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, staff)
    page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}")
    _shot(page, "ticket-ready")
    page.get_by_role("button", name="Betal med kort online").click()
    expect(page.get_by_role("heading", name="Betal med kort online")).to_be_visible()
    expect(page.get_by_text("Venter på betalingen")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    _shot(page, "online-waiting")

    # Stripe tells the workshop the resident has paid on her phone.
    session_id = db.session.scalar(select(OnlinePayment.session_id))
    payload = _event("checkout.session.completed", session_id)
    request = urllib.request.Request(
        f"{live_server.url}/webhooks/stripe", data=payload.encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - the local test server
        assert response.status == 200

    # the desk's page looks again by itself
    expect(page.get_by_text("Betalingen er modtaget")).to_be_visible()
    _shot(page, "online-paid")
    page.get_by_role("link", name="Tilbage til billetten").click()
    expect(page.locator("#ticket-status")).to_contain_text("Hentet")
    expect(page.get_by_text("Kort online (Stripe)")).to_be_visible()


@pytest.mark.browser
def test_the_resident_comes_back_from_stripe_and_sees_her_ticket_collected(
        app, browser_login, page, live_server, fake_stripe, ready_ticket):
    """Before any webhook: the success page asks Stripe, collects, and shows the resident her ticket."""
    from playwright.sync_api import expect

    _site, ticket, staff = ready_ticket()
    app.config["PUBLIC_BASE_URL"], saved_base = live_server.url, app.config["PUBLIC_BASE_URL"]
    try:
        browser_login(page, staff)
        page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}")
        page.get_by_role("button", name="Betal med kort online").click()
        expect(page.locator("svg.qr")).to_be_visible()
        # She pays on Stripe's page (faked), and Stripe sends her phone to the success address.
        fake_stripe.sessions[0]["payment_status"] = "paid"
        [(_path, _headers, fields)] = fake_stripe.requests
        phone = page.context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(fields["success_url"].replace("{CHECKOUT_SESSION_ID}", fake_stripe.sessions[0]["id"]))
        expect(phone).to_have_url(f"{live_server.url}/t/{ticket.token}")
        expect(phone.locator("#ticket-status")).to_contain_text("Hentet")
        expect(page.get_by_text("Betalingen er modtaget")).to_be_visible()
    finally:
        app.config["PUBLIC_BASE_URL"] = saved_base

