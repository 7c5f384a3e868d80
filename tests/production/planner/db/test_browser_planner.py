"""A leader plans next week, pins a task, re-plans and accepts; the trainee sees her days on her phone."""
import pytest
from playwright.sync_api import Page, expect

from workshop.models import Role

pytestmark = pytest.mark.browser


def log_in(page: Page, url: str, user) -> None:
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill("a-long-test-password")
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(url + "/login")


def test_leader_plans_pins_replans_and_the_trainee_sees_her_plan(page: Page, live_server, make_site, make_user, week):
    site = make_site()
    leader = make_user(Role.LEADER, site=site, name="Mette Lind")
    trainee = make_user(Role.TRAINEE, site=site, name="Anna")
    week(site, user=trainee)

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, leader)
    page.goto(live_server.url + "/production/planner/")
    expect(page.get_by_role("heading", name="Planlæg ugen")).to_be_visible()
    page.get_by_label("Budget for lønnede timer").fill("2")
    page.get_by_role("button", name="Planlæg ugen").click()
    expect(page.get_by_text("Kladde")).to_be_visible()
    expect(page.get_by_role("link", name="Anna")).to_be_visible()
    page.get_by_role("button", name="Fastlås").first.click()
    expect(page.get_by_text("fastlåst")).to_be_visible()
    page.get_by_label("Budget for lønnede timer").fill("1")
    page.get_by_role("button", name="Planlæg igen").click()
    expect(page.get_by_text("fastlåst")).to_be_visible()
    expect(page.get_by_text("Budget for lønnede timer: 1")).to_be_visible()
    page.screenshot(path="/tmp/shots-planner/board-desktop.png", full_page=True)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.screenshot(path="/tmp/shots-planner/board-tablet.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/shots-planner/board-phone.png", full_page=True)
    page.get_by_role("button", name="Godkend planen").click()
    expect(page.get_by_text("Godkendt")).to_be_visible()
    page.get_by_role("link", name="Anna").click()
    expect(page.get_by_text("Ordre 2026-0042").first).to_be_visible()
    page.screenshot(path="/tmp/shots-planner/sheet-tablet.png", full_page=True)
    page.context.clear_cookies()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, trainee)
    page.goto(live_server.url + "/production/planner/mine")
    expect(page.get_by_role("heading", name="Min plan")).to_be_visible()
    expect(page.get_by_text("Ordre 2026-0042").first).to_be_visible()
    page.screenshot(path="/tmp/shots-planner/trainee-phone.png", full_page=True)


def test_leader_watches_the_optimised_plan_being_searched_for(page: Page, live_server, app, make_site, make_user, week,
                                                              background, monkeypatch):
    monkeypatch.setitem(app.config, "PLANNER_SECONDS", 3.0)  # a real local worker process, long enough to watch
    site = make_site()
    leader = make_user(Role.LEADER, site=site, name="Mette Lind")
    week(site)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, leader)
    page.goto(live_server.url + "/production/planner/")
    page.get_by_label("Budget for lønnede timer").fill("2")
    page.get_by_role("button", name="Planlæg ugen").click()
    page.get_by_role("button", name="Optimér").click()
    expect(page.get_by_text("Leder efter en bedre plan.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Fremskridt")).to_be_visible()
    expect(page.get_by_role("link", name="Anna")).to_be_visible()  # the best plan so far
    expect(page.get_by_role("button", name="Godkend planen")).to_have_count(0)
    page.screenshot(path="/tmp/shots-planner/computing-phone.png", full_page=True)
    expect(page.get_by_text("Optimeret")).to_be_visible(timeout=60_000)  # the page reloaded by itself
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.get_by_role("button", name="Godkend planen")).to_be_visible()
