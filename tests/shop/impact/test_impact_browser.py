"""A leader opens the impact page, changes the period and reads the figures (axe checks every page)."""
import pytest
from playwright.sync_api import Page, expect

from workshop.extensions import db

pytestmark = pytest.mark.browser


def test_a_leader_changes_the_period_and_reads_the_figures(page: Page, live_server, impact_data, browser_login):
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, impact_data.leader)
    page.goto(live_server.url + "/impact/")
    expect(page.get_by_role("heading", name="Effekt")).to_be_visible()
    expect(page.locator("#impact-demand")).to_contain_text("1.780,00")  # this month: November 2026
    page.get_by_label("Periode", exact=True).select_option("month")
    page.get_by_label("En dag i perioden").fill("2026-10-15")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#impact-period")).to_contain_text("1. okt. 2026")
    expect(page.locator("#impact-wages")).to_contain_text("50,00")  # Anna's hour on 30 October
    page.get_by_label("Periode", exact=True).select_option("quarter")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#impact-people")).to_contain_text("0,4444")  # hours 1, 2, 4, 11: 32 / 72
    expect(page.locator("#impact-distribution")).to_contain_text("11,00")
    expect(page.get_by_role("img", name="Søjlediagram: løntimer pr. kvinde, færrest først. "
                                        "Tallene står i tabellen ved siden af.")).to_be_visible()
