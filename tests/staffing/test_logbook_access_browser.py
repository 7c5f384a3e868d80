"""A trainee fills in her logbook with the keyboard alone; the logbook works at 320 px and with the
text at 200 %; the printed progress report is black on white."""
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from staffing import followups
from tests.browser.access import NARROW, assert_fits, choose_radio, printed_text_not_black, tab_to, zoom_text
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def trainee(make_user, make_person, make_course):
    user = make_user(Role.TRAINEE, name="Amina A.")
    person = make_person(site=user.site, user=user, name="Amina A.")
    make_course(person, start=local_today() - timedelta(days=14))
    db.session.commit()
    return user


def test_a_trainee_fills_in_her_logbook_with_the_keyboard_alone(browser_login, page: Page, trainee):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, trainee)
    expect(page.get_by_role("heading", name="Min logbog i dag")).to_be_visible()

    choose_radio(page, page.locator("input[name=attendance]"), page.get_by_label("Jeg var her"))
    tab_to(page, page.get_by_label("Timer arbejdet"))
    page.keyboard.type("3:00")
    expect(page.get_by_label("Timer arbejdet")).to_have_value("180")
    tab_to(page, page.get_by_label("Hvad arbejdede du med?"))
    page.keyboard.type("Juleposer")
    choose_radio(page, page.locator("input[name=feeling]"), page.get_by_label("Godt", exact=True))
    tab_to(page, page.get_by_role("button", name="Gem"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Din logbog er gemt. Tak!")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Gemt: Mødt")  # read out by a screen reader
    expect(page.locator("[aria-live]").filter(has_text="Din logbog er gemt")).to_have_count(1)


@pytest.mark.parametrize("text_percent", [100, 200])
def test_the_logbook_fits_a_320_px_screen(browser_login, page: Page, trainee, text_percent):
    page.set_viewport_size(NARROW)
    browser_login(page, trainee)
    expect(page.get_by_role("heading", name="Min logbog i dag")).to_be_visible()
    zoom_text(page, text_percent)
    page.get_by_text("Jeg var her").click()
    assert_fits(page, [page.get_by_text("Jeg var her"), page.get_by_label("Timer arbejdet"),
                       page.get_by_label("Hvad arbejdede du med?"), page.get_by_text("Godt", exact=True),
                       page.get_by_role("button", name="Gem")])


def test_the_progress_report_prints_black_on_white(browser_login, page: Page, live_server, make_user, make_person,
                                                   make_course):
    leader = make_user(Role.LEADER)
    person = make_person(site=leader.site, name="Hodan F.")
    make_course(person, start=local_today() - timedelta(days=30))
    followups.save_agreement(person, followups.AgreementData(training_goals="Sy lige sømme", next_goal="Sy en pose",
                                                             next_followup_date=local_today()), leader)
    db.session.commit()
    browser_login(page, leader)
    page.goto(f"{live_server.url}/people/{person.id}/report")
    expect(page.get_by_role("heading", name="Progressionsrapport")).to_be_visible()
    assert printed_text_not_black(page) == []
