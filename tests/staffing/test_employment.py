"""Employment: validation and no overlapping periods."""
from datetime import date

import pytest

from staffing.employment import add_employment, end_employment
from staffing.ledger import current_wage
from staffing.models import EmploymentKind
from workshop.errors import DomainError


def _add(person, start=date(2026, 1, 1), end=None, min_minutes=60, max_minutes=360, wage=13_500):
    return add_employment(person, EmploymentKind.SMALL_JOB, wage, min_minutes, max_minutes, start, end)


def test_an_employment_sets_the_wage_for_its_period(make_person):
    person = make_person()
    _add(person, date(2026, 1, 1), date(2026, 6, 30))
    assert current_wage(person, date(2026, 3, 1)) == 13_500
    assert current_wage(person, date(2026, 7, 1)) is None


@pytest.mark.parametrize("kwargs, field", [
    ({"min_minutes": 300, "max_minutes": 120}, "min_weekly_hours"),
    ({"start": date(2026, 2, 1), "end": date(2026, 1, 31)}, "end_date"),
    ({"wage": 0}, "hourly_wage"),
    ({"min_minutes": 0, "max_minutes": 0}, "max_weekly_hours"),
])
def test_invalid_employments_are_refused(make_person, kwargs, field):
    with pytest.raises(DomainError) as error:
        _add(make_person(), **kwargs)
    assert error.value.field == field


@pytest.mark.parametrize("start, end", [
    (date(2026, 3, 1), None),
    (date(2025, 1, 1), date(2026, 1, 1)),
    (date(2026, 6, 30), date(2026, 12, 31)),
])
def test_overlapping_employments_are_refused(make_person, start, end):
    person = make_person()
    _add(person, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(DomainError):
        _add(person, start, end)


def test_an_employment_after_the_last_one_ended_is_fine(make_person):
    person = make_person()
    first = _add(person, date(2026, 1, 1))
    end_employment(first, date(2026, 3, 31))
    _add(person, date(2026, 4, 1), wage=14_000)
    assert current_wage(person, date(2026, 3, 31)) == 13_500
    assert current_wage(person, date(2026, 4, 1)) == 14_000


def test_ending_before_the_start_or_twice_is_refused(make_person):
    employment = _add(make_person(), date(2026, 1, 1))
    with pytest.raises(DomainError):
        end_employment(employment, date(2025, 12, 31))
    end_employment(employment, date(2026, 2, 1))
    with pytest.raises(DomainError):
        end_employment(employment, date(2026, 3, 1))
