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
    expect(page.get_by_role("heading", level=1, name="Effekt")).to_be_visible()
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


def test_a_leader_of_two_sites_chooses_all_her_sites(page: Page, live_server, impact_data, leader_of_two,
                                                    browser_login):
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, leader_of_two)
    page.goto(live_server.url + "/impact/?period=month&day=2026-11-10")
    expect(page.locator("#impact-demand tbody tr").last).to_contain_text("1.780,00")  # her own site first
    page.get_by_label("Værksted", exact=True).select_option(label="Alle mine værksteder")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Værksted Nord")
    expect(page.locator("#impact-demand tbody tr").last).to_contain_text("1.980,00")  # both sites together
    expect(page.locator("#impact-people")).to_contain_text("0,3933")
    page.get_by_label("Værksted", exact=True).select_option(label="Værksted Nord")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#impact-demand tbody tr").last).to_contain_text("200,00")


def test_csv_totals_match_the_page_and_the_customer_reads_her_statement(page: Page, live_server, impact_data,
                                                                        browser_login):
    from shop.impact import public

    public.clear_cache()
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, impact_data.leader)
    page.goto(live_server.url + "/impact/")
    page.get_by_label("Periode", exact=True).select_option("month")
    page.get_by_label("En dag i perioden").fill("2026-11-10")
    page.get_by_role("button", name="Vis").click()
    total = page.locator("#impact-demand tbody tr").last
    expect(total).to_contain_text("1.780,00")
    expect(total).to_contain_text("6")
    with page.expect_download() as download_info:
        page.locator("a[href*='/impact/demand.csv']").click()
    text = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert text.strip().splitlines()[-1].endswith(";6;1780,00")  # the page's total, with a decimal comma
    with page.expect_download() as download_info:
        page.locator("a[href*='/impact/hours.csv']").click()
    hours_csv = open(download_info.value.path(), encoding="utf-8-sig").read()
    expect(page.locator("#impact-hours tbody tr").last).to_contain_text("27,00")
    assert hours_csv.strip().splitlines()[-1].endswith(";10,00;17,00;27,00")
    page.get_by_role("button", name="Slå den offentlige side til").click()
    expect(page.get_by_text("Den offentlige side om effekt er slået til.")).to_be_visible()
    page.goto(live_server.url + "/impact/annual?year=2026")
    expect(page.get_by_role("heading", name="Årsrapport om effekt 2026")).to_be_visible()
    page.locator("form[action='/logout']").first.evaluate("form => form.submit()")
    page.wait_for_url("**/login**")
    page.goto(live_server.url + f"/impact/public/{impact_data.site.slug}?year=2026")
    expect(page.locator("#public-women")).to_have_text("4")
    page.set_viewport_size({"width": 320, "height": 800})
    browser_login(page, impact_data.customers[0])
    page.goto(live_server.url + f"/orders/{impact_data.orders[0].id}")
    expect(page.locator("#impact-statement")).to_contain_text("11 timer med løn for 1 kvinde")
    expect(page.locator("#impact-statement")).not_to_contain_text("550,00")
    page.get_by_role("link", name="Alle jeres ordrer i år").click()
    expect(page.locator("#company-summary")).to_contain_text("14 timers arbejde")
    public.clear_cache()


def test_a_trainee_reads_her_own_hours(page: Page, live_server, impact_data, browser_login, make_user):
    from workshop.models import Role

    eva = impact_data.people[4]
    eva.user = make_user(Role.TRAINEE, site=impact_data.site)
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 800})
    browser_login(page, eva.user)
    page.goto(live_server.url + "/impact/mine")
    expect(page.get_by_role("heading", level=1, name="Mine timer 2026")).to_be_visible()
    expect(page.locator("#impact-mine")).to_contain_text("2026-11")
