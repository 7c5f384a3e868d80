"""A business customer makes an API token on her page, copies it, uses it, and revokes it (axe checks each page)."""
import pytest
from playwright.sync_api import Page, expect

from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser


def test_a_customer_makes_and_revokes_a_token(page: Page, live_server, make_user, browser_login):
    customer = make_user(Role.CUSTOMER)
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 800})
    browser_login(page, customer)
    page.goto(live_server.url + "/account/api-tokens/")
    expect(page.get_by_role("heading", name="API-nøgler")).to_be_visible()
    page.get_by_label("Nøglens navn").fill("Vores ERP")
    page.get_by_role("button", name="Lav en nøgle").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("sw_")
    answer = page.request.get(live_server.url + "/api/v1/orders", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    page.get_by_role("button", name="Tilbagekald").click()
    expect(page.get_by_text("Nøglen Vores ERP er tilbagekaldt")).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)
    answer = page.request.get(live_server.url + "/api/v1/orders", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 401
