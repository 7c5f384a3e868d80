"""More ledger rules: corrections, sums and the old signatures other packages use."""
from datetime import date

import pytest

from staffing.ledger import book_minutes, correct_entry, current_wage, is_cancelled, minutes_worked, paid_earnings
from staffing.models import HoursKind
from workshop.errors import DomainError

DAY = date(2026, 3, 2)


def test_the_old_positional_signature_still_works(make_person, make_user):
    person = make_person(employment_wage_ore=13_500)
    entry = book_minutes(person, DAY, 60, HoursKind.PAID, "meeting", "Møde", make_user(), None, "note")
    assert (entry.activity, entry.reference, entry.note, entry.override_reason) == ("meeting", "Møde", "note", "")
    assert current_wage(person, DAY) == 13_500


def test_an_entry_can_be_cancelled_only_once_but_its_replacement_can_be_corrected(make_person):
    person = make_person()
    original = book_minutes(person, DAY, 120, HoursKind.TRAINING)
    _cancel, replacement = correct_entry(original, None, "Forkert", new_minutes=90)
    assert is_cancelled(original)
    with pytest.raises(DomainError):
        correct_entry(original, None, "igen")
    correct_entry(replacement, None, "Stadig forkert", new_minutes=60)
    assert minutes_worked(person, DAY, DAY) == 60


def test_paid_earnings_use_the_rate_fixed_on_each_entry(make_person):
    person = make_person(employment_wage_ore=13_500)
    book_minutes(person, DAY, 60, HoursKind.PAID)
    book_minutes(person, DAY, 30, HoursKind.PAID, wage_ore_per_hour=15_000)
    book_minutes(person, DAY, 60, HoursKind.TRAINING)
    assert paid_earnings(person, DAY, DAY) == 13_500 + 7_500


def test_corrections_bring_the_sums_back(make_person):
    person = make_person(employment_wage_ore=13_500)
    entry = book_minutes(person, DAY, 60, HoursKind.PAID)
    correct_entry(entry, None, "Ikke på arbejde")
    assert minutes_worked(person, DAY, DAY, HoursKind.PAID) == 0
    assert paid_earnings(person, DAY, DAY) == 0
