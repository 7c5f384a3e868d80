"""A buyer on a phone browses the webshop, puts a brooch in the cart and checks out to pay at pick-up;
she sees her order page. Staff on a tablet mark it collected, paid with MobilePay. Another pays by card on
Stripe's Checkout page (faked) and comes back to her order page, paid. One paid too late, when the brooch
was sold out: the leader sees it flagged. Every page axe-checked."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.payments import services as payments
from shop.payments.models import OnlinePayment
from shop.retail import stock, webshop
from shop.retail.models import Sale, SalePaymentMethod
from shop.retail.web_models import WebOrder, WebOrderStatus, WebPayment
from tests.shop.orders.test_b2b_journey_browser import CHECKOUT_PAGE, _send_webhook
from tests.shop.test_stripe import fake_stripe  # noqa: F401 - fixture
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TABLET = {"width": 768, "height": 1024}


def test_a_buyer_orders_on_her_phone_and_staff_hand_it_over(browser_login, page: Page, live_server, make_site,
                                                             make_user, retail_item):
    site = make_site(name="Høje Gladsaxe")
    staff = make_user(Role.STAFF, site=site)
    brooch = retail_item(unit_price_ore=7_960)
    brooch.product.name_da = "Broche med blomst"
    stock.produce(site, brooch, 3)
    db.session.commit()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/butik/")
    expect(page.get_by_role("heading", name="Lavet på vores værksteder")).to_be_visible()
    page.get_by_role("link", name="Broche med blomst").click()
    expect(page.get_by_text("3 på lager")).to_be_visible()
    page.get_by_label("Antal").fill("2")
    page.get_by_role("button", name="Læg i kurv").click()

    expect(page.get_by_text("Den er i din kurv.")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="199,00")).to_be_visible()
    page.get_by_label("Hent i").select_option(label="Høje Gladsaxe")
    page.get_by_label("Dit navn").fill("Sara Køber")
    page.get_by_label("E-mail").fill("sara@example.dk")
    page.get_by_label("Telefon").fill("20 12 34 56")
    page.get_by_role("button", name="Bestil").click()

    expect(page.get_by_role("heading", name="Din ordre W-1")).to_be_visible()
    expect(page.get_by_text("Modtaget. Vi pakker den")).to_be_visible()
    expect(page.get_by_text("Du betaler, når du henter")).to_be_visible()
    assert stock.available(site, brooch.product) == 1

    page.context.clear_cookies()
    page.set_viewport_size(TABLET)
    browser_login(page, staff)
    page.goto(f"{live_server.url}/retail/web-orders")
    expect(page.get_by_role("heading", name="Webordrer")).to_be_visible()
    page.get_by_label("Hun betalte med").select_option(label="MobilePay")
    page.get_by_role("button", name="Marker W-1 hentet").click()
    expect(page.get_by_text("Ordren er hentet.")).to_be_visible()

    db.session.expire_all()
    order = db.session.scalars(select(WebOrder)).one()
    assert order.status == WebOrderStatus.COLLECTED
    assert db.session.get(Sale, order.sale_id).payment_method == SalePaymentMethod.MOBILEPAY


def test_a_buyer_pays_by_card_on_stripe_and_her_order_page_says_paid(
        app, page: Page, live_server, monkeypatch, make_site, retail_item, fake_stripe):  # noqa: F811
    """Checkout with card: Stripe's Checkout page (faked as in the B2B journey) takes the money, the test
    posts the signed `checkout.session.completed`, and Stripe's return lands on her order page, paid."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server.url)
    site = make_site(name="Høje Gladsaxe")
    brooch = retail_item(unit_price_ore=7_960)
    brooch.product.name_da = "Broche med blomst"
    stock.produce(site, brooch, 3)
    db.session.commit()
    page.route("https://checkout.stripe.com/**",
               lambda route: route.fulfill(status=200, content_type="text/html", body=CHECKOUT_PAGE))

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/butik/p/{brooch.product.id}")
    page.get_by_label("Antal").fill("1")
    page.get_by_role("button", name="Læg i kurv").click()
    expect(page.get_by_text("Den er i din kurv.")).to_be_visible()
    page.get_by_label("Hent i").select_option(label="Høje Gladsaxe")
    page.get_by_label("Dit navn").fill("Sara Køber")
    page.get_by_label("E-mail").fill("sara@example.dk")
    page.get_by_label("Telefon").fill("20 12 34 56")
    page.get_by_label("Betal nu med kort").check()
    page.get_by_role("button", name="Bestil").click()

    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/"))
    expect(page.get_by_role("heading", name="Stripe Checkout (test)")).to_be_visible()
    db.session.expire_all()
    online = db.session.scalars(select(OnlinePayment)).one()
    assert page.url == online.url and online.amount_ore == 9_950
    assert stock.available(site, brooch.product) == 2  # reserved while she pays
    [(_path, _headers, fields)] = fake_stripe.requests
    next(session for session in fake_stripe.sessions if session["id"] == online.session_id).update(
        payment_status="paid", status="complete")
    db.session.rollback()  # no read transaction left open while the server writes
    _send_webhook(live_server.url, online.session_id, online.amount_ore, "evt_webshop")

    page.goto(fields["success_url"].replace("{CHECKOUT_SESSION_ID}", online.session_id))
    expect(page.get_by_role("heading", name="Din ordre W-1")).to_be_visible()
    expect(page.get_by_text("Betalt. Tak.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Kvittering nr\. "))).to_be_visible()
    db.session.expire_all()
    order = db.session.scalars(select(WebOrder)).one()
    assert order.status == WebOrderStatus.OPEN and order.sale.payment_method == SalePaymentMethod.STRIPE


def test_a_leader_sees_an_order_paid_after_its_reservation_lapsed_and_can_act_on_it(
        app, page: Page, live_server, browser_login, make_site, make_user, retail_item, fake_stripe):  # noqa: F811
    """Paid by card after the items were given back and sold out: flagged on the web orders with the way on
    (reserve again, or the refund form), and her order page says plainly the workshop will contact her."""
    site = make_site(name="Høje Gladsaxe")
    leader = make_user(Role.LEADER, site=site)
    brooch = retail_item(unit_price_ore=7_960)
    stock.produce(site, brooch, 1)
    cart = webshop.cart_rows(webshop.cart_set({}, brooch.key, 1))
    with app.test_request_context():
        order = webshop.place_order(site, cart, WebPayment.STRIPE, name="Sara Køber", email="sara@example.dk",
                                    phone="20123456")
        online = payments.start_online_payment(webshop.WEB_ORDER, order.id, None)
        webshop.release_if_unpaid(order, "lapsed")
        webshop.place_order(site, cart, WebPayment.AT_PICKUP, name="Eva", email="eva@example.dk", phone="20123457")
    payments.handle_event("evt_late", payments.COMPLETED, {"id": online.session_id, "payment_status": "paid",
                                                            "amount_total": 9_950, "currency": "dkk"})
    db.session.commit()
    token = order.token
    assert order.status == WebOrderStatus.PAID_LAPSED

    page.goto(f"{live_server.url}/butik/o/{token}")
    expect(page.get_by_text("Værkstedet kontakter dig")).to_be_visible()

    page.set_viewport_size(TABLET)
    browser_login(page, leader)
    page.goto(f"{live_server.url}/retail/web-orders")
    expect(page.get_by_text("Betalt efter at varerne blev givet fri")).to_be_visible()
    page.get_by_role("button", name="Læg varerne til W-1 til side igen").click()
    expect(page.get_by_text("Varerne er stadig ikke på lager.")).to_be_visible()
    page.get_by_text("Giv penge tilbage").click()
    expect(page.get_by_label("Beløb at give tilbage (kr.)")).to_be_visible()
