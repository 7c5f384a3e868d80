"""Weekly pattern and dated exceptions: from before to, no overlaps."""
from datetime import date

import pytest

from staffing import availability
from workshop.errors import DomainError

DAY = date(2026, 11, 23)


def test_slots_on_the_same_day_may_touch_but_not_overlap(make_person):
    person = make_person()
    availability.add_slot(person, 0, 9 * 60, 12 * 60)
    availability.add_slot(person, 0, 12 * 60, 14 * 60)
    availability.add_slot(person, 1, 10 * 60, 11 * 60)
    with pytest.raises(DomainError) as error:
        availability.add_slot(person, 0, 11 * 60, 13 * 60)
    assert error.value.field == "start"
    assert len(person.availability) == 3


@pytest.mark.parametrize("start, end", [(600, 600), (700, 600), (None, 600), (-1, 60), (60, 1441)])
def test_from_must_be_before_to(make_person, start, end):
    with pytest.raises(DomainError):
        availability.add_slot(make_person(), 2, start, end)


def test_remove_a_slot(make_person):
    person = make_person()
    slot = availability.add_slot(person, 0, 540, 600)
    availability.remove_slot(person, slot.id)
    assert person.availability == []
    with pytest.raises(DomainError):
        availability.remove_slot(person, slot.id)


def test_away_takes_the_whole_day_and_extra_hours_must_not_overlap(make_person):
    person = make_person()
    extra = availability.add_exception(person, DAY, True, 9 * 60, 11 * 60, "Ekstra ordre")
    availability.add_exception(person, DAY, True, 11 * 60, 12 * 60)
    with pytest.raises(DomainError):
        availability.add_exception(person, DAY, True, 10 * 60, 11 * 60 + 30)
    with pytest.raises(DomainError):
        availability.add_exception(person, DAY, False, reason="Syg")
    away = availability.add_exception(person, date(2026, 11, 24), False, 600, 700, "Ferie")
    assert (away.start_minute, away.end_minute) == (None, None)
    assert extra.reason == "Ekstra ordre"
    with pytest.raises(DomainError):
        availability.add_exception(person, date(2026, 11, 25), True, 700, 600)


@pytest.mark.parametrize("text, minutes", [("9:30", 570), ("09.30", 570), ("10", 600), ("", None), ("9:75", None),
                                           ("abc", None), ("25:00", None)])
def test_times_are_read_as_minutes(text, minutes):
    assert availability.parse_hhmm(text) == minutes
