"""The order pages per role and per company: the request form, the lists, the order page and its moves."""
import io
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import func, select

from shop.orders.models import Order, OrderLogo, OrderStatus, Visibility
from shop.orders.states import change_status
from shop.models import OutboxMessage
from tests.shop.orders.test_order_requests import bomb_bytes, png_bytes
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture(autouse=True)
def uploads_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "uploads"


@pytest.fixture
def world(make_site, make_user, make_company, make_catalogue_product):
    """A site with its leader and staff, two companies with a login each, a gift bag offered to everyone."""
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    staff = make_user(Role.STAFF, site=site)
    company_a, customer_a = make_company(name="Firma A")
    company_b, customer_b = make_company(name="Firma B")
    bag = make_catalogue_product()
    bag.name_da, bag.name_en = "Gavepose", "Gift bag"
    db.session.commit()
    return {"site": site, "leader": leader, "staff": staff, "a": company_a, "customer_a": customer_a,
            "b": company_b, "customer_b": customer_b, "bag": bag}


def _form(world, **fields):
    data = {"site_id": str(world["site"].id), "lines-0-product_id": str(world["bag"].id), "lines-0-quantity": "500",
            "lines-0-embroidery_text": "ACME", "wished_date": (local_today() + timedelta(days=40)).isoformat()}
    data.update(fields)
    return data


def _orders() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def _as(client, login, user):
    g.pop("_login_user", None)  # the test's app context outlives each request: forget the last login
    login(client, user)
    return client


def test_a_customer_asks_for_a_price_with_a_logo_and_lands_on_her_order(client, login, world):
    _as(client, login, world["customer_a"])
    page = client.get(f"/orders/new?product={world['bag'].id}")
    assert page.status_code == 200 and f'<option selected value="{world["bag"].id}">' in page.text
    data = _form(world, logo=(io.BytesIO(png_bytes()), "vores-logo.png"), prototype_first="y")
    response = client.post("/orders/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    order = db.session.scalar(select(Order))
    assert response.headers["Location"].endswith(f"/orders/{order.id}")
    assert order.customer_id == world["a"].id and order.prototype_first and len(order.logos) == 1
    page = client.get(response.headers["Location"])
    assert "Tak. Vi har din forespørgsel" in page.text and order.number in page.text and "ACME" in page.text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_hidden_fields_for_price_status_and_owner_are_ignored(client, login, world):
    _as(client, login, world["customer_a"])
    client.post("/orders/new", data=_form(world, status="paid", customer_id=str(world["b"].id), price="0",
                                          requested_by_id=str(world["leader"].id)))
    order = db.session.scalar(select(Order))
    assert (order.status, order.customer_id, order.requested_by_id) == (
        OrderStatus.REQUESTED, world["a"].id, world["customer_a"].id)


@pytest.mark.parametrize("fields, message", [
    ({"lines-0-quantity": "0"}, "1 til"),
    ({"lines-0-quantity": "100001"}, "1 til"),
    ({"lines-0-quantity": "mange"}, "helt tal"),
    ({"wished_date": "2020-01-01"}, "Datoen er gået"),
    ({"wished_date": "2099-01-01"}, "inden for to år"),
    ({"lines-0-product_id": "", "lines-0-quantity": "", "lines-0-embroidery_text": ""}, "mindst ét produkt"),
])
def test_bad_request_is_refused_with_a_message_and_nothing_written(client, login, world, fields, message):
    _as(client, login, world["customer_a"])
    response = client.post("/orders/new", data=_form(world, **fields))
    assert response.status_code == 400 and message in response.text
    assert _orders() == 0


def test_a_product_not_offered_to_her_is_refused(client, login, world, make_catalogue_product):
    hidden = make_catalogue_product(visibility=Visibility.HIDDEN)
    db.session.commit()
    _as(client, login, world["customer_a"])
    response = client.post("/orders/new", data=_form(world, **{"lines-0-product_id": str(hidden.id)}))
    assert response.status_code == 400 and "Produktet kan ikke bestilles" in response.text
    assert _orders() == 0


@pytest.mark.parametrize("data", [b"hello, I am text", None])
def test_a_bad_logo_is_refused_and_nothing_is_written(client, login, world, uploads_in_tmp, data):
    _as(client, login, world["customer_a"])
    upload = (io.BytesIO(data if data is not None else bomb_bytes()), "logo.png")
    response = client.post("/orders/new", data=_form(world, logo=upload), content_type="multipart/form-data")
    assert response.status_code == 400
    assert _orders() == 0 and db.session.scalar(select(func.count()).select_from(OrderLogo)) == 0
    assert list(uploads_in_tmp.rglob("*.*")) == []


def test_a_customer_without_an_approved_company_is_sent_to_her_account(client, login, world, make_user):
    _as(client, login, make_user(Role.CUSTOMER))
    assert client.get("/orders/new").status_code == 302
    assert client.get("/orders/").status_code == 200


@pytest.mark.parametrize("path", ["/orders/", "/orders/new", "/orders/workshop"])
def test_anonymous_visitors_go_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _order_with_logo(client, login, world):
    _as(client, login, world["customer_a"])
    client.post("/orders/new", data=_form(world, logo=(io.BytesIO(png_bytes()), "l.png")),
                content_type="multipart/form-data")
    order = db.session.scalar(select(Order))
    return order, order.logos[0]


def test_only_her_company_and_the_sites_leader_and_staff_see_the_order_and_its_logo(
        client, login, world, make_user, make_site):
    order, logo = _order_with_logo(client, login, world)
    paths = [f"/orders/{order.id}", f"/orders/{order.id}/logos/{logo.id}"]
    for user in (world["customer_a"], world["leader"], world["staff"]):
        _as(client, login, user)
        assert [client.get(path).status_code for path in paths] == [200, 200]
    image = client.get(paths[1])
    assert image.mimetype == "image/png" and "no-store" in image.headers["Cache-Control"]
    for user in (world["customer_b"], make_user(Role.LEADER, site=make_site()), make_user(Role.CUSTOMER)):
        _as(client, login, user)
        assert [client.get(path).status_code for path in paths] == [404, 404]
    _as(client, login, world["customer_a"])
    assert client.get(f"/orders/{order.id}/logos/{logo.id + 1}").status_code == 404
    _as(client, login, make_user(Role.TRAINEE, site=world["site"]))
    assert client.get(paths[0]).status_code == 403


def test_her_list_shows_only_her_companys_orders(client, login, world, make_order):
    mine = make_order(site=world["site"], company=world["a"], user=world["customer_a"])
    theirs = make_order(site=world["site"], company=world["b"], user=world["customer_b"])
    db.session.commit()
    _as(client, login, world["customer_a"])
    page = client.get("/orders/")
    assert mine.number in page.text and f"/orders/{theirs.id}" not in page.text and "Tilbud ønsket" in page.text
    _as(client, login, world["leader"])
    assert client.get("/orders/").status_code == 302


def test_the_workshop_list_counts_waiting_requests_and_filters(client, login, world, make_order):
    first = make_order(site=world["site"], company=world["a"])
    second = make_order(site=world["site"], company=world["b"])
    change_status(second, OrderStatus.DECLINED)
    db.session.commit()
    _as(client, login, world["staff"])
    page = client.get("/orders/workshop")
    assert page.status_code == 200 and first.number in page.text and second.number not in page.text
    assert ">1</a>" in page.text
    page = client.get("/orders/workshop?status=all&customer=firma+b")
    assert second.number in page.text and first.number not in page.text
    assert client.get("/orders/workshop?wished_by=12345").status_code == 400
    _as(client, login, world["customer_a"])
    assert client.get("/orders/workshop").status_code == 403


def test_the_order_page_shows_the_timeline_with_dates(client, login, world, make_order, clock):
    order = make_order(site=world["site"], company=world["a"], user=world["customer_a"])
    clock.shift(timedelta(days=3))
    change_status(order, OrderStatus.QUOTED)
    db.session.commit()
    _as(client, login, world["customer_a"])
    page = client.get(f"/orders/{order.id}")
    assert 'id="order-timeline"' in page.text
    assert "23. nov. 2026" in page.text and "26. nov. 2026" in page.text
    assert 'aria-current="step"' in page.text


def test_a_leader_declines_a_request_with_a_reason(client, login, world, make_order):
    order = make_order(site=world["site"], company=world["a"])
    db.session.commit()
    _as(client, login, world["leader"])
    assert "/quote/new" in client.get(f"/orders/{order.id}").text
    assert client.post(f"/orders/{order.id}/decline", data={"reason": ""}).status_code == 400
    response = client.post(f"/orders/{order.id}/decline", data={"reason": "Ingen tid i december"})
    assert response.status_code == 303
    db.session.refresh(order)
    assert order.status == OrderStatus.DECLINED
    again = client.post(f"/orders/{order.id}/decline", data={"reason": "igen"})
    assert again.status_code == 409
    assert client.post(f"/orders/{order.id}/cancel", data={"reason": "igen"}).status_code == 409
    _as(client, login, world["customer_a"])
    assert "Ingen tid i december" in client.get(f"/orders/{order.id}").text


def test_a_leader_cancels_a_quoted_order_and_staff_and_customers_cannot(client, login, world, make_order):
    order = make_order(site=world["site"], company=world["a"])
    change_status(order, OrderStatus.QUOTED)
    db.session.commit()
    for user in (world["staff"], world["customer_a"]):
        _as(client, login, user)
        assert client.post(f"/orders/{order.id}/cancel", data={"reason": "x"}).status_code == 403
    _as(client, login, world["leader"])
    assert client.post(f"/orders/{order.id}/cancel", data={"reason": "x"}, csrf=False).status_code == 400
    assert client.post(f"/orders/{order.id}/decline", data={"reason": "x"}).status_code == 409
    assert client.post(f"/orders/{order.id}/cancel", data={"reason": "Kunden ringede"}).status_code == 303
    db.session.refresh(order)
    assert order.status == OrderStatus.CANCELLED


def test_a_customer_withdraws_her_request_before_the_quote_only(client, login, world, make_order):
    order = make_order(site=world["site"], company=world["a"], user=world["customer_a"])
    quoted = make_order(site=world["site"], company=world["a"], user=world["customer_a"])
    change_status(quoted, OrderStatus.QUOTED)
    db.session.commit()
    _as(client, login, world["customer_b"])
    assert client.post(f"/orders/{order.id}/withdraw", data={}).status_code == 404
    _as(client, login, world["customer_a"])
    assert "Tag forespørgslen tilbage" in client.get(f"/orders/{order.id}").text
    assert client.post(f"/orders/{order.id}/withdraw", data={}).status_code == 303
    db.session.refresh(order)
    assert order.status == OrderStatus.CANCELLED
    response = client.post(f"/orders/{quoted.id}/withdraw", data={})
    assert response.status_code == 409 and "før du får en pris" in response.text


@pytest.mark.parametrize("value", ["", "x" * 100_000, "²", "0001-01-01", str(2**63), "1e309", "-5"])
def test_hostile_values_in_the_request_form_never_give_a_500(client, login, world, value):
    _as(client, login, world["customer_a"])
    for name in ("site_id", "lines-0-product_id", "lines-0-variant_id", "lines-0-quantity", "lines-4-quantity",
                 "lines-0-embroidery_text", "wished_date", "customer_reference", "note", "logo"):
        assert client.post("/orders/new", data=_form(world, **{name: value})).status_code < 500, name
    assert client.get(f"/orders/new?product={value}").status_code == 200
    _as(client, login, world["leader"])
    assert client.get(f"/orders/workshop?status={value}&customer={value[:1000]}&wished_by={value}").status_code < 500
