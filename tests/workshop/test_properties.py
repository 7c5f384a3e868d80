"""Property-based tests (hypothesis) of the core's input parsers: money in øre, whole numbers and ids,
dates from year 1 to 9999, weeks and times. Any text gives a value or a clear refusal, never a crash."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from workshop.inputs import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_INTEGER,
    BoundedDateField,
    IdConverter,
    date_in_range,
    iso_date,
    iso_week,
    whole_number,
)
from workshop.money import MoneyError, kroner, ore_from_kroner
from workshop.timeutil import minutes_to_hhmm, monday_of

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Text as people and attackers type it: any Unicode, and strings made of the characters amounts use.
ANY_TEXT = st.text(max_size=40) | st.text(alphabet="0123456789.,- krKR\u00a0\u2212\u00b2\u0663", max_size=20)
ORE = st.integers(-MAX_INTEGER, MAX_INTEGER)


# --- Money ------------------------------------------------------------------------------------------


def _danish(ore: int, thousands: bool) -> str:
    """Kroner as a Dane writes them: 1.234,50 (or 1234,50)."""
    sign, whole, cents = "-" if ore < 0 else "", abs(ore) // 100, abs(ore) % 100
    digits = f"{whole:,}".replace(",", ".") if thousands else str(whole)
    return f"{sign}{digits},{cents:02d}"


@FAST
@given(ORE, st.booleans(), st.sampled_from(["", " kr.", " kr", "kr."]))
def test_kroner_as_written_in_danish_come_back_as_the_same_ore(ore, thousands, suffix):
    assert ore_from_kroner(_danish(ore, thousands) + suffix) == ore


@FAST
@given(ORE)
def test_kroner_and_ore_are_inverse(ore):
    assert ore_from_kroner(kroner(ore)) == ore
    assert kroner(ore) * 100 == Decimal(ore)


@FAST
@given(ANY_TEXT)
def test_any_text_is_an_amount_in_range_or_a_money_error(text):
    try:
        ore = ore_from_kroner(text)
    except MoneyError:
        return
    assert isinstance(ore, int) and abs(ore) <= MAX_INTEGER


@pytest.mark.parametrize("text", ["1e309", "NaN", "Infinity", "²", "٣", "１２", "99999999999999", "1,234", "1.234",
                                  "1.2.3", "", " ", "kr.", "--1", "1_000"])
def test_odd_amounts_are_refused(text):
    with pytest.raises(MoneyError):
        ore_from_kroner(text)


# --- Whole numbers, ids and quantities --------------------------------------------------------------


@FAST
@given(st.integers(0, MAX_INTEGER))
def test_a_whole_number_in_range_is_read_back(number):
    assert whole_number(str(number)) == number
    assert whole_number(f" {number} ") == number


@FAST
@given(ANY_TEXT | st.integers(-10**30, 10**30).map(str), st.integers(0, 1000), st.integers(0, MAX_INTEGER))
def test_any_text_is_a_number_within_the_bounds_or_none(text, minimum, maximum):
    value = whole_number(text, minimum, maximum)
    assert value is None or (minimum <= value <= maximum and text.strip() == str(value).zfill(len(text.strip())))


@FAST
@given(st.text(max_size=15))
def test_an_id_in_an_address_fits_the_id_column_or_matches_no_route(text):
    from werkzeug.routing import ValidationError as NoRouteMatch
    try:
        value = IdConverter(None).to_python(text)
    except NoRouteMatch:
        return
    assert 0 <= value <= MAX_INTEGER


# --- Dates from year 1 to 9999 ----------------------------------------------------------------------


@FAST
@given(st.dates())
def test_any_date_is_accepted_only_between_2000_and_2100(day):
    assert iso_date(day.isoformat()) == (day if EARLIEST_DATE <= day <= LATEST_DATE else None)
    assert date_in_range(day) == (EARLIEST_DATE <= day <= LATEST_DATE)


@FAST
@given(st.dates())
def test_any_iso_week_is_read_only_between_2000_and_2100(day):
    year, week, _weekday = day.isocalendar()
    found = iso_week(f"{year:04d}-W{week:02d}")
    monday = date.fromisocalendar(year, week, 1) if year > 1 or week > 1 else date(1, 1, 1)
    assert found == ((year, week) if date_in_range(monday) else None)


@FAST
@given(ANY_TEXT | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)
       | st.from_regex(r"[0-9]{4}-[Ww][0-9]{1,2}", fullmatch=True))
def test_any_text_is_a_date_or_week_or_none(text):
    day = iso_date(text)
    assert day is None or date_in_range(day)
    week = iso_week(text)
    assert week is None or 2000 <= week[0] <= 2101


@FAST
@given(st.dates())
def test_the_monday_of_any_day_is_a_monday_at_most_six_days_before(day):
    monday = monday_of(day)
    assert monday.weekday() == 0 and 0 <= (day - monday).days <= 6


def _day_form(text: str):
    """A form with one date field, as every form's date fields are (call inside a request context)."""
    from flask_wtf import FlaskForm

    class DayForm(FlaskForm):
        class Meta:
            csrf = False

        day = BoundedDateField("Day")

    return DayForm(MultiDict({"day": text}))


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "10000-01-01",
                                  "2026-02-30", "2026-13-01", "٢٠٢٦-١٢-٠٤", "2026-12-04T00:00", "-2026-01-01"])
def test_a_date_field_refuses_what_is_not_a_date_between_2000_and_2100(app, text):
    with app.test_request_context():
        form = _day_form(text)
        assert not form.validate()
        assert form.day.errors


@FAST
@given(st.dates())
def test_a_date_field_takes_every_day_between_2000_and_2100_and_no_other(app, day):
    with app.test_request_context():
        form = _day_form(day.isoformat())
        assert form.validate() == date_in_range(day)
        if form.validate():
            assert form.day.data == day


# --- Durations --------------------------------------------------------------------------------------


@FAST
@given(st.integers(0, 10**6))
def test_minutes_as_hours_and_minutes_add_up(minutes):
    hours, rest = minutes_to_hhmm(minutes).split(":")
    assert int(hours) * 60 + int(rest) == minutes and len(rest) == 2
