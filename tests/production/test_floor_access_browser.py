"""The shop floor works on a 320 px phone and with the text at 200 %: no sideways scrolling, every
button still on the screen."""
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.access import NARROW, assert_fits, zoom_text
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("text_percent", [100, 200])
def test_the_shop_floor_fits_a_320_px_screen(browser_login, page: Page, live_server, make_site, make_user, make_product,
                                             make_work_order, make_worker, text_percent):
    site = make_site()
    user = make_user(Role.TRAINEE, site=site, name="Amina K.")
    product = make_product(steps=((60, 0),))
    operation = product.routing[0].operation
    make_worker(site, [operation], user=user, name="Amina K.")
    make_work_order(site, product, quantity=40, due=date(2026, 12, 15), label="Ordre 2026-0042 · 40 poser")
    db.session.commit()
    page.set_viewport_size(NARROW)
    browser_login(page, user)
    page.goto(live_server.url + "/floor/")
    expect(page.get_by_role("heading", name="Mine opgaver i dag")).to_be_visible()
    zoom_text(page, text_percent)

    card = page.get_by_role("article", name=operation.name_da)
    card.get_by_text("Jeg arbejdede og lavede...").click()
    assert_fits(page, [card.get_by_role("button", name=f"Start: {operation.name_da}"),
                       card.get_by_role("spinbutton", name="Minutter arbejdet"),
                       card.get_by_role("spinbutton", name="Stykker lavet"), card.get_by_role("button", name="Gem")])
