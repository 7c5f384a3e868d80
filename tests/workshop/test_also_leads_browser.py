"""A leader of two workshops lets a colleague of her own workshop lead the other one too (axe checks the page)."""
import pytest
from playwright.sync_api import Page, expect

from workshop import services as core
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


def test_a_leader_adds_a_colleague_to_her_other_workshop(page: Page, live_server, make_site, make_user,
                                                          browser_login):
    west, north = make_site("vest", "Værksted Vest"), make_site("nord", "Værksted Nord")
    mette = make_user(Role.LEADER, site=west, name="Mette")
    hanne = make_user(Role.LEADER, site=west, name="Hanne")
    core.grant_also_leads(mette, north)
    db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, mette)
    page.goto(live_server.url + "/site")
    expect(page.get_by_role("heading", name="Ledere af flere værksteder")).to_be_visible()
    page.get_by_label("Leder af dette værksted").select_option(label=f"Hanne ({hanne.email})")
    page.get_by_label("Leder også").select_option(label="Værksted Nord")
    page.get_by_role("button", name="Tilføj").click()
    expect(page.get_by_text("Hanne leder nu også Værksted Nord.")).to_be_visible()
    expect(page.locator("#site-leaders")).to_contain_text("Hanne: Værksted Vest, Værksted Nord")
