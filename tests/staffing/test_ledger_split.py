"""training_paid_split: the minutes of some ledger entries (and their corrections) as training and paid, and by how many."""
from datetime import date

from sqlalchemy import select

from staffing.ledger import book_minutes, correct_entry, training_paid_split
from staffing.models import HoursKind, LedgerEntry

DAY = date(2026, 11, 23)


def test_split_by_kind_and_people(make_person):
    site_people = [make_person(), make_person()]
    paid_person = make_person(employment_wage_ore=13_500)
    entries = [book_minutes(site_people[0], DAY, 30, HoursKind.TRAINING),
               book_minutes(site_people[1], DAY, 45, HoursKind.TRAINING),
               book_minutes(paid_person, DAY, 60, HoursKind.PAID)]
    book_minutes(site_people[0], DAY, 500, HoursKind.TRAINING)  # other work: not counted

    split = training_paid_split([entry.id for entry in entries])
    assert (split.total_minutes, split.training_minutes, split.paid_minutes, split.people) == (135, 75, 60, 3)


def test_corrections_count_and_a_cancelled_person_is_not_counted(make_person):
    first, second = make_person(), make_person()
    kept = book_minutes(first, DAY, 30, HoursKind.TRAINING)
    cancelled = book_minutes(second, DAY, 40, HoursKind.TRAINING)
    correct_entry(kept, None, "Typo", new_minutes=20)
    correct_entry(cancelled, None, "Wrong person")

    split = training_paid_split([kept.id, cancelled.id])
    assert (split.total_minutes, split.people) == (20, 1)


def test_a_select_of_ids_and_no_ids(make_person):
    entry = book_minutes(make_person(), DAY, 15, HoursKind.TRAINING)
    assert training_paid_split(select(LedgerEntry.id).where(LedgerEntry.id == entry.id)).total_minutes == 15
    empty = training_paid_split([])
    assert (empty.total_minutes, empty.training_minutes, empty.paid_minutes, empty.people) == (0, 0, 0, 0)
