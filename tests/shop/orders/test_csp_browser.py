"""Issue 14: the main pages load with the Content-Security-Policy on and the browser refuses nothing
(no inline script or style left), while the page's own JavaScript and Bootstrap's still work."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD  # noqa: F401 - the password browser_login types
from workshop.models import Role

from .test_quotes import people, quoted  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _watch_console(page: Page) -> list[str]:
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url


def test_the_main_pages_break_no_rule_of_the_content_security_policy(
        page: Page, live_server, browser_login, quoted, repair_site, make_user):  # noqa: F811
    messages = _watch_console(page)
    order, _quote, token, leader = quoted()
    site = repair_site("csp")

    _open(page, f"{live_server.url}/login")
    browser_login(page, leader)  # the leader's start page
    _open(page, f"{live_server.url}/")
    page.set_viewport_size({"width": 390, "height": 800})
    page.get_by_role("button", name="Menu").click()  # Bootstrap's own JavaScript opens the menu
    expect(page.locator("#main-nav")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, f"{live_server.url}/orders/{order.id}")
    expect(page.get_by_role("heading", name=re.compile(order.number))).to_be_visible()
    page.locator("#nav-locale").select_option("en")  # static/js/stitchwork.js sends the form
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_load_state()  # stitchwork.js listens to the menu only once the page has loaded it
    page.locator("#nav-locale").select_option("da")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    _open(page, f"{live_server.url}/q/{token}")

    # The repair booking page counts the price (static/js/repair-booking.js) and leads to the ticket.
    staff = make_user(Role.STAFF, site=site)
    assert staff
    _open(page, f"{live_server.url}/r/csp")
    page.get_by_text("Bukser", exact=True).click()
    page.get_by_label("Opsømning").check()
    expect(page.locator("#total")).to_have_text(re.compile(r"80,00\s*kr\."))
    page.locator("input[name=slot]").first.check()
    page.get_by_label("Dit navn").fill("Amina Testesen")
    page.get_by_label("Telefon").fill("20 12 34 56")
    page.get_by_label("I må sende mig en sms eller e-mail om denne reparation.").check()
    page.get_by_role("button", name="Book").click()
    expect(page.locator("svg.qr")).to_be_visible()  # the ticket page
    page.reload()

    refused = [message for message in messages if "Content Security Policy" in message]
    assert not refused, "\n".join(refused)
    assert not [message for message in messages if "Uncaught" in message or "Error" in message], messages
