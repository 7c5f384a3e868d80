"""The webshop's pages per role: the anonymous buyer shops and checks out; staff and leaders handle web
orders of their own site only; the leader records and revokes maker consents."""
import hashlib
import re
from datetime import date

import pytest
from flask import g
from sqlalchemy import select

from shop.retail import stock, webshop
from shop.retail.models import Sale, SalePaymentMethod
from shop.retail.web_models import MakerConsent, WebOrder, WebOrderStatus, WebPayment
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture
def shelf(make_site, retail_item):
    site, brooch = make_site(name="Høje Gladsaxe"), retail_item(unit_price_ore=7_960)
    stock.produce(site, brooch, 3)
    db.session.commit()
    return site, brooch


def _checkout(client, site, **fields):
    data = {"site_id": site.id, "name": "Sara Buyer", "email": "sara@example.dk", "phone": "20 12 34 56",
            "payment": "at_pickup", **fields}
    return client.post("/butik/checkout", data=data)


def test_an_anonymous_buyer_browses_fills_the_cart_and_checks_out(client, shelf):
    site, brooch = shelf
    listing = client.get("/butik/").get_data(as_text=True)
    assert brooch.product.name_da in listing and "99,50" in listing and "Høje Gladsaxe" in listing
    page = client.get(f"/butik/p/{brooch.product.id}").get_data(as_text=True)
    assert "3 på lager" in page

    assert client.post("/butik/cart/add", data={"item": brooch.key, "quantity": 2}).status_code == 303
    assert client.post("/butik/cart/change", data={"item": brooch.key, "quantity": 1}).status_code == 303
    assert "99,50" in client.get("/butik/cart").get_data(as_text=True)

    response = _checkout(client, site)
    assert response.status_code == 303
    order = db.session.scalars(select(WebOrder)).one()
    token = response.headers["Location"].rpartition("/butik/o/")[2]
    assert len(token) >= 32 and order.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stock.available(site, brooch.product) == 2
    page = client.get(f"/butik/o/{token}")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    text = page.get_data(as_text=True)
    assert "Høje Gladsaxe" in text and "W-" in text
    assert "Hent den senest mandag den 30. november 2026" in text  # placed Monday 23 November, 7 days to collect
    assert "Mandag-torsdag kl. 10-15" in text  # the general pick-up hours: the site has none of its own
    assert client.get("/butik/o/" + "x" * 32).status_code == 404
    assert client.get(f"/butik/o/{order.token_hash}").status_code == 404  # the stored hash opens nothing


def test_the_buyer_sees_her_sites_own_pick_up_hours(app, client, shelf):
    site, brooch = shelf
    site.pickup_hours = "Tirsdag og torsdag kl. 12-16"
    db.session.commit()
    client.post("/butik/cart/add", data={"item": brooch.key, "quantity": 1})
    assert "Høje Gladsaxe: Tirsdag og torsdag kl. 12-16" in client.get("/butik/cart").get_data(as_text=True)
    location = _checkout(client, site).headers["Location"]
    assert "Tirsdag og torsdag kl. 12-16" in client.get(location).get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"email": "nope"}, "Skriv din e-mail"),
    ({"phone": "12"}, "Skriv et dansk telefonnummer"),
    ({"name": ""}, "Skriv dit navn"),
    ({"site_id": 0}, "Vælg hvor du vil hente"),
])
def test_bad_buyer_details_get_a_clear_danish_message_and_nothing_is_reserved(client, shelf, fields, message):
    site, brooch = shelf
    client.post("/butik/cart/add", data={"item": brooch.key, "quantity": 1})
    response = _checkout(client, site, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(WebOrder.id)) is None and stock.available(site, brooch.product) == 3


@pytest.mark.parametrize("data", [{"item": "99999", "quantity": 1}, {"item": "1", "quantity": -3},
                                  {"item": "1", "quantity": 500}, {"item": "<script>", "quantity": 1},
                                  {"item": "1", "quantity": "x"}])
def test_a_tampered_cart_post_is_refused_with_a_message(client, shelf, data):
    response = client.post("/butik/cart/add", data=data)
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    assert "Din kurv er tom" in client.get("/butik/cart").get_data(as_text=True)


def test_more_than_in_stock_is_refused_at_checkout(client, shelf):
    site, brooch = shelf
    client.post("/butik/cart/add", data={"item": brooch.key, "quantity": 5})
    response = _checkout(client, site)
    assert response.status_code == 400 and "Ikke nok på lager" in response.get_data(as_text=True)


def test_an_empty_cart_cannot_check_out(client, shelf):
    response = _checkout(client, shelf[0])
    assert response.status_code == 400 and "Din kurv er tom" in response.get_data(as_text=True)


def _placed(app, site, item):
    with app.test_request_context():
        order = webshop.place_order(site, webshop.cart_rows(webshop.cart_set({}, item.key, 2)),
                                    WebPayment.AT_PICKUP, name="Sara", email="s@example.dk", phone="20123456")
    db.session.commit()
    g.pop("_login_user", None)  # the request context above shares the test's `g`
    return order


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_staff_and_leaders_pack_and_hand_over_their_sites_orders(app, client_as, shelf, role):
    site, brooch = shelf
    order = _placed(app, site, brooch)
    client = client_as(role, site=site)
    page = client.get("/retail/web-orders").get_data(as_text=True)
    assert order.number in page and "Sara" in page
    assert client.post(f"/retail/web-orders/{order.id}/packed").status_code == 303
    response = client.post(f"/retail/web-orders/{order.id}/collected", data={"method": "card_terminal"})
    assert response.status_code == 303
    db.session.expire_all()
    order = db.session.get(WebOrder, order.id)
    assert order.status == WebOrderStatus.COLLECTED
    assert db.session.get(Sale, order.sale_id).payment_method == SalePaymentMethod.CARD_TERMINAL


def test_collecting_without_the_payment_method_is_refused(app, client_as, shelf):
    site, brooch = shelf
    order = _placed(app, site, brooch)
    client = client_as(Role.STAFF, site=site)
    response = client.post(f"/retail/web-orders/{order.id}/collected", data={"method": "stripe"})
    assert response.status_code == 400
    assert db.session.get(WebOrder, order.id).sale_id is None


def test_another_sites_leader_gets_404(app, client_as, shelf, make_site):
    site, brooch = shelf
    order = _placed(app, site, brooch)
    client = client_as(Role.LEADER, site=make_site())
    assert order.number not in client.get("/retail/web-orders").get_data(as_text=True)
    for action in ("packed", "collected", "shipped", "cancel"):
        assert client.post(f"/retail/web-orders/{order.id}/{action}", data={"method": "cash"}).status_code == 404
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.OPEN


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
def test_others_cannot_see_web_orders(client_as, role):
    client = client_as(role)
    assert client.get("/retail/web-orders").status_code in (302, 403)


def test_the_leader_records_and_revokes_a_consent_staff_cannot(client_as, shelf, make_person):
    site, _brooch = shelf
    person = make_person(site=site, name="Amina")
    db.session.commit()
    staff = client_as(Role.STAFF, site=site)
    assert staff.get("/retail/maker-consents").status_code == 403
    g.pop("_login_user", None)
    leader = client_as(Role.LEADER, site=site)
    assert "Amina" in leader.get("/retail/maker-consents").get_data(as_text=True)
    response = leader.post("/retail/maker-consents", data={"person_id": person.id, "given_on": "2026-11-02"})
    assert response.status_code == 303
    consent = db.session.scalars(select(MakerConsent)).one()
    assert consent.given_on == date(2026, 11, 2)
    assert leader.post(f"/retail/maker-consents/{consent.id}/revoke").status_code == 303
    db.session.expire_all()
    assert db.session.get(MakerConsent, consent.id).revoked_on is not None
    bad = leader.post("/retail/maker-consents", data={"person_id": person.id, "given_on": "2099-01-01"})
    assert bad.status_code == 400 and "ikke en dag i fremtiden" in bad.get_data(as_text=True)


def test_a_sale_at_the_till_shows_in_the_shops_list_at_once(app, client, shelf):
    """The list is kept rendered a few seconds (workshop/fragments.py); a stock movement forgets it."""
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 10
    site, brooch = shelf
    card = re.compile(rf'{re.escape(brooch.product.name_da)}</a></h2>.*?</div>', re.S)
    assert "På lager i Høje Gladsaxe" in card.search(client.get("/butik/").get_data(as_text=True)).group(0)
    stock.sell(site, brooch, 3)
    db.session.commit()
    assert "Udsolgt lige nu" in card.search(client.get("/butik/").get_data(as_text=True)).group(0)
