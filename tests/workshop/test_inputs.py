"""Extreme values get a 4xx, never a 500 (issue 17, finding 9): dates, weeks, ids, digits, amounts."""
from datetime import date

import pytest

from workshop.inputs import iso_date, iso_week, whole_number
from workshop.models import Role


@pytest.mark.parametrize("text, number", [("42", 42), (" 7 ", 7), ("0", 0), (str(2**31 - 1), 2**31 - 1)])
def test_whole_numbers_in_ascii_digits_within_a_column(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", ["", None, "²", "٢", "²⁰²⁶", "-1", "1.5", "1e3", str(2**31), "9" * 20, "4\x00"])
def test_anything_else_is_not_a_whole_number(text):
    assert whole_number(text) is None


def test_dates_and_weeks_are_bounded_to_2000_2100():
    assert iso_date("2026-12-04") == date(2026, 12, 4)
    assert [iso_date(text) for text in ("0001-01-01", "9999-12-31", "1999-12-31", "2026-02-30", "²⁰²⁶-01-01")] == [
        None] * 5
    assert iso_week("2026-W48") == (2026, 48)
    assert [iso_week(text) for text in ("0001-W01", "9999-W52", "2026-W54", "2026-W")] == [None] * 4


LEADER_GETS = [
    "/hours/?day=0001-01-01", "/hours/?day=9999-12-31", "/hours/?period=month&day=9999-12-31",
    "/production/capacity?week=0001-W01", "/production/capacity?week=9999-W52",
    "/hours/person?person=" + "9" * 20, "/hours/person?person=²",
    "/hours/jobcentre?year=²⁰²⁶", f"/people/{2**31}", f"/people/{2**63}", f"/people/{10**30}",
    f"/hours/person/{2**63}", "/people/1/logbook/9999-12-31", "/people/1/logbook/0001-01-01",
]


@pytest.mark.parametrize("path", LEADER_GETS)
def test_extreme_values_in_addresses_are_a_clear_4xx(client_as, make_person, path):
    client = client_as(Role.LEADER)
    make_person(site=client.user.site)
    response = client.get(path)
    assert 400 <= response.status_code < 500, path


@pytest.mark.parametrize("path", ["/hours/book?person=" + "9" * 20, "/hours/book?person=²",
                                  "/production/board?operation=" + "9" * 20, "/production/board?operation=²"])
def test_an_extreme_filter_or_prefill_is_ignored(client_as, path):
    assert client_as(Role.LEADER).get(path).status_code == 200


@pytest.mark.parametrize("field, value", [(None, None), ("hourly_wage", "1e309"), ("hourly_wage", str(10**30)),
                                          ("max_weekly_hours", "1e309"), ("max_weekly_hours", "NaN"),
                                          ("start_date", "9999-12-31")])
def test_extreme_employment_values_are_refused_on_the_form(client_as, make_person, field, value):
    client = client_as(Role.LEADER)
    person = make_person(site=client.user.site)
    data = {"kind": "smalljob", "hourly_wage": "135", "min_weekly_hours": "0", "max_weekly_hours": "6",
            "start_date": "2026-01-05"}
    if field:
        data[field] = value
    response = client.post(f"/hours/person/{person.id}/employment", data=data)
    assert response.status_code == (302 if field is None else 400)  # the first case shows the form is otherwise valid


@pytest.mark.parametrize("value", ["1e309", "9" * 30])
def test_extreme_weekly_hours_on_a_course_are_refused(client_as, make_person, value):
    client = client_as(Role.LEADER)
    person = make_person(site=client.user.site)
    response = client.post(f"/people/{person.id}/courses/new",
                           data={"referral_date": "2026-01-05", "weekly_hours": value, "status": "referred"})
    assert response.status_code == 400
    assert "Skriv timer som et tal" in response.get_data(as_text=True)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_planner_week_beyond_2100_is_refused(client_as, week):
    """Also issue 14: an OverflowError in production/planner/budget.py."""
    response = client_as(Role.LEADER).post("/production/planner/", data={"week": week, "budget_hours": "0"})
    assert response.status_code == 400
    assert "mellem 2000 og 2100" in response.get_data(as_text=True)
