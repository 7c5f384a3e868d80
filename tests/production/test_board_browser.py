"""A leader on a phone opens a long board column by keyboard, moves a task from it, and finds a former
trainee on the people list's second tab."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from production import workorders
from staffing.models import PersonKind
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 640}


def test_a_leader_opens_a_long_column_and_finds_former_people(browser_login, page: Page, live_server, monkeypatch,
                                                              make_site, make_user, make_product, make_work_order,
                                                              make_person):
    monkeypatch.setattr(workorders, "BOARD_COLUMN_LIMIT", 2)
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    product = make_product(steps=((60, 0),))
    for number in range(3):
        make_work_order(site, product, quantity=5, due=date(2026, 12, 14) + timedelta(days=number),
                        label=f"Ordre 2026-00{number + 1}0 · poser")
    make_person(site=site, name="Nadia Nu")
    make_person(site=site, name="Tove Tidligere", kind=PersonKind.FORMER)
    db.session.commit()
    page.set_viewport_size(PHONE)
    browser_login(page, leader)

    page.goto(live_server.url + "/production/board")
    column = page.get_by_role("region", name="Åben")
    expect(column.locator(".task-card")).to_have_count(2)
    expect(column.get_by_text("Viser 2 af 3")).to_be_visible()
    show_all = column.get_by_role("link", name="Vis alle (Åben)")
    show_all.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/production/board?show=open")
    column = page.get_by_role("region", name="Åben")
    expect(column.locator(".task-card")).to_have_count(3)
    expect(column.get_by_text("Viser alle 3")).to_be_visible()

    last = column.locator(".task-card").filter(has_text="Ordre 2026-0030")
    last.get_by_label("Ny status").select_option(label="Planlagt")
    last.get_by_role("button", name="Skift").click()
    expect(page.get_by_text("Status er ændret.")).to_be_visible()
    expect(page.get_by_role("region", name="Planlagt").locator(".task-card")).to_have_count(1)

    page.goto(live_server.url + "/people/")
    expect(page.get_by_role("link", name="Nadia Nu")).to_be_visible()
    expect(page.get_by_role("link", name="Tove Tidligere")).to_have_count(0)
    page.get_by_role("link", name="Tidligere (1)").click()
    expect(page.get_by_role("link", name="Tidligere (1)")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Tove Tidligere")).to_be_visible()
