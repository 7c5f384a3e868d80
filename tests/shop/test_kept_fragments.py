"""The public pages' kept parts (workshop/fragments.py) as visitors see them: a change made through the
services shows at once, one made around them within the kept seconds; a visitor's own form keys and
choices are never taken from the kept copy. (The webshop's list: tests/shop/retail/test_webshop_views.py.)"""
import re
from datetime import timedelta

from flask import g

from shop.models import DropOffSlot
from shop.repairs import booking
from shop.services import set_repair_offered
from workshop.extensions import db
from workshop.models import Role

KEPT_SECONDS = 10


def _times(client, site) -> list[str]:
    """The drop-off times a visitor can choose on the booking page (slot ids, in order)."""
    return re.findall(r'name="slot" value="(\d+)"', client.get(f"/r/{site.slug}").get_data(as_text=True))


def test_a_new_time_a_booking_and_a_retired_repair_show_on_the_booking_page_at_once(app, client, repair_site,
                                                                                      book):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site(capacity=1)
    first, second = site.slots
    assert _times(client, site) == [str(first.id), str(second.id)]

    book(site, slot=first)
    db.session.commit()
    assert _times(client, site) == [str(second.id)]

    third = booking.add_slot(site, second.starts_at + timedelta(days=1), second.ends_at + timedelta(days=1), 2)
    db.session.commit()
    assert _times(client, site) == [str(second.id), str(third.id)]

    set_repair_offered(site.repairs[0], False)
    db.session.commit()
    assert "Opsømning" not in client.get(f"/r/{site.slug}").get_data(as_text=True)


def test_a_cancelled_booking_gives_its_place_back_at_once(app, client, repair_site, book):
    from shop.models import TicketStatus
    from shop.repairs import tickets

    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site(capacity=1)
    ticket = book(site, slot=site.slots[0])
    db.session.commit()
    assert str(site.slots[0].id) not in _times(client, site)
    tickets.change_status(ticket, TicketStatus.CANCELLED, None)
    db.session.commit()
    assert str(site.slots[0].id) in _times(client, site)


def test_a_change_made_around_the_services_shows_within_the_kept_seconds(app, client, repair_site, clock):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site()
    assert len(_times(client, site)) == 2
    last = site.slots[-1]
    db.session.add(DropOffSlot(site_id=site.id, starts_at=last.starts_at + timedelta(days=2),
                               ends_at=last.ends_at + timedelta(days=2), capacity=2))
    db.session.commit()
    assert len(_times(client, site)) == 2  # the kept copy
    clock.shift(timedelta(seconds=KEPT_SECONDS + 1))
    assert len(_times(client, site)) == 3


def test_two_visitors_of_the_kept_page_get_their_own_form_keys(app, client, repair_site):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site()
    pages = []
    for visitor in (client, app.test_client()):
        g.pop("csrf_token", None)  # the test's app context outlives a request; a server's does not
        pages.append(visitor.get(f"/r/{site.slug}").get_data(as_text=True))
    csrf = [re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page) for page in pages]
    keys = [re.findall(r'name="request_key"[^>]*value="([^"]+)"', page) for page in pages]
    assert csrf[0] and csrf[1] and set(csrf[0]).isdisjoint(csrf[1])
    assert keys[0] and keys[1] and keys[0] != keys[1]
    assert re.findall(r'name="slot" value="(\d+)"', pages[0]) == re.findall(r'name="slot" value="(\d+)"', pages[1])


def test_a_refused_booking_is_drawn_with_her_choices_and_errors_not_the_kept_copy(app, client, repair_site):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site()
    client.get(f"/r/{site.slug}")  # keeps the first visit's copy
    chosen = site.slots[1]
    response = client.post(f"/r/{site.slug}", data={"garment": "jacket", "repairs": [str(site.repairs[1].id)],
                                                     "slot": str(chosen.id), "name": "", "phone": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(rf'name="slot" value="{chosen.id}"\s+checked', page)
    assert re.search(r'id="garment-jacket" value="jacket"\s+autocomplete="off" checked', page)
    assert re.search(rf'value="{site.repairs[1].id}"[^>]*checked', page)
    assert "is-invalid" in page
    assert not re.search(r'name="slot" value="\d+"\s+checked', client.get(f"/r/{site.slug}").get_data(as_text=True))


# --- A repair ticket's page ------------------------------------------------------------------------


def test_the_ticket_page_shows_a_new_status_and_a_new_price_at_once(app, client, repair_site, book, make_user):
    from shop.models import TicketStatus
    from shop.repairs import tickets

    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    page = client.get(f"/t/{ticket.token}").get_data(as_text=True)
    assert "Booket" in page and "230,00" in page

    tickets.change_status(ticket, TicketStatus.RECEIVED, make_user(Role.STAFF, site=site))
    tickets.agree_repairs(ticket, [site.repairs[0]])
    db.session.commit()
    page = client.get(f"/t/{ticket.token}").get_data(as_text=True)
    assert "Modtaget" in page and "230,00" not in page and "80,00" in page


def test_the_cache_never_holds_a_working_ticket_link(app, client, repair_site, book):
    from workshop.extensions import cache

    app.config["PUBLIC_FRAGMENT_SECONDS"] = KEPT_SECONDS
    ticket = book(repair_site())
    db.session.commit()
    assert client.get(f"/t/{ticket.token}").status_code == 200
    kept_keys = list(cache.cache._cache)  # SimpleCache (the tests' cache): the keys it holds
    assert any("ticket-page:" in key for key in kept_keys)
    assert not any(ticket.token in key for key in kept_keys)
    assert not any(ticket.token in str(value) for value in cache.cache._cache.values())
