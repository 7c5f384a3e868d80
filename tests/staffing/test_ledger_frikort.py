"""Socialt frikort: earnings against the cap in force, a warning at 90 %, refusal, leader override."""
from datetime import date

import pytest

from staffing.employment import add_employment
from staffing.ledger import amount_ore, book_minutes, correct_entry, frikort_status, minutes_worked, paid_earnings
from staffing.models import EmploymentKind, HoursKind
from staffing.rules import FRIKORT_CAP, add_rule_value
from workshop.errors import DomainError
from workshop.models import Role

DAY = date(2025, 6, 2)
WAGE = 10_000  # 100 kr. an hour keeps the sums easy


@pytest.fixture
def frikort_person(make_person):
    add_rule_value(FRIKORT_CAP, 100_000, date(2025, 1, 1), None)  # 1.000 kr. cap: 10 hours
    person = make_person()
    add_employment(person, EmploymentKind.SMALL_JOB, WAGE, 0, 600, date(2025, 1, 1), has_frikort=True)
    return person


def test_status_sums_the_years_paid_earnings(frikort_person):
    book_minutes(frikort_person, DAY, 120, HoursKind.PAID)
    book_minutes(frikort_person, DAY, 120, HoursKind.TRAINING)  # training is not pay
    book_minutes(frikort_person, date(2025, 1, 1), 60, HoursKind.PAID)
    status = frikort_status(frikort_person, DAY)
    assert status.earned_ore == 30_000
    assert status.cap_ore == 100_000
    assert status.share_percent == 30.0
    assert not status.warning


def test_warning_at_90_percent_not_below(frikort_person):
    book_minutes(frikort_person, DAY, 530, HoursKind.PAID)  # 883,33 kr.
    assert not frikort_status(frikort_person, DAY).warning
    book_minutes(frikort_person, DAY, 10, HoursKind.PAID)  # 900,00 kr. = 90 %
    status = frikort_status(frikort_person, DAY)
    assert status.earned_ore == 90_000 and status.warning


def test_booking_past_the_cap_is_refused_and_nothing_is_written(frikort_person):
    book_minutes(frikort_person, DAY, 600, HoursKind.PAID)  # exactly the cap is allowed
    with pytest.raises(DomainError) as error:
        book_minutes(frikort_person, DAY, 1, HoursKind.PAID)
    assert error.value.field == "override_reason"
    assert minutes_worked(frikort_person, DAY, DAY, HoursKind.PAID) == 600


def test_training_minutes_are_never_capped(frikort_person):
    book_minutes(frikort_person, DAY, 600, HoursKind.PAID)
    book_minutes(frikort_person, DAY, 120, HoursKind.TRAINING)


def test_a_leader_can_override_with_a_reason_which_is_kept(frikort_person, make_user):
    leader = make_user(Role.LEADER)
    book_minutes(frikort_person, DAY, 600, HoursKind.PAID)
    entry = book_minutes(frikort_person, DAY, 60, HoursKind.PAID, actor=leader,
                         override_reason="Aftalt med jobcentret")
    assert entry.override_reason == "Aftalt med jobcentret"
    assert frikort_status(frikort_person, DAY).over_cap


@pytest.mark.parametrize("role", [Role.STAFF, None])
def test_only_a_leader_can_override(frikort_person, make_user, role):
    actor = make_user(role) if role else None
    book_minutes(frikort_person, DAY, 600, HoursKind.PAID)
    with pytest.raises(DomainError):
        book_minutes(frikort_person, DAY, 60, HoursKind.PAID, actor=actor, override_reason="Travlt")


def test_the_cap_of_the_year_counts_and_a_new_year_starts_from_zero(frikort_person):
    add_rule_value(FRIKORT_CAP, 200_000, date(2026, 1, 1), None)
    book_minutes(frikort_person, DAY, 600, HoursKind.PAID)
    status = frikort_status(frikort_person, date(2026, 1, 5))
    assert status.earned_ore == 0 and status.cap_ore == 200_000
    book_minutes(frikort_person, date(2026, 1, 5), 600, HoursKind.PAID)


def test_without_a_configured_cap_paid_hours_need_a_leaders_reason(make_person, make_user):
    person = make_person()
    add_employment(person, EmploymentKind.SMALL_JOB, WAGE, 0, 600, date(2025, 1, 1), has_frikort=True)
    assert frikort_status(person, DAY).cap_ore is None and frikort_status(person, DAY).warning
    with pytest.raises(DomainError):
        book_minutes(person, DAY, 60, HoursKind.PAID)
    book_minutes(person, DAY, 60, HoursKind.PAID, actor=make_user(Role.LEADER), override_reason="Sats mangler")


def test_people_without_frikort_have_no_status_and_no_cap(make_person):
    person = make_person(employment_wage_ore=WAGE)
    assert frikort_status(person, DAY) is None
    book_minutes(person, DAY, 600, HoursKind.PAID)


def test_a_correction_frees_room_under_the_cap(frikort_person):
    entry = book_minutes(frikort_person, DAY, 600, HoursKind.PAID)
    correct_entry(entry, None, "Forkert dag", new_minutes=300)
    book_minutes(frikort_person, DAY, 300, HoursKind.PAID)
    assert paid_earnings(frikort_person, date(2025, 1, 1), date(2025, 12, 31)) == 100_000


def test_amounts_round_half_up_to_whole_ore():
    assert amount_ore(1, 13_550) == 226  # 225,83 øre
    assert amount_ore(90, 13_500) == 20_250
    assert amount_ore(-90, 13_500) == -20_250
