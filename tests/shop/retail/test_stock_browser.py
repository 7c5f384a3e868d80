"""A leader on a tablet sets a product's minimum and target, and creates the proposed restock work order."""
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from production.models import SourceKind, WorkOrder
from shop.retail import stock
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def test_a_leader_sets_levels_and_creates_the_proposed_restock(browser_login, page: Page, live_server, make_site,
                                                                make_user, retail_item):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    item = retail_item()
    stock.produce(site, item, 2)
    db.session.commit()
    page.set_viewport_size(TABLET)
    browser_login(page, leader)

    page.goto(f"{live_server.url}/retail/stock")
    expect(page.get_by_role("heading", name="Lager")).to_be_visible()
    levels = page.locator("section", has=page.get_by_role("heading", name="Minimum og mål"))
    levels.get_by_label("Produkt").select_option(item.key)
    levels.get_by_label("Minimum").fill("5")
    levels.get_by_label("Mål").fill("12")
    levels.get_by_role("button", name="Gem niveauer").click()

    expect(page.get_by_text("Niveauerne er gemt.")).to_be_visible()
    expect(page.get_by_text("lav 10.")).to_be_visible()
    page.get_by_role("button", name=f"Opret arbejdsordre til lager for {item.product.name_da}").click()
    expect(page.get_by_text("Arbejdsordren til lageret er oprettet og frigivet.")).to_be_visible()
    expect(page.get_by_text("Intet at genopfylde")).to_be_visible()

    db.session.expire_all()
    work_order = db.session.scalars(select(WorkOrder)).one()
    assert (work_order.source_kind, work_order.quantity) == (SourceKind.RESTOCK, 10)
