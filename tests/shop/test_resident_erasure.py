"""Erasing a resident and the retention of residents' contact details (issue 14, privacy): her name, phone
and e-mail go from her tickets and the messages sent to her; tickets and prices stay for the statistics."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.models import MessageStatus, OutboxMessage, RepairTicket, TicketStatus
from shop.repairs.models import ResidentLookup
from workshop.cli import retention
from workshop.extensions import db
from workshop.models import AuditEntry, Role
from workshop.timeutil import local_now, utcnow


@pytest.fixture
def two_tickets(repair_site, book):
    """Two tickets of one resident at Ishøj (one with a message sent), and someone else's ticket."""
    site = repair_site("ishoj")
    first = book(site, name="Amina Testesen", phone="20 12 34 56", email="amina@example.org")
    second = book(site, name="Amina T.", phone="20123456")
    other = book(site, name="Fatima", phone="30 30 30 30")
    db.session.commit()
    return site, first, second, other


def _messages(ticket) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)))


def test_a_leader_erases_a_resident_from_all_her_tickets_and_messages(client, login, make_user, two_tickets):
    site, first, second, other = two_tickets
    total = first.total_ore
    login(client, make_user(Role.LEADER, site=site))

    refused = client.post(f"/repairs/tickets/{first.id}/erase-resident", data={"confirm": "ja"})
    response = client.post(f"/repairs/tickets/{first.id}/erase-resident", data={"confirm": "SLET"})

    assert refused.status_code == 400 and "Skriv SLET" in refused.get_data(as_text=True)
    assert response.status_code == 302
    db.session.expire_all()
    for ticket in (first, second):
        assert (ticket.customer_name, ticket.phone, ticket.email) == ("", "", "")
        assert all(message.recipient == "" and message.body == "" for message in _messages(ticket))
        assert all(message.status != MessageStatus.PENDING for message in _messages(ticket))
    assert first.total_ore == total and len(first.lines) == 2
    assert (other.customer_name, other.phone) == ("Fatima", "+4530303030")
    assert _messages(other)[0].recipient == "+4530303030"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "resident.erased"))
    assert entry.detail["tickets"] == 2 and entry.object_id == first.id


def test_staff_and_other_sites_leaders_cannot_erase_a_resident(client, login, make_user, make_site, two_tickets):
    site, first, _second, _other = two_tickets
    login(client, make_user(Role.STAFF, site=site))
    assert client.post(f"/repairs/tickets/{first.id}/erase-resident", data={"confirm": "SLET"}).status_code == 403
    from flask import g
    g.pop("_login_user", None)
    login(client, make_user(Role.LEADER, site=make_site()))
    assert client.post(f"/repairs/tickets/{first.id}/erase-resident", data={"confirm": "SLET"}).status_code == 404
    db.session.expire_all()
    assert first.phone == "+4520123456"


def _run(app) -> dict[str, int]:
    result = app.test_cli_runner().invoke(retention, ["run"])
    assert result.exit_code == 0, result.output
    return {kind: int(count.split()[0]) for kind, count in
            (line.rsplit(": ", 1) for line in result.output.strip().splitlines())}


RESIDENTS = "residents' names and phone numbers (repair tickets)"
LOOKUPS = "residents' requests for a code (repair tickets)"


def test_residents_contacts_go_30_days_after_pick_up_also_from_messages(app, clock, two_tickets):
    _site, first, second, _other = two_tickets
    first.status, first.closed_at = TicketStatus.COLLECTED, utcnow().replace(tzinfo=None)
    db.session.commit()

    clock.move_to(local_now() + timedelta(days=29))
    assert _run(app)[RESIDENTS] == 0
    clock.move_to(local_now() + timedelta(days=2))
    assert _run(app)[RESIDENTS] == 1

    db.session.expire_all()
    assert (first.customer_name, first.phone, first.email) == ("", "", "")
    assert all(message.recipient == "" for message in _messages(first))
    assert second.phone == "+4520123456"  # not picked up: kept
    assert _run(app)[RESIDENTS] == 0  # idempotent


def test_code_requests_go_a_day_after_they_ran_out(app, client, clock, two_tickets):
    client.post("/my-repairs", data={"phone": "20 12 34 56"})
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "lookup_code")):
        message.status = MessageStatus.SENT
    db.session.commit()
    clock.move_to(local_now() + timedelta(hours=2))
    assert _run(app)[LOOKUPS] == 0
    clock.move_to(local_now() + timedelta(days=1))
    assert _run(app)[LOOKUPS] == 1
    assert db.session.scalar(select(func.count(ResidentLookup.id))) == 0
    # The message that carried the code keeps no code once it was sent.
    db.session.expire_all()
    assert [message.body for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "lookup_code"))] == [""]
    assert _run(app)[LOOKUPS] == 0
