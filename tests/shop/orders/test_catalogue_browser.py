"""A leader offers a product to companies with prices by quantity; a buyer sees it on her phone."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_a_leader_offers_a_product_and_a_buyer_sees_it_on_her_phone(
        page: Page, live_server, browser_login, make_user, make_product, make_company):
    product = make_product()
    product.name_da, product.name_en = "Gavepose med logo", "Gift bag with logo"
    _company, buyer = make_company(name="Tekstil A/S")
    leader = make_user(Role.LEADER)
    db.session.commit()

    browser_login(page, leader)
    page.get_by_role("button", name="Opsætning").click()
    page.get_by_role("link", name="Katalog for virksomheder").click()
    page.get_by_role("link", name="Ret Gavepose med logo").click()
    page.get_by_label("Alle erhvervskunder").check()
    page.get_by_label("Beskrivelse på dansk").fill("Gavepose i bomuld med jeres logo.")
    for row, (quantity, price) in enumerate([("1", "45"), ("50", "39"), ("200", "32")], start=1):
        page.get_by_label(f"Fra antal, række {row}").fill(quantity)
        page.get_by_label(f"Stykpris uden moms (kr.), række {row}").fill(price)
    page.get_by_role("button", name="Gem i kataloget").click()
    expect(page.get_by_text("Kataloget er gemt: Gavepose med logo.")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()

    page.set_viewport_size(PHONE)
    browser_login(page, buyer)
    page.goto(f"{live_server.url}/catalogue/")
    card = page.get_by_role("article").filter(has_text="Gavepose med logo")
    expect(card).to_contain_text("Gavepose i bomuld med jeres logo.")
    expect(card).to_contain_text("arbejdsdage")
    expect(card.get_by_role("row", name=re.compile("50–199"))).to_contain_text("39,00")
    expect(card.get_by_role("row", name=re.compile("50–199"))).to_contain_text("9,75")  # VAT beside
    expect(card.get_by_role("row", name=re.compile("200\\+"))).to_contain_text("32,00")
    expect(card.get_by_role("link", name=re.compile("Bed om et tilbud"))).to_have_attribute(
        "href", f"/orders/new?product={product.id}")
    expect_no_sideways_scrolling(page)
