"""A customer registers her company on a phone, a leader approves it, she invites a colleague,
and the colleague joins by the link from the outbox."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.models import OutboxMessage
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "museets-adgangskode"


def _log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def _log_out(page: Page) -> None:
    page.locator("form[action='/logout']").first.evaluate("form => form.submit()")
    page.wait_for_url("**/login**")  # logged out before the next login
    page.wait_for_url(re.compile(r"/login"))


def test_a_company_registers_is_approved_and_invites_a_colleague(page: Page, live_server, make_user, browser_login):
    url = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(url + "/login")
    page.get_by_role("link", name="Tilmeld dit firma").click()
    page.get_by_label("Virksomhed", exact=True).fill("Byens Museum")
    page.get_by_label("CVR-nummer").fill("23456780")
    page.get_by_label("EAN-nummer (kun offentlige institutioner)").fill("5798000123458")
    page.get_by_label("Adresse til fakturaen").fill("Museumsgade 1, 1100 København K")
    page.get_by_label("Dit navn").fill("Per Vang")
    page.get_by_label("Din e-mail").fill("per@museum.example")
    page.get_by_label("Vælg en adgangskode (mindst 8 tegn)").fill(PASSWORD)
    page.get_by_role("button", name="Tilmeld firmaet").click()
    expect(page.get_by_text("CVR-nummeret passer ikke. Tjek cifrene.")).to_be_visible()
    page.get_by_label("CVR-nummer").fill("23456788")
    page.get_by_label("Vælg en adgangskode (mindst 8 tegn)").fill(PASSWORD)
    page.get_by_role("button", name="Tilmeld firmaet").click()
    expect(page.get_by_text("Tak. Værkstedet ser på din tilmelding.")).to_be_visible()

    _log_in(page, url, "per@museum.example", PASSWORD)
    expect(page.get_by_text("Dit firma venter på at blive godkendt.")).to_be_visible()
    _log_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, make_user(Role.LEADER))
    page.goto(url + "/companies/registrations")
    page.get_by_role("link", name="Byens Museum").click()
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_text("Godkendt. Hun kan nu logge ind")).to_be_visible()
    _log_out(page)

    page.set_viewport_size(PHONE)
    _log_in(page, url, "per@museum.example", PASSWORD)
    expect(page.get_by_role("heading", name="Byens Museum")).to_be_visible()
    page.get_by_label("Din kollegas e-mail").fill("kim@museum.example")
    page.get_by_role("button", name="Send invitationen").click()
    expect(page.get_by_text("Invitationen er sendt.")).to_be_visible()
    _log_out(page)

    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "kim@museum.example"))
    link = re.search(r"https?://\S+/companies/join/\S+", message.body).group(0)
    page.goto(url + link[link.index("/companies/join/"):])
    page.get_by_label("Dit navn").fill("Kim Kollega")
    page.get_by_label("Vælg en adgangskode (mindst 8 tegn)").fill("kims-adgangskode")
    page.get_by_role("button", name="Bliv en del af firmaet").click()
    expect(page.get_by_text("Velkommen.")).to_be_visible()
    _log_in(page, url, "kim@museum.example", "kims-adgangskode")
    expect(page.get_by_role("heading", name="Byens Museum")).to_be_visible()
    expect(page.get_by_text("Per Vang")).to_be_visible()
