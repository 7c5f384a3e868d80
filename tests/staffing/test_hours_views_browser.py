"""A leader books paid hours for a småjob person, sees the sum, and opens the payroll export."""
import pytest
from playwright.sync_api import Page, expect

from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_leader_books_paid_hours_and_opens_the_payroll_export(browser_login, page: Page, live_server, make_user, make_person, viewport):
    leader = make_user(Role.LEADER, name="Mette Lind")
    make_person(site=leader.site, name="Amina A.", employment_wage_ore=13_500)
    db.session.commit()
    page.set_viewport_size(viewport)
    browser_login(page, leader)

    page.goto(live_server.url + "/hours/book")
    expect(page.get_by_role("heading", name="Book timer")).to_be_visible()
    page.get_by_label("Person").select_option(label="Amina A.")
    page.get_by_label("Dato").fill(local_today().isoformat())
    page.get_by_label("Minutter").fill("90")
    page.get_by_label("Type").select_option(label="Lønnet")
    page.get_by_label("Reference (kan udelades)").fill("Ordre 2026-0042")
    page.get_by_role("button", name="Book timer").click()

    expect(page.get_by_text("90 minutter er booket for Amina A.")).to_be_visible()
    expect(page.get_by_role("heading", name="Amina A.")).to_be_visible()
    expect(page.locator("[data-sum=paid]")).to_have_text("1,5")
    expect(page.locator("[data-sum=amount]")).to_contain_text("202,50")

    page.get_by_role("link", name="Lønudtræk").click()
    expect(page.get_by_role("heading", name="Lønudtræk")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Amina A.")
    expect(row).to_contain_text("1,50")
    expect(row).to_contain_text("202,50")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("loentimer-") and download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "Amina A.;1,50;135,00;202,50" in text
