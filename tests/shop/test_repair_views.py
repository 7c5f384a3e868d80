"""Request tests: the public booking form and ticket page, the front desk, leaders' pages, per role."""
import re

import pytest
from flask import g
from sqlalchemy import func, select

from shop.repairs import tickets
from shop.models import DropOffSlot, OutboxMessage, RepairTicket, TicketStatus
from workshop.extensions import db
from workshop.models import Role


def _count(model=RepairTicket):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def _form(site, **changes):
    data = {"garment": "trousers", "repairs": [str(site.repairs[0].id), str(site.repairs[1].id)],
            "slot": str(site.slots[0].id), "name": "Amina Testesen", "phone": "20 12 34 56", "email": "",
            "consent": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Public booking -----------------------------------------------------------------------------


def test_the_booking_page_is_public_and_lists_the_sites_repairs_and_slots(client, repair_site):
    site = repair_site("gladsaxe")
    response = client.get("/r/gladsaxe")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Opsømning" in page and "80,00" in page and f'value="{site.slots[0].id}"' in page
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_site_is_a_404(client):
    assert client.get("/r/nowhere").status_code == 404


def test_booking_redirects_to_the_ticket_page_with_the_qr_code(client, repair_site):
    site = repair_site("gladsaxe")
    response = client.post("/r/gladsaxe", data=_form(site))
    assert response.status_code == 303
    ticket = db.session.scalar(select(RepairTicket))
    assert response.headers["Location"].endswith(f"/t/{ticket.token}")
    assert ticket.phone == "+4520123456" and ticket.total_ore == 23000 and ticket.locale == "da"
    page = client.get(f"/t/{ticket.token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "G-0001" in text and "<svg" in text and "230,00" in text


@pytest.mark.parametrize("changes, field_message", [
    ({"garment": None, "repairs": None, "slot": None, "name": None, "phone": None, "consent": None}, "Ret"),
    ({"name": "x" * 500}, ""),
    ({"phone": "12"}, "8"),
    ({"phone": "9" * 200}, ""),
    ({"email": "nope"}, ""),
    ({"repairs": ["999999"]}, ""),
    ({"repairs": ["abc", "'; drop table"]}, ""),
    ({"repairs": []}, ""),
    ({"garment": "spaceship"}, ""),
    ({"slot": "999999"}, ""),
    ({"slot": "x"}, ""),
    ({"slot": "²"}, ""),  # '²'.isdigit() is true, int('²') fails: was a 500 (issue 17, finding 6)
    ({"slot": "٢"}, ""),  # int('٢') is 2: digits are ASCII only
    ({"repairs": ["²"]}, ""),
    ({"slot": str(2**63)}, ""),
    ({"consent": None}, ""),
])
def test_bad_input_gets_a_400_with_a_message_and_writes_nothing(client, repair_site, changes, field_message):
    site = repair_site("gladsaxe")
    response = client.post("/r/gladsaxe", data=_form(site, **changes))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'role="alert"' in text and field_message in text
    assert _count() == 0 and _count(OutboxMessage) == 0


def test_another_sites_repairs_and_slots_are_refused(client, repair_site):
    site, other = repair_site("gladsaxe"), repair_site("ishoj")
    response = client.post("/r/gladsaxe", data=_form(site, repairs=[str(other.repairs[0].id)]))
    assert response.status_code == 400 and "prisliste" in response.get_data(as_text=True)
    response = client.post("/r/gladsaxe", data=_form(site, slot=str(other.slots[0].id)))
    assert response.status_code == 400
    assert _count() == 0


def test_a_full_or_past_slot_is_refused(client, repair_site):
    from datetime import timedelta

    from shop.repairs.catalogue import naive_utcnow

    site = repair_site("gladsaxe", capacity=1)
    assert client.post("/r/gladsaxe", data=_form(site)).status_code == 303
    response = client.post("/r/gladsaxe", data=_form(site, phone="30303030"))
    assert response.status_code == 400 and "fuld" in response.get_data(as_text=True)
    slot = db.session.get(DropOffSlot, site.slots[1].id)
    slot.starts_at = naive_utcnow() - timedelta(hours=1)
    db.session.commit()
    response = client.post("/r/gladsaxe", data=_form(site, slot=str(slot.id)))
    assert response.status_code == 400
    assert _count() == 1


def test_a_post_without_csrf_is_refused(client, repair_site):
    site = repair_site("gladsaxe")
    response = client.post("/r/gladsaxe", data=_form(site), csrf=False)
    assert response.status_code == 400
    assert _count() == 0


def test_the_booking_form_is_rate_limited_per_client(client, repair_site, configure):
    site = repair_site("gladsaxe", capacity=10)
    configure(REPAIRS_BOOKING_RATE_LIMIT="2 per minute")
    assert client.post("/r/gladsaxe", data=_form(site, phone="")).status_code == 400
    assert client.post("/r/gladsaxe", data=_form(site, phone="")).status_code == 400
    response = client.post("/r/gladsaxe", data=_form(site))
    assert response.status_code == 429
    assert client.get("/r/gladsaxe").status_code == 200  # reading the page is not limited
    assert _count() == 0


def test_english_messages_for_an_english_visitor(client, repair_site):
    site = repair_site("gladsaxe")
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.post("/r/gladsaxe", data=_form(site, phone="12"))
    assert "Write a Danish phone number" in response.get_data(as_text=True)


# --- The public ticket page -----------------------------------------------------------------------


def test_the_ticket_page_shows_no_personal_data_and_is_not_cached(client, repair_site, book):
    site = repair_site()
    ticket = book(site, name="Amina Testesen", phone="20123456", email="amina@example.org")
    db.session.commit()
    response = client.get(f"/t/{ticket.token}")
    text = response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    for secret in ("Amina", "20123456", "20 12 34 56", "amina@example.org"):
        assert secret not in text


def test_a_token_never_reveals_another_ticket(client, repair_site, book):
    site = repair_site()
    first, second = book(site), book(site)
    db.session.commit()
    text = client.get(f"/t/{first.token}").get_data(as_text=True)
    assert first.number in text and second.number not in text and second.token not in text


@pytest.mark.parametrize("path", ["/t/S-0001", "/t/1", "/t/2", "/t/0001", "/t/S-0002", "/t/%s", "/t/" + "A" * 32])
def test_ticket_numbers_and_guesses_never_reach_a_ticket_page(client, repair_site, book, path):
    site = repair_site()
    ticket = book(site)
    book(site)
    db.session.commit()
    response = client.get(path.replace("%s", ticket.token[:-2]))
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert 'class="qr"' not in text and "230,00" not in text


# --- Front desk and leaders ------------------------------------------------------------------------

STAFF_PAGES = ["/repairs/", "/repairs/poster", "/repairs/tickets/{id}", "/repairs/tickets/{id}/tag"]
LEADER_PAGES = ["/repairs/slots", "/repairs/overdue"]


@pytest.mark.parametrize("path", STAFF_PAGES + LEADER_PAGES)
def test_anonymous_visitors_go_to_login(client, path):
    response = client.get(path.format(id=1))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
@pytest.mark.parametrize("path", STAFF_PAGES + LEADER_PAGES)
def test_other_roles_get_403(client_as, path, role):
    assert client_as(role).get(path.format(id=1)).status_code == 403


@pytest.mark.parametrize("path", LEADER_PAGES)
def test_staff_do_not_see_leader_pages(client_as, path):
    assert client_as(Role.STAFF).get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_desk_pages_open_for_staff_and_leaders(client, make_user, login, repair_site, book, role, path):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(role, site=site))
    response = client.get(path.format(id=ticket.id))
    assert response.status_code == 200


@pytest.mark.parametrize("path", LEADER_PAGES)
def test_leader_pages_open_for_leaders(client, make_user, login, repair_site, path):
    site = repair_site()
    login(client, make_user(Role.LEADER, site=site))
    assert client.get(path).status_code == 200


def test_another_sites_ticket_is_a_404(client, make_user, login, repair_site, book):
    site, other = repair_site(), repair_site()
    foreign = book(other)
    db.session.commit()
    login(client, make_user(Role.LEADER, site=site))
    for path in (f"/repairs/tickets/{foreign.id}", f"/repairs/tickets/{foreign.id}/tag"):
        assert client.get(path).status_code == 404
    assert client.post(f"/repairs/tickets/{foreign.id}/receive",
                       data={"repairs": [str(other.repairs[0].id)]}).status_code == 404
    assert client.post(f"/repairs/tickets/{foreign.id}/cancel", data={}).status_code == 404
    assert client.get(f"/repairs/?q={foreign.number}").status_code == 200
    assert foreign.number not in client.get(f"/repairs/?q={foreign.token}").get_data(as_text=True)


def test_the_desk_finds_a_scanned_qr_link(client, make_user, login, repair_site, book):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    response = client.get("/repairs/", query_string={"q": f"http://localhost/t/{ticket.token}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/repairs/tickets/{ticket.id}")
    response = client.get("/repairs/", query_string={"q": "20 12 34 56"})
    assert response.status_code == 302


def test_receive_and_collect_at_the_desk(client, make_user, login, repair_site, book, finish_tasks):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    staff = make_user(Role.STAFF, site=site)
    login(client, staff)
    response = client.post(f"/repairs/tickets/{ticket.id}/receive",
                           data={"repairs": [str(site.repairs[0].id)], "price": "", "damage_note": "Small tear"})
    assert response.status_code == 302
    ticket = db.session.get(RepairTicket, ticket.id)
    db.session.refresh(ticket)
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.total_ore == 8000 and ticket.work_order_id
    from production.models import WorkOrder

    finish_tasks(db.session.get(WorkOrder, ticket.work_order_id), staff)
    db.session.commit()
    response = client.post(f"/repairs/tickets/{ticket.id}/collect", data={"method": "bitcoin", "amount": ""})
    assert response.status_code == 400
    response = client.post(f"/repairs/tickets/{ticket.id}/collect", data={"method": "cash", "amount": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.COLLECTED


def test_receive_with_bad_input_is_a_400_and_changes_nothing(client, make_user, login, repair_site, book):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    for data in ({"repairs": []}, {"repairs": [str(site.repairs[0].id)], "price": "lots"},
                 {"repairs": ["123456"]}, {"repairs": [str(site.repairs[0].id)], "damage_note": "x" * 400}):
        assert client.post(f"/repairs/tickets/{ticket.id}/receive", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.BOOKED


def test_staff_cancel_but_only_leaders_close_as_not_collected(client, app, make_user, login, repair_site, book):
    site = repair_site()
    first, second = book(site), book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    assert client.post(f"/repairs/tickets/{first.id}/no-show", data={}).status_code == 403
    assert client.post(f"/repairs/tickets/{first.id}/cancel", data={}).status_code == 302
    leader_client = login(app.test_client(), make_user(Role.LEADER, site=site))
    g.pop("_login_user", None)  # the test's app context caches the logged-in user
    response = leader_client.post(f"/repairs/tickets/{second.id}/no-show", data={"back": "overdue"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/repairs/overdue")
    assert leader_client.post(f"/repairs/tickets/{second.id}/cancel", data={}).status_code == 409
    db.session.expire_all()
    assert [db.session.get(RepairTicket, ticket.id).status for ticket in (first, second)] == [
        TicketStatus.CANCELLED, TicketStatus.NO_SHOW]


def test_leaders_add_and_remove_slots(client, make_user, login, repair_site):
    from datetime import date, timedelta

    site = repair_site()
    login(client, make_user(Role.LEADER, site=site))
    day = (date.today() + timedelta(days=5)).isoformat()
    response = client.post("/repairs/slots", data={"day": day, "start": "10:00", "end": "11:00", "capacity": "4"})
    assert response.status_code == 302
    assert client.post("/repairs/slots", data={"day": day, "start": "12:00", "end": "11:00",
                                               "capacity": "4"}).status_code == 400
    assert client.post("/repairs/slots", data={"day": "", "start": "", "end": "", "capacity": "x"}).status_code == 400
    slot_id = db.session.scalar(select(DropOffSlot.id).order_by(DropOffSlot.id.desc()))
    assert client.post(f"/repairs/slots/{slot_id}/remove", data={}).status_code == 302
    assert db.session.get(DropOffSlot, slot_id) is None
    other = repair_site()
    assert client.post(f"/repairs/slots/{other.slots[0].id}/remove", data={}).status_code == 404


def test_the_leader_sends_a_reminder_from_the_overdue_list(client, make_user, login, repair_site, book):
    from datetime import timedelta

    from shop.repairs.catalogue import naive_utcnow

    site = repair_site()
    ticket = book(site)
    ticket.status = TicketStatus.READY
    ticket.ready_at = naive_utcnow() - timedelta(days=30)
    db.session.commit()
    login(client, make_user(Role.LEADER, site=site))
    assert ticket.number in client.get("/repairs/overdue").get_data(as_text=True)
    assert client.post(f"/repairs/tickets/{ticket.id}/remind", data={}).status_code == 302
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "pickup_reminder")) == 1


def test_poster_and_tag_carry_qr_codes_to_the_right_pages(client, make_user, login, repair_site, book):
    site = repair_site("gladsaxe")
    ticket = book(site)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    poster = client.get("/repairs/poster").get_data(as_text=True)
    assert "<svg" in poster and "/r/gladsaxe" in poster
    tag = client.get(f"/repairs/tickets/{ticket.id}/tag").get_data(as_text=True)
    assert "<svg" in tag and ticket.number in tag and "css/repair-tag.css" in tag  # its @page size


def test_status_labels_exist_for_every_status():
    assert set(tickets.STATUS_LABELS) == set(TicketStatus)


def test_the_ticket_link_expires_some_time_after_the_ticket_is_closed(client, repair_site, book, make_user, clock):
    from datetime import timedelta

    site = repair_site()
    ticket = book(site)
    tickets.cancel(ticket, make_user(Role.STAFF, site=site))
    db.session.commit()
    assert client.get(f"/t/{ticket.token}").status_code == 200
    clock.shift(timedelta(days=91))
    assert client.get(f"/t/{ticket.token}").status_code == 404


POSTS = ["/repairs/tickets/{id}/receive", "/repairs/tickets/{id}/collect", "/repairs/tickets/{id}/cancel",
         "/repairs/tickets/{id}/no-show", "/repairs/tickets/{id}/remind", "/repairs/slots",
         "/repairs/slots/{id}/remove"]


@pytest.mark.parametrize("path", POSTS)
def test_anonymous_posts_go_to_login_and_change_nothing(client, repair_site, book, path):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    response = client.post(path.format(id=ticket.id), data={"repairs": [str(site.repairs[0].id)], "method": "cash"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.BOOKED


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
@pytest.mark.parametrize("path", POSTS)
def test_other_roles_cannot_post(client, make_user, login, repair_site, book, role, path):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    login(client, make_user(role, site=site if role != Role.CUSTOMER else None))
    response = client.post(path.format(id=ticket.id), data={"repairs": [str(site.repairs[0].id)], "method": "cash"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_the_public_pages_open_for_every_role(client, make_user, login, repair_site, book, role):
    site = repair_site("gladsaxe")
    ticket = book(site)
    db.session.commit()
    login(client, make_user(role, site=site if role != Role.CUSTOMER else None))
    assert client.get("/r/gladsaxe").status_code == 200
    assert client.get(f"/t/{ticket.token}").status_code == 200


def test_a_double_tap_on_book_makes_one_ticket(client, repair_site):
    site = repair_site("gladsaxe")
    data = {**_form(site), "request_key": "one-filled-in-form"}
    first = client.post("/r/gladsaxe", data=data)
    second = client.post("/r/gladsaxe", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(RepairTicket.id))) == 1


def test_a_form_key_sent_to_another_workshop_is_refused_not_a_500(client, repair_site):
    gladsaxe, ishoj = repair_site("gladsaxe"), repair_site("ishoj")
    assert client.post("/r/gladsaxe", data={**_form(gladsaxe), "request_key": "one-form"}).status_code == 303
    response = client.post("/r/ishoj", data={**_form(ishoj), "request_key": "one-form"})
    assert response.status_code == 400
    assert "Genindlæs siden" in response.get_data(as_text=True)
    assert _count() == 1


def test_the_booking_page_hands_out_a_fresh_form_key(client, repair_site):
    repair_site("gladsaxe")
    keys = [re.search(r'name="request_key" type="hidden" value="([^"]+)"', client.get("/r/gladsaxe").get_data(as_text=True))
            for _ in range(2)]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)
