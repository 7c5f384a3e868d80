"""A buyer on a phone browses the webshop, puts a brooch in the cart and checks out to pay at pick-up;
she sees her order page. Staff on a tablet mark it collected, paid with MobilePay. Every page axe-checked."""
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.retail import stock
from shop.retail.models import Sale, SalePaymentMethod
from shop.retail.web_models import WebOrder, WebOrderStatus
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
