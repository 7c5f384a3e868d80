"""A resident asks for her repair tickets by phone number and a one-time code (issue 14, privacy):
the code goes by SMS or e-mail, is stored only as a hash, runs out and allows a few tries; the answer is
the same whether or not the number has tickets; she then sees her tickets and downloads them as JSON."""
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.models import MessageChannel, OutboxMessage
from shop.repairs.models import ResidentLookup
from workshop.extensions import db
from workshop.models import AuditEntry
from workshop.timeutil import local_now


def _codes() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "lookup_code")
                                   .order_by(OutboxMessage.id)))


def _code(message: OutboxMessage) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _ask(client, phone="20 12 34 56"):
    return client.post("/my-repairs", data={"phone": phone})


@pytest.fixture
def ticket(repair_site, book):
    site = repair_site("ishoj")
    found = book(site, name="Amina Testesen", phone="20 12 34 56")
    db.session.commit()
    return found


def test_she_gets_a_code_by_sms_types_it_and_sees_and_downloads_her_tickets(client, ticket):
    asked = _ask(client)

    assert asked.status_code == 303 and asked.headers["Location"].endswith("/my-repairs/code")
    [message] = _codes()
    assert (message.channel, message.recipient) == (MessageChannel.SMS, "+4520123456")
    code = _code(message)
    lookup = db.session.scalar(select(ResidentLookup))
    assert code not in (lookup.code_hash, lookup.key_hash) and len(lookup.code_hash) == 64

    typed = client.post("/my-repairs/code", data={"code": code})
    assert typed.status_code == 303 and typed.headers["Location"].endswith("/my-repairs/tickets")
    page = client.get("/my-repairs/tickets")
    assert page.status_code == 200 and ticket.number in page.get_data(as_text=True)
    assert "Amina Testesen" in page.get_data(as_text=True)
    assert "no-store" in page.headers["Cache-Control"]

    download = client.get("/my-repairs/tickets.json")
    data = json.loads(download.data)
    assert download.mimetype == "application/json" and "attachment" in download.headers["Content-Disposition"]
    [row] = data["tickets"]
    assert (row["number"], row["name"], row["phone"]) == (ticket.number, "Amina Testesen", "+4520123456")
    assert row["total_ore"] == ticket.total_ore and len(row["repairs"]) == 2
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "resident.tickets_downloaded"))


def test_the_code_goes_by_e_mail_when_she_gave_one(client, repair_site, book):
    book(repair_site(), phone="30 30 30 30", email="amina@example.org")
    db.session.commit()
    _ask(client, "30303030")
    [message] = _codes()
    assert (message.channel, message.recipient) == (MessageChannel.EMAIL, "amina@example.org")


def test_the_answer_is_the_same_whether_or_not_the_number_has_tickets(app, ticket):
    known, unknown = app.test_client(), app.test_client()
    answers = [_ask(known), _ask(unknown, "40 40 40 40")]

    assert [(answer.status_code, answer.headers["Location"]) for answer in answers] == [(303, "/my-repairs/code")] * 2
    pages = [client.get("/my-repairs/code").get_data(as_text=True) for client in (known, unknown)]
    assert re.sub(r'value="[^"]*"', "", pages[0]) == re.sub(r'value="[^"]*"', "", pages[1])
    assert len(_codes()) == 1  # only the number with tickets is sent a code
    assert unknown.get("/my-repairs/tickets").status_code == 302


def test_a_wrong_code_is_refused_and_five_wrong_codes_spend_the_request(client, ticket):
    _ask(client)
    code = _code(_codes()[0])
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"

    first = client.post("/my-repairs/code", data={"code": wrong})
    assert first.status_code == 400 and "Koden er forkert" in first.get_data(as_text=True)
    for _ in range(4):
        client.post("/my-repairs/code", data={"code": wrong})
    spent = client.post("/my-repairs/code", data={"code": code})

    assert spent.status_code == 400 and "Koden virker ikke mere" in spent.get_data(as_text=True)
    assert client.get("/my-repairs/tickets").status_code == 302


def test_the_code_runs_out_after_15_minutes_and_her_access_after_30(client, ticket, clock):
    _ask(client)
    code = _code(_codes()[0])
    clock.move_to(local_now() + timedelta(minutes=16))
    assert client.post("/my-repairs/code", data={"code": code}).status_code == 400

    _ask(client)
    client.post("/my-repairs/code", data={"code": _code(_codes()[-1])})
    assert client.get("/my-repairs/tickets").status_code == 200
    clock.move_to(local_now() + timedelta(minutes=31))
    assert client.get("/my-repairs/tickets").status_code == 302
    assert client.get("/my-repairs/tickets.json").status_code == 302


def test_a_number_gets_at_most_three_codes_an_hour(app, ticket):
    for _ in range(5):
        assert _ask(app.test_client()).status_code == 303
    assert len(_codes()) == 3


def test_a_code_from_another_browser_does_not_open_her_tickets(app, ticket):
    hers, other = app.test_client(), app.test_client()
    _ask(hers)
    _ask(other, "40 40 40 40")
    assert other.post("/my-repairs/code", data={"code": _code(_codes()[0])}).status_code == 400


@pytest.mark.parametrize("phone", ["", "12", "not a number", "9" * 40])
def test_a_bad_number_gets_a_400_with_a_message(client, phone):
    response = _ask(client, phone)
    assert response.status_code == 400 and 'class="invalid-feedback' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ResidentLookup.id))) == 0


def test_the_pages_are_public(client):
    assert client.get("/my-repairs").status_code == 200
    assert client.get("/my-repairs/code").status_code == 200


def test_her_ticket_page_leads_to_all_her_repairs(client, ticket):
    page = client.get(f"/t/{ticket.token}").get_data(as_text=True)
    assert 'href="/my-repairs"' in page and "Se alle dine reparationer" in page
