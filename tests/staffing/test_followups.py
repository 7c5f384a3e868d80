"""Agreements, follow-ups on the five themes, and which follow-ups are due."""
from datetime import date, timedelta

import pytest

from staffing import followups
from staffing.followups import AgreementData, FollowUpData
from staffing.models import PersonKind
from workshop.errors import DomainError

from .conftest import TODAY


def test_save_agreement_creates_then_updates_one_row(make_person, make_user):
    leader = make_user()
    person = make_person()
    first = followups.save_agreement(person, AgreementData(training_goals="Sy lige sømme", weekly_minutes=720,
                                                           next_followup_date=TODAY), leader)
    second = followups.save_agreement(person, AgreementData(training_goals="Sy en pose", next_goal="Tilskæring"), leader)
    assert first.id == second.id and second.training_goals == "Sy en pose" and second.updated_by_id == leader.id


@pytest.mark.parametrize("data, field", [
    (AgreementData(minutes_per_day=13 * 60), "hours_per_day"),
    (AgreementData(weekly_minutes=41 * 60), "weekly_hours"),
    (AgreementData(minutes_per_day=300, weekly_minutes=240), "hours_per_day"),
])
def test_agreement_hours_are_checked(make_person, data, field):
    with pytest.raises(DomainError) as error:
        followups.save_agreement(make_person(), data, None)
    assert error.value.field == field


def test_a_followup_sets_the_next_date(make_person):
    person = make_person()
    followups.save_agreement(person, AgreementData(next_followup_date=TODAY), None)
    followups.record_followup(person, FollowUpData(held_on=TODAY, motivation="Glad", next_followup_date=TODAY + timedelta(days=7)),
                              None, TODAY)
    assert followups.next_followup_date(person) == TODAY + timedelta(days=7)
    assert followups.agreement_for(person).next_followup_date == TODAY + timedelta(days=7)


@pytest.mark.parametrize("data, field", [
    (FollowUpData(held_on=TODAY + timedelta(days=1), attendance="x"), "held_on"),
    (FollowUpData(held_on=TODAY, attendance="  "), "attendance"),
    (FollowUpData(held_on=TODAY, attendance="x", next_followup_date=TODAY), "next_followup_date"),
])
def test_bad_followups_are_refused(make_person, data, field):
    with pytest.raises(DomainError) as error:
        followups.record_followup(make_person(), data, None, TODAY)
    assert error.value.field == field


def test_due_followups_lists_overdue_and_this_week_most_urgent_first(make_site, make_person):
    site = make_site()
    overdue, due_today, this_week, later, none = (make_person(site=site, name=name) for name in "ABCDE")
    followups.save_agreement(overdue, AgreementData(next_followup_date=TODAY - timedelta(days=3)), None)
    followups.save_agreement(due_today, AgreementData(next_followup_date=TODAY), None)
    followups.record_followup(this_week, FollowUpData(held_on=TODAY - timedelta(days=7), both_views="ok",
                                                      next_followup_date=TODAY + timedelta(days=7)), None, TODAY)
    followups.save_agreement(later, AgreementData(next_followup_date=TODAY + timedelta(days=8)), None)
    staff_member = make_person(site=site, name="F", kind=PersonKind.STAFF)
    followups.save_agreement(staff_member, AgreementData(next_followup_date=TODAY - timedelta(days=1)), None)
    followups.save_agreement(make_person(name="Other site"), AgreementData(next_followup_date=TODAY), None)
    due = followups.due_followups(site, TODAY)
    assert [(item.person.name, item.overdue) for item in due] == [("A", True), ("B", False), ("C", False)]
    assert none.name == "E"


def test_a_followup_clears_an_overdue_date(make_site, make_person):
    site = make_site()
    person = make_person(site=site)
    followups.save_agreement(person, AgreementData(next_followup_date=TODAY - timedelta(days=3)), None)
    followups.record_followup(person, FollowUpData(held_on=TODAY, attendance="Stabil",
                                                   next_followup_date=TODAY + timedelta(days=14)), None, TODAY)
    assert followups.due_followups(site, TODAY) == []
    assert followups.due_followups(site, date(2026, 12, 1))[0].person is person
