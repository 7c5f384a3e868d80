"""Deliveries and delivery notes over HTTP: per role and per company, and hostile input never a 500."""
import pytest
from flask import g
from sqlalchemy import func, select

from shop.orders import fulfilment
from shop.orders.models import Delivery, OrderStatus
from tests.shop.orders.fulfilment_fixtures import (  # noqa: F401 - fixtures
    accept_order,
    finish_work_order,
    order_in_production,
)
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture
def ready_order(order_in_production, make_catalogue_product, make_person, make_company):
    """A ready order of 6 + 4 pieces for company A, and company B's login."""
    company, buyer = make_company(name="Museet")
    order = order_in_production(company=company, user=buyer,
                                lines=[(make_catalogue_product(), 6), (make_catalogue_product(), 4)])
    person = make_person(site=order.site)
    for work_order in fulfilment.work_orders_of(order):
        finish_work_order(work_order, person)
    assert order.status == OrderStatus.READY
    _other, other_buyer = make_company(name="Andet firma")
    db.session.commit()
    return order, buyer, other_buyer


def deliveries_count() -> int:
    return db.session.scalar(select(func.count(Delivery.id)))


def form_data(order, first: str = "2", second: str = "0", day: str | None = None, note: str = "Kasse 1") -> dict:
    first_line, second_line = order.lines
    return {"delivered_on": day or local_today().isoformat(), f"line_{first_line.id}": first,
            f"line_{second_line.id}": second, "note": note}


def test_a_leader_records_a_partial_then_the_last_delivery(client, login, make_user, ready_order):
    order, _buyer, _other = ready_order
    login(client, make_user(Role.LEADER, site=order.site))
    page = client.get(f"/orders/{order.id}/deliveries")
    assert page.status_code == 200 and "Registrér en levering" in page.get_data(as_text=True)

    response = client.post(f"/orders/{order.id}/deliveries", data=form_data(order))
    assert response.status_code == 302 and response.location.endswith("/note")
    note = client.get(response.location).get_data(as_text=True)
    assert "Følgeseddel O-0001-1" in note and "Kasse 1" in note and "Museet" in note

    response = client.post(f"/orders/{order.id}/deliveries", data=form_data(order, "4", "4"))
    assert response.status_code == 302
    db.session.expire_all()
    assert order.status == OrderStatus.DELIVERED and deliveries_count() == 2
    page = client.get(f"/orders/{order.id}/deliveries").get_data(as_text=True)
    assert "O-0001-2" in page and "Registrér en levering" not in page


@pytest.mark.parametrize("fields", [
    {"first": "7"}, {"first": "-1"}, {"first": "abc"}, {"first": "1e309"}, {"first": str(10**30)},
    {"first": "0"}, {"first": "²"}, {"day": "²"}, {"day": "0001-01-01"}, {"day": "9999-12-31"},
    {"note": "x" * 100_000}, {"first": "a\x00b"},
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, login, make_user, ready_order, fields):
    order, _buyer, _other = ready_order
    login(client, make_user(Role.LEADER, site=order.site))
    response = client.post(f"/orders/{order.id}/deliveries", data=form_data(order, **fields))
    assert response.status_code == 400
    if not any("\x00" in value for value in fields.values()):  # a NUL byte is refused before any form sees it
        assert "alert-danger" in response.get_data(as_text=True)
    assert deliveries_count() == 0


def test_a_hidden_line_of_another_order_is_ignored(client, login, make_user, ready_order):
    order, _buyer, _other = ready_order
    login(client, make_user(Role.LEADER, site=order.site))
    response = client.post(f"/orders/{order.id}/deliveries", data={**form_data(order), "line_999999": "5"})
    assert response.status_code == 302
    assert [line.order_line_id for line in db.session.scalars(select(Delivery)).one().lines] == [order.lines[0].id]


def test_the_note_is_for_her_company_and_the_site_only(client, login, make_user, ready_order):
    order, buyer, other_buyer = ready_order

    def as_user(user):
        g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login keeps the user
        return login(client, user)

    delivery = fulfilment.record_delivery(order, None, local_today(), {order.lines[0].id: 1})
    db.session.commit()
    note = f"/orders/{order.id}/deliveries/{delivery.id}/note"

    assert as_user(buyer).get(note).status_code == 200
    page = client.get(f"/orders/{order.id}/deliveries").get_data(as_text=True)
    assert "Registrér en levering" not in page
    assert client.post(f"/orders/{order.id}/deliveries", data=form_data(order)).status_code == 403
    assert as_user(other_buyer).get(note).status_code == 404
    assert client.get(f"/orders/{order.id}/deliveries").status_code == 404
    assert as_user(make_user(Role.STAFF, site=order.site)).get(note).status_code == 200
    assert client.post(f"/orders/{order.id}/deliveries", data=form_data(order)).status_code == 403
    assert as_user(make_user(Role.LEADER)).get(note).status_code == 404  # another site's leader
    assert client.post(f"/orders/{order.id}/deliveries", data=form_data(order)).status_code == 404
    assert as_user(make_user(Role.TRAINEE, site=order.site)).get(note).status_code == 403
    assert as_user(make_user(Role.LEADER, site=order.site)).get(
        f"/orders/{order.id}/deliveries/{delivery.id + 1}/note").status_code == 404
    assert deliveries_count() == 1


def test_anonymous_visitors_go_to_login(client, ready_order):
    order, _buyer, _other = ready_order
    response = client.get(f"/orders/{order.id}/deliveries")
    assert response.status_code == 302 and "/login" in response.location


def test_no_delivery_on_an_order_not_in_production(client, login, make_user, make_order):
    order = make_order()
    db.session.commit()
    login(client, make_user(Role.LEADER, site=order.site))
    response = client.post(f"/orders/{order.id}/deliveries",
                           data={"delivered_on": local_today().isoformat(), f"line_{order.lines[0].id}": "1"})
    assert response.status_code == 400 and deliveries_count() == 0
    assert "Leveringer kan skrives, når ordren er i produktion." in response.get_data(as_text=True)
