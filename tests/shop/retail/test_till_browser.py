"""At the counter on a tablet: staff sell two products by MobilePay, print the receipt, take one back; the
leader counts the cash and closes the day."""
import pytest
from playwright.sync_api import Page, expect

from shop.retail import stock
from workshop.extensions import db

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def test_staff_sell_and_take_an_item_back_and_the_leader_closes_the_day(browser_login, page: Page, live_server, shelf,
                                                                         till_leader):
    site, staff, brooch, heart = shelf
    stock.sell(site, heart, 2)  # one heart left
    db.session.commit()
    page.set_viewport_size(TABLET)
    browser_login(page, staff)

    page.goto(f"{live_server.url}/till/")
    page.get_by_role("button", name=f"Læg {brooch.product.name_da} i kurven").click()
    page.get_by_role("button", name=f"Læg {heart.product.name_da} i kurven").click()
    expect(page.get_by_role("button", name=f"Læg {heart.product.name_da} i kurven")).to_be_disabled()
    expect(page.get_by_text("Ingen tilbage på hylden")).to_be_visible()
    page.get_by_label("Antal").first.fill("2")
    page.get_by_role("button", name="Ret antal").first.click()
    expect(page.get_by_text("249,00")).to_be_visible()
    page.get_by_label("MobilePay").check()
    page.get_by_role("button", name="Sælg").click()

    expect(page.get_by_role("heading", name=site.name)).to_be_visible()
    expect(page.get_by_text("Kvittering 1")).to_be_visible()
    page.get_by_role("link", name="58 mm").click()
    expect(page.locator("article.receipt-58mm")).to_be_visible()

    page.get_by_label(brooch.product.name_da).fill("1")
    page.get_by_label("Hvorfor kommer varerne tilbage?").fill("Forkert farve")
    page.get_by_label("Kontant").check()
    page.get_by_role("button", name="Tag varerne retur").click()
    expect(page.get_by_text("Returkvittering 2")).to_be_visible()

    page.get_by_role("link", name="Næste kunde").click()
    page.get_by_role("link", name="Dagens tal og lukning").click()
    expect(page.get_by_text("Lederen tæller kassen op og lukker dagen.")).to_be_visible()
    page.wait_for_load_state("networkidle")  # no answer still on its way that would set her cookie again
    page.context.clear_cookies()  # the leader takes the tablet
    browser_login(page, till_leader)
    page.goto(f"{live_server.url}/till/day")
    page.get_by_label("Kontanter talt op i skuffen nu (kr.)").fill("400,50")
    page.get_by_role("button", name="Luk dagen").click()
    expect(page.get_by_text("Dagen er lukket.")).to_be_visible()
    # 500,00 kr. change, one return of 99,50 kr. in cash: 400,50 kr. expected, no difference.
    expect(page.get_by_role("row", name="Forventet")).to_contain_text("400,50")
    expect(page.get_by_role("row", name="Difference 0,00 kr.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Lukkede dage som CSV til bogholderen").click()
    assert "400,50" in download.value.path().read_text(encoding="utf-8-sig")
