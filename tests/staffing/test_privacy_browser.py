"""A leader in a real browser: her data page (axe-checked), the ZIP and the audit trail download, and
erasing a person after typing SLET."""
import io
import zipfile
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from staffing import services
from tests.browser.access import NARROW, assert_fits
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def hodan(make_user, make_person, make_course):
    leader = make_user(Role.LEADER, name="Mette Lind")
    person = make_person(site=leader.site, name="Hodan F.", phone="20 30 40 50")
    make_course(person, start=local_today() - timedelta(days=30))
    services.save_accommodation(person, services.AccommodationData(max_lift_kg=5), leader)
    db.session.commit()
    return leader, person


def test_a_leader_downloads_her_data_and_audit_trail_then_erases_her(browser_login, page: Page, live_server, hodan):
    leader, person = hodan
    browser_login(page, leader)
    page.goto(f"{live_server.url}/people/{person.id}/accommodations")
    page.goto(f"{live_server.url}/people/{person.id}")
    page.get_by_role("link", name="Hendes data").click()
    expect(page.get_by_role("heading", name="Hvem har læst hendes helbredsdata")).to_be_visible()
    expect(page.get_by_role("cell", name="Mette Lind")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Hent hendes data (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "Hodan F." in archive.read("summary.html").decode()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent hele hendes revisionsspor (CSV)").click()
    assert "accommodations.read" in open(download.value.path(), encoding="utf-8-sig").read()

    page.get_by_role("button", name="Slet personen").click()
    expect(page.get_by_text("Skriv SLET for at bekræfte.").first).to_be_visible()  # the 400 page, axe-checked
    page.get_by_label("Skriv SLET for at bekræfte").fill("SLET")
    page.get_by_role("button", name="Slet personen").click()
    expect(page.get_by_role("heading", name=f"Slettet person {person.id}")).to_be_visible()


def test_her_data_page_fits_a_320_px_screen(browser_login, page: Page, live_server, hodan):
    leader, person = hodan
    page.set_viewport_size(NARROW)
    browser_login(page, leader)
    page.goto(f"{live_server.url}/people/{person.id}/privacy")
    assert_fits(page, [page.get_by_role("button", name="Hent hendes data (ZIP)"),
                       page.get_by_label("Skriv SLET for at bekræfte"),
                       page.get_by_role("button", name="Slet personen")])
