from datetime import date

import pytest

from staffing.ledger import book_minutes, correct_entry, minutes_worked
from staffing.models import HoursKind
from workshop.errors import DomainError

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment

DAY = date(2026, 11, 16)


def test_paid_minutes_take_the_wage_of_the_employment(make_person):
    person = make_person(employment_wage_ore=13_500)
    entry = book_minutes(person, DAY, 90, HoursKind.PAID)
    assert entry.wage_ore_per_hour == 13_500


def test_paid_minutes_without_employment_are_refused(make_person):
    with pytest.raises(DomainError):
        book_minutes(make_person(), DAY, 60, HoursKind.PAID)


@pytest.mark.parametrize("minutes", [0, -5, 12 * 60 + 1])
def test_minutes_out_of_range_are_refused(make_person, minutes):
    with pytest.raises(DomainError):
        book_minutes(make_person(), DAY, minutes, HoursKind.TRAINING)


def test_hours_are_sums_over_the_ledger_by_kind_and_period(make_person):
    person = make_person(employment_wage_ore=13_500)
    book_minutes(person, DAY, 120, HoursKind.TRAINING)
    book_minutes(person, DAY, 60, HoursKind.PAID)
    book_minutes(person, date(2026, 11, 30), 45, HoursKind.TRAINING)
    assert minutes_worked(person, date(2026, 11, 16), date(2026, 11, 22)) == 180
    assert minutes_worked(person, DAY, DAY, HoursKind.PAID) == 60


def test_a_correction_is_a_new_entry_never_an_edit(make_person):
    person = make_person()
    original = book_minutes(person, DAY, 120, HoursKind.TRAINING)
    cancel, replacement = correct_entry(original, None, "Gik kl. 11", new_minutes=90)
    assert original.minutes == 120
    assert cancel.minutes == -120 and cancel.corrects_id == original.id
    assert replacement.minutes == 90
    assert minutes_worked(person, DAY, DAY) == 90
    with pytest.raises(DomainError):
        correct_entry(cancel, None, "again")
