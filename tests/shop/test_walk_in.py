"""Walk-in repairs: the desk makes a ticket for a resident who brings a garment without a booking.

Service rules first, then the routes per role, then the pages that must cope with a ticket
that has no drop-off slot.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from production.models import SourceKind, WorkOrder
from shop.impact.services import REPAIRS, impact_figures
from shop.repairs import booking, tickets
from shop.repairs.catalogue import naive_utcnow
from shop.models import OutboxMessage, RepairTicket, TicketCounter, TicketStatus
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture
def walk_in():
    """walk_in(site, actor, repairs=[...], **fields) -> a walk-in ticket (flushed)."""

    def make(site, actor, repair_list=None, **fields):
        values = dict(garment="jacket", name="Birgit Walker", phone="30 40 50 60", email="", consent=True)
        values.update(fields)
        chosen = repair_list if repair_list is not None else site.repairs[:2]
        return booking.create_walk_in(site, actor, repair_ids=[repair.id for repair in chosen], **values)

    return make


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- The service ------------------------------------------------------------------------------


def test_a_walk_in_is_received_at_once_numbered_priced_and_sent_to_the_workshop(
        repair_site, make_user, walk_in):
    site = repair_site("gladsaxe")
    staff = make_user(Role.STAFF, site=site)
    ticket = walk_in(site, staff)
    assert ticket.number == "G-0001" and ticket.walk_in and ticket.slot_id is None
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.received_at is not None
    assert [line.repair_type_id for line in ticket.lines] == [site.repairs[0].id, site.repairs[1].id]
    assert ticket.total_ore == 8000 + 15000
    assert (ticket.customer_name, ticket.phone) == ("Birgit Walker", "+4530405060")
    assert ticket.consent_by_id == staff.id and ticket.consent_at is not None
    work_order = db.session.get(WorkOrder, ticket.work_order_id)
    assert (work_order.source_kind, work_order.source_id) == (SourceKind.REPAIR_TICKET, ticket.id)
    assert work_order.status.value == "released"
    assert sorted(task.standard_minutes for task in work_order.tasks) == [25, 45]
    moves = [(change.from_status, change.to_status, change.by_user_id) for change in ticket.history]
    assert moves == [(None, "received", staff.id), ("received", "in_progress", staff.id)]


def test_a_walk_in_takes_the_next_number_after_booked_tickets(repair_site, make_user, book, walk_in):
    site = repair_site("ishoj")
    book(site)
    assert walk_in(site, make_user(Role.LEADER, site=site)).number == "I-0002"


def test_the_desk_may_set_the_price_and_note_damage(repair_site, make_user, walk_in):
    site = repair_site()
    ticket = walk_in(site, make_user(Role.STAFF, site=site), price_text="150", damage_note="Torn lining")
    assert ticket.total_ore == 15000 and ticket.damage_note == "Torn lining"
    assert ticket.history[0].note == "Torn lining"


def test_the_resident_gets_her_ticket_link_in_a_message(repair_site, make_user, walk_in):
    site = repair_site()
    ticket = walk_in(site, make_user(Role.STAFF, site=site), email="birgit@example.org", locale="en")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    assert message.kind == "ticket_received" and message.recipient == "birgit@example.org"
    assert f"/t/{ticket.token}" in message.body and "We have received your garment" in message.body


@pytest.mark.parametrize("fields, field", [
    ({"consent": False}, "consent"),
    ({"repair_list": []}, "repairs"),
    ({"garment": "hat"}, "garment"),
    ({"name": "  "}, "name"),
    ({"phone": "123"}, "phone"),
    ({"email": "not-an-address"}, "email"),
    ({"price_text": "lots"}, "price"),
])
def test_a_missing_or_bad_field_is_refused_and_nothing_is_written(repair_site, make_user, walk_in, fields, field):
    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    with pytest.raises(DomainError) as error:
        walk_in(site, staff, **fields)
    assert error.value.field == field
    db.session.rollback()
    assert [_count(model) for model in (RepairTicket, WorkOrder, OutboxMessage, TicketCounter)] == [0, 0, 0, 0]


def test_missing_consent_is_refused_with_a_message_for_the_desk(repair_site, make_user, walk_in):
    site = repair_site()
    with pytest.raises(DomainError, match="Spørg borgeren"):
        walk_in(site, make_user(Role.STAFF, site=site), consent=False)


def test_another_sites_repair_is_refused(repair_site, make_user, walk_in):
    site, other = repair_site(), repair_site()
    with pytest.raises(DomainError, match="ikke på værkstedets") as error:
        walk_in(site, make_user(Role.STAFF, site=site), repair_list=[other.repairs[0]])
    assert error.value.field == "repairs"


def test_the_same_form_sent_twice_makes_one_ticket(repair_site, make_user, walk_in):
    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    first = walk_in(site, staff, request_key="walk-in-form-1")
    again = walk_in(site, staff, request_key="walk-in-form-1")
    assert again.id == first.id and _count(RepairTicket) == 1 and _count(WorkOrder) == 1


def test_a_walk_in_cannot_be_received_a_second_time(repair_site, make_user, walk_in):
    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    ticket = walk_in(site, staff)
    with pytest.raises(DomainError, match="allerede"):
        tickets.receive_garment(ticket, staff, [site.repairs[0].id])


def test_a_slot_less_ticket_goes_through_ready_reminders_overdue_pick_up_and_impact(
        repair_site, make_user, walk_in, finish_tasks, app):
    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    ticket = walk_in(site, staff)
    assert tickets.find_tickets(site, "30405060") == [ticket]
    assert tickets.find_tickets(site, ticket.number) == [ticket]
    assert tickets.tickets_in(site, [TicketStatus.IN_PROGRESS]) == [ticket]
    assert tickets.overdue_tickets(site) == []  # a walk-in is never "not brought"
    finish_tasks(db.session.get(WorkOrder, ticket.work_order_id), staff)
    assert ticket.status == TicketStatus.READY
    ticket.ready_at = naive_utcnow() - timedelta(days=20)
    db.session.flush()
    app.config["REPAIRS_PICKUP_DAYS"] = 14
    assert tickets.overdue_tickets(site) == [ticket]
    assert tickets.send_due_reminders(site) == 1
    tickets.collect(ticket, staff, "cash")
    assert ticket.status == TicketStatus.COLLECTED
    today = local_today()
    repairs = next(demand for demand in impact_figures([site.id], today, today).demand if demand.kind == REPAIRS)
    assert repairs.count == 1
    kinds = [message.kind for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["ticket_received", "ticket_ready", "pickup_reminder"]


# --- The routes ---------------------------------------------------------------------------------


def _form(site, **changes):
    data = {"garment": "jacket", "repairs": [str(site.repairs[0].id)], "name": "Birgit Walker",
            "phone": "30 40 50 60", "email": "", "locale": "da", "consent": "y", "price": "", "damage_note": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _ticket() -> RepairTicket | None:
    db.session.expire_all()
    return db.session.scalar(select(RepairTicket))


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF])
def test_leaders_and_staff_make_a_walk_in_and_land_on_the_handover_page(client, make_user, login, repair_site, role):
    site = repair_site("gladsaxe")
    user = make_user(role, site=site, name="Jonas Holm")
    login(client, user)
    assert client.get("/repairs/walk-in").status_code == 200
    response = client.post("/repairs/walk-in", data=_form(site))
    assert response.status_code == 303
    ticket = _ticket()
    assert response.headers["Location"].endswith(f"/repairs/tickets/{ticket.id}/handover")
    assert ticket.walk_in and ticket.consent_by_id == user.id and ticket.status == TicketStatus.IN_PROGRESS
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "G-0001" in page and 'class="qr"' in page and f"/t/{ticket.token}" in page
    assert f"/repairs/tickets/{ticket.id}/tag" in page
    desk = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "Uden aftale" in desk and "Jonas Holm" in desk


def test_a_booked_ticket_has_a_handover_page_too_and_says_its_consent_was_given_online(
        client, make_user, login, repair_site, book):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    handover = client.get(f"/repairs/tickets/{ticket.id}/handover")
    assert handover.status_code == 200 and f"/t/{ticket.token}" in handover.get_data(as_text=True)
    page = client.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "Givet ved booking på nettet" in page and "Uden aftale" not in page


@pytest.mark.parametrize("path", ["/repairs/walk-in", "/repairs/tickets/1/handover"])
def test_anonymous_visitors_go_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_anonymous_post_goes_to_login_and_writes_nothing(client, repair_site):
    site = repair_site()
    response = client.post("/repairs/walk-in", data=_form(site))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _count(RepairTicket) == 0


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
def test_trainees_and_customers_get_403(client, make_user, login, repair_site, walk_in, role):
    site = repair_site()
    ticket = walk_in(site, make_user(Role.STAFF, site=site))
    db.session.commit()
    login(client, make_user(role, site=site if role != Role.CUSTOMER else None))
    assert client.get("/repairs/walk-in").status_code == 403
    assert client.get(f"/repairs/tickets/{ticket.id}/handover").status_code == 403
    assert client.post("/repairs/walk-in", data=_form(site)).status_code == 403
    assert _count(RepairTicket) == 1


def test_another_sites_ticket_and_repairs_are_out_of_reach(client, make_user, login, repair_site, walk_in):
    site, other = repair_site(), repair_site()
    foreign = walk_in(other, make_user(Role.STAFF, site=other))
    db.session.commit()
    login(client, make_user(Role.LEADER, site=site))
    assert client.get(f"/repairs/tickets/{foreign.id}/handover").status_code == 404
    response = client.post("/repairs/walk-in", data=_form(site, repairs=[str(other.repairs[0].id)]))
    assert response.status_code == 400 and "prisliste" in response.get_data(as_text=True)
    assert _count(RepairTicket) == 1


@pytest.mark.parametrize("changes, message", [
    ({"consent": None}, "Spørg borgeren, om vi må sende en sms eller e-mail"),
    ({"repairs": []}, "Vælg mindst én reparation."),
    ({"repairs": ["999999"]}, "ikke på værkstedets prisliste"),
    ({"garment": None}, "Vælg hvilket tøj det er."),
    ({"garment": "spaceship"}, "Vælg hvilket tøj det er."),
    ({"name": ""}, "Skriv borgerens navn."),
    ({"phone": ""}, "Skriv borgerens telefonnummer."),
    ({"phone": "12"}, "8 cifre"),
    ({"email": "nope"}, "e-mailadresse"),
    ({"price": "lots"}, "Skriv prisen i kroner"),
    ({"damage_note": "x" * 400}, "Højst 300 tegn."),
])
def test_bad_input_is_a_400_with_the_message_on_the_form_and_writes_nothing(
        client, make_user, login, repair_site, changes, message):
    site = repair_site()
    login(client, make_user(Role.STAFF, site=site))
    response = client.post("/repairs/walk-in", data=_form(site, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'role="alert"' in page and 'aria-invalid="true"' in page
    assert 'value="Birgit Walker"' in page or changes.get("name") == ""  # what she typed is kept
    assert _count(RepairTicket) == 0 and _count(WorkOrder) == 0


def test_a_post_without_csrf_is_refused(client, make_user, login, repair_site):
    site = repair_site()
    login(client, make_user(Role.STAFF, site=site))
    assert client.post("/repairs/walk-in", data=_form(site), csrf=False).status_code == 400
    assert _count(RepairTicket) == 0


def test_a_double_click_makes_one_ticket(client, make_user, login, repair_site):
    site = repair_site()
    login(client, make_user(Role.STAFF, site=site))
    data = {**_form(site), "request_key": "one-walk-in-form"}
    first, second = client.post("/repairs/walk-in", data=data), client.post("/repairs/walk-in", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] and _count(RepairTicket) == 1


# --- Pages that must cope with a ticket without a slot -----------------------------------------------


def test_desk_lists_overdue_and_impact_pages_show_a_walk_in(client, make_user, login, repair_site, walk_in):
    site = repair_site()
    leader = make_user(Role.LEADER, site=site)
    ticket = walk_in(site, leader)
    db.session.commit()
    login(client, leader)
    desk = client.get("/repairs/").get_data(as_text=True)
    assert ticket.number in desk and "Uden aftale" in desk
    assert client.get(f"/repairs/?q={ticket.number}").status_code == 302
    assert client.get(f"/repairs/tickets/{ticket.id}/tag").status_code == 200
    ticket.status, ticket.ready_at = TicketStatus.READY, naive_utcnow() - timedelta(days=30)
    db.session.commit()
    assert ticket.number in client.get("/repairs/overdue").get_data(as_text=True)
    assert client.get(f"/repairs/tickets/{ticket.id}").status_code == 200


def test_the_public_page_of_a_walk_in_shows_its_status_without_personal_data(client, repair_site, make_user, walk_in):
    site = repair_site()
    ticket = walk_in(site, make_user(Role.STAFF, site=site), name="Birgit Walker", email="birgit@example.org")
    db.session.commit()
    response = client.get(f"/t/{ticket.token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ticket.number in page and "Bliver repareret" in page and "230,00" in page
    assert "Booket" not in page  # a walk-in was never booked
    for secret in ("Birgit", "30405060", "30 40 50 60", "birgit@example.org"):
        assert secret not in page


# --- A resent form while the first is still being saved (PostgreSQL's row locks) ---------------------


def test_a_form_resent_while_the_first_is_saved_waits_for_it_and_gets_the_same_ticket(app, repair_site, make_user):
    import threading

    from tests.shop.test_slot_race import _wait_for_a_lock_wait
    from workshop.models import Site, User

    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writers")
    site = repair_site()
    site_id, repair_id, staff_id = site.id, site.repairs[0].id, make_user(Role.STAFF, site=site).id
    numbers: dict[str, str] = {}
    first_is_made, let_first_commit = threading.Event(), threading.Event()

    def send(key: str, before_commit=None):
        with app.app_context():
            try:
                ticket = booking.create_walk_in(
                    db.session.get(Site, site_id), db.session.get(User, staff_id), garment="shirt",
                    repair_ids=[repair_id], name="Birgit Walker", phone="30405060", consent=True,
                    request_key="the-same-form")
                if before_commit:
                    before_commit()
                db.session.commit()
                numbers[key] = ticket.number
            finally:
                db.session.remove()

    def hold_the_lock():
        first_is_made.set()
        assert let_first_commit.wait(30)

    first = threading.Thread(target=send, args=("first", hold_the_lock))
    second = threading.Thread(target=send, args=("second",))
    first.start()
    assert first_is_made.wait(30)
    second.start()
    _wait_for_a_lock_wait(app.config["SQLALCHEMY_DATABASE_URI"])  # the resend waits on the site's counter
    let_first_commit.set()
    first.join(30)
    second.join(30)
    assert numbers == {"first": "S-0001", "second": "S-0001"}
    assert _count(RepairTicket) == 1 and _count(WorkOrder) == 1
