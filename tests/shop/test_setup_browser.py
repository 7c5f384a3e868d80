"""A workshop set up from nothing: the site and its leader by the command line, then the leader in the
browser sets up a skill, an operation, a repair with a price and a drop-off time, and a resident books
that repair on her phone. No demo data: the database holds only what the migrations made."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD
from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import local_today

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _run(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output


def _open_set_up(page: Page, item: str) -> None:
    page.get_by_role("button", name="Opsætning").click()
    page.get_by_role("link", name=item).click()


def test_a_new_workshop_is_set_up_and_takes_its_first_booking(app, page: Page, live_server, browser_login):
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0  # nothing but the migrations
    _run(app, "create-site", "--slug", "brabrand", "--name", "Værkstedet Brabrand", "--capacity", "15",
         "--address", "Brabrand Centret 1, 8220 Brabrand")
    _run(app, "create-user", "--email", "leder@brabrand.example", "--name", "Lone Leder", "--role", "leader",
         "--site", "brabrand", "--password", TEST_PASSWORD)
    browser_login(page, db.session.scalar(select(User).where(User.email == "leder@brabrand.example")))

    # A skill, so the operation has one to need.
    _open_set_up(page, "Færdigheder")
    expect(page.get_by_text("Der er ingen færdigheder endnu")).to_be_visible()
    page.get_by_label("Kode").fill("lynlaase")
    page.get_by_label("Navn på dansk").fill("Lynlåse")
    page.get_by_label("Navn på engelsk").fill("Zips")
    page.get_by_role("button", name="Gem færdigheden").click()
    expect(page.get_by_text("Færdigheden er tilføjet: Lynlåse.")).to_be_visible()

    # The operation that does the repair, with that skill.
    _open_set_up(page, "Arbejdsgange")
    page.get_by_role("link", name="Ny arbejdsgang").click()
    page.get_by_label("Kode").fill("reparation_lynlaas")
    page.get_by_label("Navn på dansk").fill("Skift lynlås")
    page.get_by_label("Færdighed", exact=True).select_option(label="Lynlåse")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Arbejdsgang gemt: Skift lynlås.")).to_be_visible()

    # The repair residents will book, with its price.
    _open_set_up(page, "Reparationspriser")
    expect(page.get_by_text("Ingen reparationer på prislisten endnu.")).to_be_visible()
    page.get_by_role("link", name="Ny reparation").click()
    page.get_by_label("Kode").fill("ny_lynlaas")
    page.get_by_label("Navn på dansk").fill("Ny lynlås")
    page.get_by_label("Navn på engelsk").fill("New zip")
    page.get_by_label("Pris (kr.)").fill("150")
    page.get_by_label("Standardtid (minutter)").fill("45")
    page.get_by_label("Arbejdsgang", exact=True).select_option(label="Skift lynlås")
    page.get_by_role("button", name="Gem reparationen").click()
    expect(page.get_by_text("Reparationen er gemt: Ny lynlås.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Ny lynlås"))).to_contain_text("150,00")

    # A drop-off time the day after tomorrow.
    day = local_today() + timedelta(days=2)
    _open_set_up(page, "Afleveringstider")
    page.get_by_label("Dag", exact=True).fill(day.isoformat())
    page.get_by_label("Fra", exact=True).fill("10:00")
    page.get_by_label("Til", exact=True).fill("11:00")
    page.get_by_role("button", name="Tilføj tiden").click()
    expect(page.get_by_text("Afleveringstiden er tilføjet.")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()

    # A resident books the repair on her phone, from the poster's address.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/r/brabrand")
    expect(page.get_by_text("Værkstedet Brabrand")).to_be_visible()
    page.get_by_text("Jakke eller frakke", exact=True).click()
    page.get_by_label("Ny lynlås").check()
    page.get_by_label(re.compile("10:00–11:00")).check()
    page.get_by_label("Dit navn").fill("Sahra Prøve")
    page.get_by_label("Telefon").fill("20 12 34 56")
    page.get_by_label("I må sende mig en sms eller e-mail om denne reparation.").check()
    page.get_by_role("button", name="Book").click()

    expect(page.get_by_text("B-0001")).to_be_visible()
    expect(page.locator("#ticket-status")).to_contain_text("Booket")
    expect(page.get_by_role("listitem").filter(has_text="Ny lynlås")).to_contain_text("150,00")
    expect_no_sideways_scrolling(page)
