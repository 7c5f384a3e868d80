"""A trainee records work on the workshop tablet; the leader's board and task page show it."""
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.access import open_menu_on_small_screens
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}



def _log_out(page: Page) -> None:
    open_menu_on_small_screens(page)
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()


def test_trainee_records_work_on_a_tablet_and_the_leader_sees_it(browser_login, page: Page, live_server, make_site, make_user,
                                                                  make_product, make_work_order, make_worker):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    trainee_user = make_user(Role.TRAINEE, site=site, name="Amina K.")
    product = make_product(steps=((60, 0),))
    operation = product.routing[0].operation
    worker = make_worker(site, [operation], user=trainee_user, name="Amina K.")
    make_work_order(site, product, quantity=40, due=date(2026, 12, 15), label="Ordre 2026-0042 · 40 poser")
    db.session.commit()
    page.set_viewport_size(TABLET)

    browser_login(page, trainee_user)
    page.goto(live_server.url + "/floor/")
    expect(page.get_by_role("heading", name="Mine opgaver i dag")).to_be_visible()
    card = page.get_by_role("article", name=operation.name_da)
    expect(card.get_by_text("0 af 40")).to_be_visible()
    card.get_by_role("button", name=f"Start: {operation.name_da}").click()
    expect(page.get_by_role("heading", name=f"Arbejder nu: {operation.name_da}")).to_be_visible()

    card = page.get_by_role("article", name=operation.name_da)
    card.get_by_text("Jeg arbejdede og lavede...").click()
    card.get_by_role("spinbutton", name="Minutter arbejdet").fill("30")
    card.get_by_role("spinbutton", name="Stykker lavet").fill("12")
    card.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Gemt: 30 minutter og 12 stykker.")).to_be_visible()
    expect(page.get_by_role("article", name=operation.name_da).get_by_text("12 af 40")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Arbejder nu: {operation.name_da}")).to_have_count(0)
    _log_out(page)

    browser_login(page, leader)
    page.goto(live_server.url + "/production/board")
    column = page.get_by_role("region", name="I gang")
    expect(column.get_by_text("12 af 40")).to_be_visible()
    expect(column.get_by_text("30 min. bogført")).to_be_visible()
    column.get_by_role("link", name=operation.name_da).click()
    expect(page.locator("#minutes-booked")).to_have_text("30")
    expect(page.get_by_role("cell", name="Amina K.")).to_be_visible()

    # The hours ledger has her 30 minutes, as training (she has no paid employment), for this order.
    page.goto(f"{live_server.url}/hours/person/{worker.id}")
    expect(page.locator("[data-sum=training]")).to_have_text("0,5")
    row = page.get_by_role("row").filter(has_text="Ordre 2026-0042")
    expect(row.get_by_role("cell", name="30", exact=True)).to_be_visible()
