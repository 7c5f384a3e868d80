"""Configuration rows with effective dates: the figure in force on a day."""
from datetime import date

import pytest

from staffing.rules import FRIKORT_CAP, MAX_INTERNSHIP_WEEKS, add_rule_value, all_rule_values, rule_value
from workshop.errors import DomainError


def test_the_row_in_force_is_the_latest_on_or_before_the_day():
    add_rule_value(FRIKORT_CAP, 4_276_600, date(2025, 1, 1), None, note="2025")
    add_rule_value(FRIKORT_CAP, 4_400_000, date(2026, 1, 1), None, note="2026")
    assert rule_value(FRIKORT_CAP, date(2024, 12, 31)) is None
    assert rule_value(FRIKORT_CAP, date(2025, 1, 1)).value_int == 4_276_600
    assert rule_value(FRIKORT_CAP, date(2025, 12, 31)).value_int == 4_276_600
    assert rule_value(FRIKORT_CAP, date(2026, 1, 1)).value_int == 4_400_000
    assert rule_value(FRIKORT_CAP, date(2030, 6, 1)).value_int == 4_400_000


def test_a_new_value_keeps_the_old_rows_as_history():
    add_rule_value(FRIKORT_CAP, 4_276_600, date(2025, 1, 1), None)
    add_rule_value(FRIKORT_CAP, 4_400_000, date(2026, 1, 1), None)
    assert [row.value_int for row in all_rule_values()] == [4_400_000, 4_276_600]


def test_a_scoped_rule_falls_back_to_the_general_row():
    add_rule_value(MAX_INTERNSHIP_WEEKS, 13, date(2025, 1, 1), None)
    add_rule_value(MAX_INTERNSHIP_WEEKS, 4, date(2025, 1, 1), None, scope="Jobparat")
    add_rule_value(MAX_INTERNSHIP_WEEKS, 8, date(2027, 1, 1), None, scope="Jobparat")
    assert rule_value(MAX_INTERNSHIP_WEEKS, date(2026, 5, 1), scope="Jobparat").value_int == 4
    assert rule_value(MAX_INTERNSHIP_WEEKS, date(2027, 5, 1), scope="Jobparat").value_int == 8
    assert rule_value(MAX_INTERNSHIP_WEEKS, date(2026, 5, 1), scope="Aktivitetsparat").value_int == 13
    assert rule_value(MAX_INTERNSHIP_WEEKS, date(2026, 5, 1)).value_int == 13


def test_a_general_rule_ignores_a_scope():
    row = add_rule_value(FRIKORT_CAP, 100, date(2025, 1, 1), None, scope="Jobparat")
    assert row.scope == ""


@pytest.mark.parametrize("name, value, field", [
    ("no_such_rule", 1, "name"),
    (FRIKORT_CAP, -1, "value"),
    ("frikort_warning_percent", 0, "value"),
    ("frikort_warning_percent", 101, "value"),
])
def test_bad_values_are_refused(name, value, field):
    with pytest.raises(DomainError) as error:
        add_rule_value(name, value, date(2025, 1, 1), None)
    assert error.value.field == field


def test_two_values_from_the_same_date_are_refused():
    add_rule_value(FRIKORT_CAP, 100, date(2025, 1, 1), None)
    with pytest.raises(DomainError) as error:
        add_rule_value(FRIKORT_CAP, 200, date(2025, 1, 1), None)
    assert error.value.field == "effective_from"
