"""A resident books a repair with the keyboard alone; the booking page works at 320 px and with
the text at 200 %; the printed tag and poster are black on white."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.access import (
    NARROW, assert_fits, choose_radio, printed_text_not_black, tab_to, zoom_text,
)
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


def test_a_resident_books_a_repair_with_the_keyboard_alone(page: Page, live_server, repair_site):
    repair_site("gladsaxe")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/r/gladsaxe")

    choose_radio(page, page.locator("input[name=garment]"), page.get_by_label("Bukser", exact=True))
    tab_to(page, page.get_by_label("Opsømning"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Ny lynlås"))
    page.keyboard.press("Space")
    expect(page.locator("#total")).to_have_text(re.compile(r"230,00\s*kr\."))
    choose_radio(page, page.locator("input[name=slot]"), page.locator("input[name=slot]").first)
    tab_to(page, page.get_by_label("Dit navn"))
    page.keyboard.type("Amina Testesen")
    tab_to(page, page.get_by_label("Telefon"))
    page.keyboard.type("20 12 34 56")
    tab_to(page, page.get_by_label("I må sende mig en sms eller e-mail om denne reparation."))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Book"))
    page.keyboard.press("Enter")

    expect(page.locator("#ticket-status")).to_contain_text("Booket")
    expect(page.get_by_role("status")).to_contain_text("Booket")  # read out by a screen reader
    expect(page.get_by_text("G-0001")).to_be_visible()


def test_a_booking_error_is_announced_and_tied_to_its_field(page: Page, live_server, repair_site):
    repair_site("gladsaxe")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/r/gladsaxe")
    tab_to(page, page.get_by_role("button", name="Book"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert").first).to_be_visible()
    name = page.get_by_label("Dit navn")
    expect(name).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + name.get_attribute("aria-describedby"))
    expect(message).to_be_visible()
    expect(name).to_have_accessible_description(message.inner_text())


@pytest.mark.parametrize("text_percent", [100, 200])
def test_the_booking_page_fits_a_320_px_screen(page: Page, live_server, repair_site, text_percent):
    repair_site("gladsaxe")
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/r/gladsaxe")
    zoom_text(page, text_percent)
    assert_fits(page, [page.get_by_text("Bukser", exact=True), page.get_by_label("Opsømning"),
                       page.locator("input[name=slot]").first, page.get_by_label("Dit navn"),
                       page.get_by_role("button", name="Book")])


def test_the_garment_tag_and_the_poster_print_black_on_white(browser_login, page: Page, live_server, repair_site,
                                                              book, make_user):
    site = repair_site("gladsaxe")
    ticket = book(site)
    db.session.commit()
    browser_login(page, make_user(Role.STAFF, site=site))

    for path in (f"/repairs/tickets/{ticket.id}/tag", "/repairs/poster"):
        page.emulate_media(media="screen")
        page.goto(live_server.url + path)
        assert printed_text_not_black(page) == [], path

