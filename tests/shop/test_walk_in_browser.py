"""A resident walks in with a jacket: at the desk's tablet the staff member makes her ticket, prints the
garment's tag and shows her the ticket's QR code; the resident's link shows the status and no personal data."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.models import RepairTicket, TicketStatus
from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db
from workshop.models import Role

from .test_repair_browser import _shot

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def public_address(app, live_server):
    """The resident's links point at the test server, as PUBLIC_BASE_URL would in production."""
    before = app.config.get("PUBLIC_BASE_URL")
    app.config["PUBLIC_BASE_URL"] = live_server.url
    yield live_server.url
    app.config["PUBLIC_BASE_URL"] = before


def test_the_desk_makes_a_walk_in_ticket_and_hands_over_the_tag_and_the_qr_code(
        browser_login, page: Page, live_server, public_address, repair_site, make_user):
    site = repair_site("gladsaxe")
    staff = make_user(Role.STAFF, site=site, name="Jonas Holm")
    page.set_viewport_size(TABLET)
    browser_login(page, staff)

    page.goto(f"{live_server.url}/repairs/")
    page.get_by_role("link", name="Reparation uden aftale").click()
    expect(page.get_by_role("heading", name="Reparation uden aftale")).to_be_visible()
    page.get_by_text("Jakke eller frakke", exact=True).click()
    page.get_by_label("Opsømning").check()
    page.get_by_label("Knap").check()
    page.get_by_label("Borgerens navn").fill("Birgit Walker")
    page.get_by_label("Telefon").fill("30 40 50 60")

    # Without the consent tick nothing is made, and the form says what to do.
    page.get_by_role("button", name="Lav billetten").click()
    expect(page.locator("#consent-error")).to_have_text(
        "Spørg borgeren, om vi må sende en sms eller e-mail om reparationen, og sæt flueben.")
    expect(page.get_by_label("Borgerens navn")).to_have_value("Birgit Walker")
    assert db.session.scalar(select(RepairTicket.id)) is None

    _shot(page, "walk-in-tablet-refused")
    page.get_by_label("Jeg har spurgt, og borgeren siger ja").check()
    page.get_by_role("button", name="Lav billetten").click()

    # The hand-over page: the tag for the garment, the QR code and link for the resident.
    expect(page.get_by_text("Billetten er lavet, og tøjet er modtaget.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Billet G-0001"))).to_be_visible()
    expect(page.locator("#ticket-status")).to_have_text("Bliver repareret")
    expect(page.locator("#resident-slip svg.qr")).to_be_visible()
    expect(page.locator("#resident-slip")).to_contain_text("105,00")
    link = page.locator("#ticket-link").get_attribute("href")
    assert link.startswith(f"{live_server.url}/t/")
    expect_no_sideways_scrolling(page)  # nothing sticks out sideways

    _shot(page, "walk-in-tablet-handover")
    page.get_by_role("link", name="Udskriv tøjmærke").click()
    expect(page.locator(".tag .number")).to_have_text("G-0001")
    expect(page.locator(".tag svg.qr-tag")).to_be_visible()
    page.go_back()
    expect(page.locator("#resident-slip")).to_be_visible()

    db.session.expire_all()
    ticket = db.session.scalar(select(RepairTicket))
    assert ticket.walk_in and ticket.slot_id is None and ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.consent_by_id == staff.id and link.endswith(ticket.token)

    # The resident opens her link on her own phone: the status, her repairs and price, nothing personal.
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(link)
    expect(phone.locator("#ticket-status")).to_contain_text("Bliver repareret")
    expect(phone.get_by_text("G-0001")).to_be_visible()
    expect(phone.get_by_text("Opsømning")).to_be_visible()
    expect(phone.locator("svg.qr")).to_be_visible()
    for personal in ("Birgit", "30 40 50 60", "Jonas Holm"):
        expect(phone.get_by_text(personal)).to_have_count(0)
    _shot(phone, "walk-in-phone-ticket")
    context.close()
