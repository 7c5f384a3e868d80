"""A leader logs in, switches to English and back, and logs out — in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.access import open_menu_on_small_screens
from workshop.models import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_leader_logs_in_switches_language_and_logs_out(page: Page, live_server, make_user, viewport):
    leader = make_user(Role.LEADER, name="Mette Lind")
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.get_by_label("E-mail").fill(leader.email)
    page.get_by_label("Adgangskode").fill("a-long-test-password")
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(live_server.url + "/login")
    page.goto(live_server.url + "/people/")
    expect(page.get_by_role("heading", name="Personer")).to_be_visible()

    open_menu_on_small_screens(page)
    page.get_by_label("Sprog").select_option("en")
    expect(page.get_by_role("heading", name="People")).to_be_visible()

    open_menu_on_small_screens(page)
    page.get_by_label("Language").select_option("da")
    expect(page.get_by_role("heading", name="Personer")).to_be_visible()

    open_menu_on_small_screens(page)
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    page.goto(live_server.url + "/people/")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
