"""A purchaser without a login opens the quote link on her phone, approves the proof and accepts."""
import pytest
from playwright.sync_api import Page, expect

from shop.orders import proofs
from shop.orders.models import OrderStatus
from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db

from .test_proofs import png
from .test_quotes import people, quoted  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_she_approves_the_proof_and_accepts_by_the_link(page: Page, live_server, quoted):  # noqa: F811
    order, quote, token, leader = quoted()
    proofs.upload_proof(order, leader, png(), "Logo på forsiden")
    db.session.commit()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/q/{token}")
    expect(page.get_by_role("heading", name=f"Tilbud {order.number}")).to_be_visible()
    expect_no_sideways_scrolling(page)

    page.get_by_label("Dit navn").fill("Karin Indkøber")
    page.get_by_role("button", name="Godkend prøven").click()
    expect(page.locator("#proof-1-decision")).to_contain_text("Godkendt")

    page.get_by_label("Dit navn").fill("Karin Indkøber")
    page.get_by_label("Jeg siger ja til tilbuddet for mit firma").check()
    page.get_by_role("button", name="Sig ja til tilbuddet").click()
    expect(page.locator("#quote-accepted")).to_contain_text("Karin Indkøber")
    db.session.expire_all()
    assert order.status == OrderStatus.ACCEPTED
