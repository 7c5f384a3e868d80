"""Real-browser journeys: a trainee fills in today's logbook on her phone; a leader records a
follow-up and opens the printable progress report."""
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from staffing import followups
from tests.browser.access import expect_no_sideways_scrolling
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

pytestmark = pytest.mark.browser


def test_trainee_fills_in_todays_logbook_on_her_phone(browser_login, page: Page, live_server, make_user, make_person, make_course):
    user = make_user(Role.TRAINEE, name="Amina A.")
    person = make_person(site=user.site, user=user, name="Amina A.")
    make_course(person, start=local_today() - timedelta(days=14))
    db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})

    browser_login(page, user)
    expect(page.get_by_role("heading", name="Min logbog i dag")).to_be_visible()
    expect(page.get_by_label("Hvorfor gik du tidligt?")).to_be_hidden()  # only when she left early
    page.get_by_text("Jeg var her").click()
    page.get_by_label("Timer arbejdet").select_option(label="3:00")
    page.get_by_label("Pauser").select_option(label="15 min")
    page.get_by_label("Hvad arbejdede du med?").fill("Juleposer")
    page.get_by_text("Godt", exact=True).click()
    page.get_by_role("button", name="Gem").click()

    expect(page.get_by_text("Din logbog er gemt. Tak!")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Gemt: Mødt")
    expect(page.get_by_role("status")).to_contain_text("3:00 timer")
    expect(page.get_by_label("Jeg var her")).to_be_checked()

    page.get_by_text("Min logbog", exact=True).click()
    expect(page.get_by_text("Juleposer")).to_be_visible()
    # Nothing sticks out sideways on a phone.
    expect_no_sideways_scrolling(page)

    # English is one tap away on her page.
    page.get_by_role("link", name="← Min side").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My logbook today")).to_be_visible()
    expect(page.get_by_label("I was here")).to_be_checked()


def test_leader_records_a_followup_and_prints_the_progress_report(browser_login, page: Page, live_server, make_user, make_person,
                                                                   make_course):
    leader = make_user(Role.LEADER, name="Mette Lind")
    person = make_person(site=leader.site, name="Hodan F.")
    make_course(person, start=local_today() - timedelta(days=30))
    followups.save_agreement(person, followups.AgreementData(
        training_goals="Sy lige sømme uden hjælp", next_goal="Sy en hel pose selv",
        next_followup_date=local_today() - timedelta(days=2)), leader)
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 800})

    browser_login(page, leader)
    due = page.get_by_role("region", name="Opfølgninger der skal holdes")
    expect(due.get_by_role("link", name="Hodan F.")).to_be_visible()
    expect(due.get_by_text("Overskredet")).to_be_visible()
    due.get_by_role("link", name="Skriv").click()

    expect(page.get_by_role("heading", name="Opfølgning med Hodan F.")).to_be_visible()
    page.get_by_label("Fremmøde").fill("Kommer stabilt to dage om ugen.")
    page.get_by_label("Motivation").fill("Vil gerne have flere timer.")
    page.get_by_label("Næste opfølgning").fill((local_today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Gem opfølgning").click()

    expect(page.get_by_text("Opfølgningen er gemt.")).to_be_visible()
    page.get_by_role("link", name="Progressionsrapport").click()
    expect(page.get_by_role("heading", name="Progressionsrapport")).to_be_visible()
    expect(page.get_by_text("Sy en hel pose selv")).to_be_visible()
    expect(page.get_by_role("button", name="Udskriv")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Udskriv")).to_be_hidden()
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("heading", name="Progressionsrapport")).to_be_visible()
