"""A resident books two repairs on her phone and sees the QR ticket; the front desk receives the
garment; the workshop finishes the tasks; the ticket says it is ready and the outbox holds the message."""
import os
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from production.models import WorkOrder
from shop.models import OutboxMessage, RepairTicket
from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("REPAIRS_SHOTS_DIR")


def _shot(page: Page, name: str, full_page: bool = True) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)


def test_a_resident_books_on_her_phone_and_is_told_when_the_repair_is_ready(
        browser_login, page: Page, live_server, repair_site, make_user):
    site = repair_site("gladsaxe")
    staff = make_user(Role.STAFF, site=site, name="Jonas Holm")
    page.set_viewport_size(PHONE)

    # The resident books two repairs from the poster's QR code.
    page.goto(f"{live_server.url}/r/gladsaxe")
    expect(page.get_by_role("heading", name="Få dit tøj repareret")).to_be_visible()
    _shot(page, "book-phone-empty")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Repair your clothes")).to_be_visible()
    page.get_by_role("button", name="Dansk").click()
    expect(page.get_by_role("heading", name="Få dit tøj repareret")).to_be_visible()
    expect_no_sideways_scrolling(page)  # nothing sticks out sideways
    page.get_by_text("Bukser", exact=True).click()
    page.get_by_label("Opsømning").check()
    page.get_by_label("Ny lynlås").check()
    expect(page.locator("#total")).to_have_text(re.compile(r"230,00\s*kr\."))
    page.locator("input[name=slot]").first.check()
    page.get_by_label("Dit navn").fill("Amina Testesen")
    page.get_by_label("Telefon").fill("20 12 34 56")
    page.get_by_label("I må sende mig en sms eller e-mail om denne reparation.").check()
    _shot(page, "book-phone-filled")
    page.get_by_role("button", name="Book").click()

    expect(page.get_by_text("G-0001")).to_be_visible()
    expect(page.locator("#ticket-status")).to_contain_text("Booket")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_text("Amina")).to_have_count(0)
    ticket_url = page.url
    expect_no_sideways_scrolling(page)
    _shot(page, "ticket-phone-booked")

    # The front desk finds the ticket and receives the garment.
    browser_login(page, staff)
    page.goto(f"{live_server.url}/repairs/")
    page.get_by_label("Billetnummer, QR-kode eller telefon").fill(ticket_url)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name=re.compile("G-0001"))).to_be_visible()
    page.get_by_label("Skader eller noter").fill("Lille plet på venstre ben")
    _shot(page, "desk-phone-receive")
    page.get_by_role("button", name="Modtag tøjet").click()
    expect(page.get_by_text("Modtaget. Reparationen er nu på listen over opgaver.")).to_be_visible()
    expect(page.locator("#ticket-status")).to_contain_text("Bliver repareret")

    # The workshop marks both repair tasks done on the task board, in routing order.
    db.session.expire_all()
    ticket = db.session.scalar(select(RepairTicket).where(RepairTicket.number == "G-0001"))
    work_order = db.session.get(WorkOrder, ticket.work_order_id)
    assert len(work_order.tasks) == 2
    for task in work_order.tasks:
        page.goto(f"{live_server.url}/production/board")
        card = page.locator(".task-card").filter(has_text="G-0001").filter(has_text=task.operation.name_da)
        card.get_by_label("Ny status").select_option(label="Færdig")
        card.get_by_role("button", name="Skift").click()
        expect(page.locator(".task-card").filter(has_text="G-0001").filter(
            has_text=task.operation.name_da).get_by_text("Ny status")).to_have_count(0)  # done: nothing left to change

    # The resident's ticket now says ready, and the outbox holds her message.
    page.goto(ticket_url)
    expect(page.locator("#ticket-status")).to_contain_text("Klar til afhentning")
    expect(page.get_by_text("Dit tøj er klar. Kom og hent det.")).to_be_visible()
    _shot(page, "ticket-phone-ready")
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "ticket_ready"))
    assert message.recipient == "+4520123456" and "klar til afhentning" in message.body

    if SHOTS:  # desktop and print views, for a person to look at
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}")
        _shot(page, "desk-desktop-ready")
        page.goto(f"{live_server.url}/repairs/")
        _shot(page, "desk-desktop")
        page.set_viewport_size({"width": 820, "height": 1180})
        page.goto(f"{live_server.url}/r/gladsaxe")
        _shot(page, "book-tablet")
        page.emulate_media(media="print")
        page.goto(f"{live_server.url}/repairs/poster")
        _shot(page, "poster-print")
        page.goto(f"{live_server.url}/repairs/tickets/{ticket.id}/tag")
        _shot(page, "tag-print")
