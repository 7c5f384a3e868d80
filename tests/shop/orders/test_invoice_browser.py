"""A customer reads her invoice on a phone and sees how to pay by bank transfer; the leader registers
the transfer and the invoice is paid (axe checks every page)."""
import pytest
from playwright.sync_api import Page, expect

from shop.orders import invoicing
from tests.shop.orders.invoice_fixtures import accepted_order, deliver, invoicing_site  # noqa: F401
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


def test_an_invoice_is_read_and_paid_by_bank_transfer(page: Page, live_server, accepted_order, make_user,
                                                       browser_login):
    order, user = accepted_order(deposit_percent=30)
    invoice = invoicing.invoices_of(order)[0]
    leader = make_user(Role.LEADER, site=order.site)
    db.session.commit()
    url = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    browser_login(page, user)
    page.goto(url + "/invoices/")
    page.get_by_role("link", name=f"Faktura {invoice.number}").click()
    expect(page.get_by_role("heading", name=f"Faktura {invoice.number}")).to_be_visible()
    expect(page.get_by_text("konto 0012345678").first).to_be_visible()
    page.locator("form[action='/logout']").first.evaluate("form => form.submit()")
    page.wait_for_url("**/login**")  # logged out before the next login

    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, leader)
    page.goto(url + "/invoices/")
    page.get_by_role("link", name="Registrér betaling").click()
    amount = f"{invoice.total_ore // 100},{invoice.total_ore % 100:02d}"
    page.get_by_label("Beløb (kr.)").fill(amount)
    page.get_by_label("Betalt den").fill("2026-11-23")
    page.get_by_label("Tekst fra banken").fill("Overførsel 4411")
    page.get_by_role("button", name="Registrér betaling").click()
    expect(page.get_by_text("Betalingen er registreret.")).to_be_visible()
    expect(page.get_by_text("Betalt. Tak.")).to_be_visible()
