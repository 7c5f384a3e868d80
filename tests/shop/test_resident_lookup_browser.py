"""A resident on her phone asks for her repairs: number, code from the SMS, her tickets (axe-checked,
320 px wide); and a leader erases her from the ticket page."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.models import OutboxMessage
from tests.browser.access import NARROW, assert_fits
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


def _sent_code() -> str:
    db.session.expire_all()
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "lookup_code"))
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_resident_sees_her_repairs_with_a_code(page: Page, live_server, repair_site, book):
    ticket = book(repair_site("ishoj"), name="Amina Testesen", phone="20 12 34 56")
    db.session.commit()
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/my-repairs")
    expect(page.get_by_role("heading", name="Se dine reparationer")).to_be_visible()
    page.get_by_label("Dit telefonnummer").fill("20 12 34 56")
    page.get_by_role("button", name="Send mig en kode").click()

    expect(page.get_by_role("heading", name="Skriv din kode")).to_be_visible()
    page.get_by_label("Koden").fill("000000" if _sent_code() != "000000" else "111111")
    page.get_by_role("button", name="Vis mine reparationer").click()
    expect(page.get_by_text("Koden er forkert").first).to_be_visible()
    page.get_by_label("Koden").fill(_sent_code())
    page.get_by_role("button", name="Vis mine reparationer").click()

    expect(page.get_by_role("heading", name="Dine reparationer")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(ticket.number))).to_be_visible()
    assert_fits(page, [page.get_by_role("link", name="Hent dine data (JSON)")])


def test_a_leader_erases_a_resident_from_the_ticket_page(browser_login, page: Page, live_server, repair_site, book,
                                                        make_user):
    site = repair_site("ishoj")
    ticket = book(site, name="Amina Testesen", phone="20 12 34 56")
    leader = make_user(Role.LEADER, site=site)
    db.session.commit()
    browser_login(page, leader)
    page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}")
    page.get_by_label("Skriv SLET for at bekræfte").fill("SLET")
    page.get_by_role("button", name="Slet beboeren").click()
    expect(page.get_by_text("Beboerens navn, telefon og e-mail er slettet.")).to_be_visible()
    expect(page.get_by_role("button", name="Slet beboeren")).to_have_count(0)
