"""On her phone, a company's buyer asks for a price on 500 gift bags with her logo and sees her order's timeline."""
import pytest
from playwright.sync_api import Page, expect

from tests.shop.orders.test_order_requests import png_bytes
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def uploads_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


def test_a_customer_requests_500_gift_bags_with_a_logo(page: Page, live_server, browser_login, make_site, make_user,
                                                       make_company, make_catalogue_product, tmp_path):
    site = make_site()
    make_user(Role.LEADER, site=site)
    _company, customer = make_company(name="Hotel Havblik")
    bag = make_catalogue_product()
    bag.name_da = "Gavepose"
    db.session.commit()
    logo = tmp_path / "havblik-logo.png"
    logo.write_bytes(png_bytes((120, 60)))

    page.set_viewport_size(PHONE)
    browser_login(page, customer)
    page.goto(live_server.url + "/orders/")
    expect(page.get_by_role("heading", name="Mine ordrer")).to_be_visible()
    page.get_by_role("link", name="Få en pris").click()
    first = page.locator("#line-1")
    first.get_by_label("Produkt", exact=True).select_option(label="Gavepose")
    first.get_by_label("Antal").fill("500")
    first.get_by_label("Tekst til broderi").fill("Havblik")
    first.get_by_label("Trådfarver").fill("Marineblå")
    first.get_by_label("Hvor på produktet").fill("Midt på forsiden")
    page.get_by_label("Hvornår skal du bruge det? (kan udelades)").fill("2026-12-18")
    page.get_by_label("Lav først en prøve").check()
    page.get_by_label("Logo (PNG eller JPEG, højst 5 MB)").set_input_files(str(logo))
    page.get_by_role("button", name="Få en pris").click()

    expect(page.get_by_text("Tak. Vi har din forespørgsel O-0001.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ordre O-0001")).to_be_visible()
    expect(page.get_by_text("500 × Gavepose")).to_be_visible()
    timeline = page.locator("#order-timeline")
    expect(timeline.locator("[aria-current=step]")).to_contain_text("Tilbud ønsket")
    expect(timeline.locator("[aria-current=step]")).to_contain_text("23. nov. 2026")
    expect(timeline).to_contain_text("Betalt")
    image = page.locator("img.order-logo")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 120
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
