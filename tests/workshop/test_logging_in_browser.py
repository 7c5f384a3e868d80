"""A leader sets up two-factor login and logs in with a code; someone who forgot her password
chooses a new one by the link in her e-mail. Each page is checked by axe-core (the page fixture)."""
import re
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shop.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import utcnow

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 800}


def _log_out(page: Page) -> None:
    page.locator("form[action='/logout']").first.evaluate("form => form.submit()")
    page.wait_for_url("**/login**")


def _password_step(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def test_a_leader_sets_up_two_factor_login_and_logs_in_with_a_code(page: Page, live_server, make_user,
                                                                   browser_login, clock):
    url = live_server.url
    page.set_viewport_size(NARROW)
    leader = make_user(Role.LEADER)
    browser_login(page, leader)
    page.goto(url + "/account")
    expect(page.get_by_role("heading", name="Min konto")).to_be_visible()
    page.get_by_role("link", name="Slå totrinslogin til").click()
    expect(page.get_by_role("img", name="QR-kode til din godkendelses-app")).to_be_visible()
    secret = page.locator(".totp-secret").inner_text()
    page.get_by_label("Kode fra appen").fill("000000")
    page.get_by_role("button", name="Slå totrinslogin til").click()
    expect(page.get_by_text("Koden er forkert.")).to_be_visible()
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).at(utcnow()))
    page.get_by_role("button", name="Slå totrinslogin til").click()
    expect(page.get_by_role("heading", name="Dine reservekoder")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    _log_out(page)

    clock.shift(timedelta(seconds=60))  # the next code from the app
    _password_step(page, url, leader.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Kode til at logge ind")).to_be_visible()
    page.get_by_label("Kode", exact=True).fill(pyotp.TOTP(secret).at(utcnow()))
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(url + "/account")
    expect(page.get_by_text("Totrinslogin er slået til")).to_be_visible()


def test_someone_who_forgot_her_password_chooses_a_new_one_by_the_link(page: Page, live_server, make_user):
    url = live_server.url
    page.set_viewport_size(NARROW)
    staff = make_user(Role.STAFF)
    page.goto(url + "/login")
    page.get_by_role("link", name="Glemt din adgangskode?").click()
    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_role("button", name="Send mig et link").click()
    expect(page.get_by_text("Hvis adressen har et login")).to_be_visible()

    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
    link = re.search(r"https?://\S+/password/reset/[A-Za-z0-9_-]+", message.body).group(0)
    page.goto(url + link[link.index("/password/"):])
    page.get_by_label("Ny adgangskode", exact=True).fill("password")
    page.get_by_label("Ny adgangskode igen").fill("password")
    page.get_by_role("button", name="Gem den nye adgangskode").click()
    expect(page.get_by_text("for let at gætte")).to_be_visible()
    page.get_by_label("Ny adgangskode", exact=True).fill("tre grønne sofaer")
    page.get_by_label("Ny adgangskode igen").fill("tre grønne sofaer")
    page.get_by_role("button", name="Gem den nye adgangskode").click()
    expect(page.get_by_text("Din nye adgangskode er gemt.")).to_be_visible()

    _password_step(page, url, staff.email, "tre grønne sofaer")
    expect(page).not_to_have_url(re.compile(r"/login"))
