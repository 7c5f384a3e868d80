"""Quote pages: the leader's form, the A4 quote, the public link, per role and per company."""
import re
from datetime import date

import pytest
from flask import g

from shop.orders import quotes
from shop.orders.models import OrderStatus
from workshop.extensions import db
from workshop.models import Role

from .test_quotes import people, quoted, terms  # noqa: F401 - fixtures


def as_user(client, login, user):
    g.pop("_login_user", None)
    login(client, user)
    return client


def test_the_leader_sees_the_advice_and_forecast_and_sends(client, login, make_order, make_user, people):  # noqa: F811
    order = make_order(wished_date=date(2026, 11, 23))
    people(order.site, count=2)
    leader = make_user(Role.LEADER, site=order.site)
    as_user(client, login, leader)
    page = client.get(f"/orders/{order.id}/quote/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="date-advice"' in html and 'id="impact-forecast"' in html
    assert "25" in html  # 1500 minutes = 25 hours
    form = {"lines-0-unit_price": "30,00", "lines-0-reason": "", "deposit_percent": "30", "payment_terms_days": "14",
            "valid_until": "2026-12-20", "promised_date": "2026-12-18", "message": "", "order_version": str(order.version),
            "send": "1"}
    refused = client.post(f"/orders/{order.id}/quote/new", data=form)
    assert refused.status_code == 400 and order.quotes == []  # a changed price needs a reason
    form["lines-0-reason"] = "Fast kunde"
    sent = client.post(f"/orders/{order.id}/quote/new", data=form)
    assert sent.status_code == 302
    db.session.expire_all()
    assert order.status == OrderStatus.QUOTED and order.quotes[0].lines[0].unit_price_ore == 3000


@pytest.mark.parametrize("value", ["", "x" * 5000, "²", "1e309", str(10**30), "-5"])
def test_hostile_values_in_the_quote_form_are_4xx(client, login, make_order, make_user, people, value):  # noqa: F811
    order = make_order()
    people(order.site)
    as_user(client, login, make_user(Role.LEADER, site=order.site))
    for field in ("lines-0-unit_price", "deposit_percent", "valid_until", "order_version"):
        form = {"lines-0-unit_price": "32", "deposit_percent": "30", "payment_terms_days": "14",
                "valid_until": "2026-12-20", "promised_date": "2026-12-18", "order_version": "1", "send": "1",
                field: value}
        assert client.post(f"/orders/{order.id}/quote/new", data=form).status_code < 500


def test_the_printed_quote_only_for_her_company_and_the_site(client, login, quoted, make_company, make_user):  # noqa: F811
    order, quote, _token, leader = quoted()
    address = f"/orders/{order.id}/quotes/{quote.id}"
    customer = order.requested_by
    _b, stranger = make_company()
    for user, status in ((customer, 200), (leader, 200), (stranger, 404), (make_user(Role.LEADER), 404)):
        assert as_user(client, login, user).get(address).status_code == status
    assert as_user(client, login, customer).get(f"/orders/{order.id}/confirmation").status_code == 404


def test_the_link_shows_the_quote_and_she_accepts_without_a_login(client, quoted):  # noqa: F811
    order, quote, token, _leader = quoted()
    page = client.get(f"/q/{token}")
    assert page.status_code == 200 and order.number in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.post(f"/q/{token}/accept", data={"name": "Karin"}).status_code == 400  # no tick
    assert client.post(f"/q/{token}/accept", data={"name": "Karin", "confirm": "y"}).status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.ACCEPTED and quote.accepted_by_name == "Karin"
    assert client.get(f"/q/{token}").status_code == 200


def test_old_unknown_and_expired_links(client, quoted, clock):  # noqa: F811
    order, quote, token, leader = quoted()
    assert client.get("/q/" + "x" * 32).status_code == 404
    newer = quotes.make_quote(order, leader, terms(order))
    new_token = quotes.send_quote(newer, leader)
    db.session.commit()
    old = client.get(f"/q/{token}")
    assert old.status_code == 404 and "newer" in old.get_data(as_text=True) or "nyere" in old.get_data(as_text=True)
    assert client.post(f"/q/{token}/accept", data={"name": "Karin", "confirm": "y"}).status_code == 404
    clock.move_to("2026-12-24T09:00")
    assert client.get(f"/q/{new_token}").status_code == 410


def test_her_colleague_accepts_logged_in_and_sees_the_confirmation(client, login, quoted, make_company):  # noqa: F811
    order, quote, _token, leader = quoted()
    customer = order.requested_by
    _b, stranger = make_company()
    assert as_user(client, login, stranger).post(
        f"/orders/{order.id}/quote/accept", data={"name": "Mette", "confirm": "y"}).status_code == 404
    assert as_user(client, login, leader).post(
        f"/orders/{order.id}/quote/accept", data={"name": "Mette", "confirm": "y"}).status_code == 403
    answer = as_user(client, login, customer).post(f"/orders/{order.id}/quote/accept",
                                                   data={"name": "Karin", "confirm": "y"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/orders/{order.id}/confirmation")
    db.session.expire_all()
    assert quote.accepted_by_id == customer.id and order.status == OrderStatus.ACCEPTED
    confirmation = client.get(f"/orders/{order.id}/confirmation")
    assert confirmation.status_code == 200 and "Karin" in confirmation.get_data(as_text=True)


def test_a_wished_date_too_soon_says_what_it_would_take(client, login, make_order, make_user, people):  # noqa: F811
    order = make_order(wished_date=date(2026, 11, 25))  # 1,500 minutes; two people make 360 a day
    people(order.site, count=2)
    as_user(client, login, make_user(Role.LEADER, site=order.site))

    html = client.get(f"/orders/{order.id}/quote/new").get_data(as_text=True)

    assert "er ikke mulig" in html
    # About 1,080 of the minutes are done by Wednesday: some 7-8 hours short, all in this week.
    assert re.search(r"Muligt til 25\. nov\. 2026 med [78] flere lønnede timer i uge 48\.", html)
