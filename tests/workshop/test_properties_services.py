"""Property-based tests (hypothesis) of the services that take user input above the core: VAT on order
amounts, hours and times of day as typed, and the CSV import of people. Any input gives a value or a
clear message; none crashes, and none writes half a file."""
import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from shop.orders.pricing import totals, vat_ore
from staffing.availability import parse_hhmm
from staffing.forms import MAX_HOURS_TYPED, parse_hours
from staffing.importer import IMPORT_COLUMNS, import_people
from staffing.models import Course, Person
from workshop.extensions import db
from workshop.inputs import MAX_INTEGER

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ORE = st.integers(-MAX_INTEGER, MAX_INTEGER)


# --- VAT in øre ---------------------------------------------------------------------------------------


@FAST
@given(ORE)
def test_vat_is_a_quarter_rounded_half_away_from_zero(subtotal):
    vat = vat_ore(subtotal)
    assert abs(vat * 100 - subtotal * 25) <= 50  # within half an øre of 25 %
    assert vat_ore(-subtotal) == -vat  # a credit note takes back exactly the VAT the invoice charged
    assert vat_ore(subtotal, vat_exempt=True) == 0


@FAST
@given(st.lists(st.integers(0, 10**7), max_size=30), st.booleans())
def test_totals_add_up_and_vat_is_rounded_once(lines, exempt):
    result = totals(lines, exempt)
    assert result.subtotal_ore == sum(lines)
    assert result.total_ore == result.subtotal_ore + result.vat_ore
    assert result.vat_ore == (0 if exempt else vat_ore(sum(lines)))


# --- Durations and times of day -----------------------------------------------------------------------


@FAST
@given(st.integers(0, MAX_HOURS_TYPED - 1), st.integers(0, 59))
def test_hours_typed_with_a_colon_are_exact_minutes(hours, minutes):
    assert parse_hours(f"{hours}:{minutes:02d}") == hours * 60 + minutes


@FAST
@given(st.integers(0, MAX_HOURS_TYPED * 2), st.sampled_from(["", ",5", ".5", ",25", ".75"]))
def test_hours_typed_as_a_decimal_are_minutes_or_refused_above_a_week(hours, fraction):
    text = f"{hours}{fraction}"
    minutes = round((hours + float("0" + fraction.replace(",", ".") if fraction else 0)) * 60)
    if minutes > MAX_HOURS_TYPED * 60:
        with pytest.raises(ValueError):
            parse_hours(text)
    else:
        assert parse_hours(text) == minutes


@FAST
@given(st.text(max_size=12) | st.from_regex(r"[0-9]{1,3}[:.,][0-9]{1,2}", fullmatch=True))
def test_any_text_is_minutes_of_at_most_a_week_or_a_value_error(text):
    try:
        minutes = parse_hours(text)
    except ValueError:
        return
    assert 0 <= minutes <= MAX_HOURS_TYPED * 60


@pytest.mark.parametrize("text", ["4:60", "4:75", "0:99", "1e3", "nan", "²", "٤"])
def test_hours_with_impossible_minutes_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)


@FAST
@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from([":", "."]))
def test_a_time_of_day_is_its_minutes(hours, minutes, separator):
    assert parse_hhmm(f"{hours}{separator}{minutes:02d}") == hours * 60 + minutes


@FAST
@given(st.text(max_size=10) | st.from_regex(r"[0-9٠-٩_ +-]{1,3}[:.][0-9٠-٩_ +-]{1,3}", fullmatch=True))
def test_any_text_is_a_time_of_day_in_ascii_digits_or_none(text):
    minutes = parse_hhmm(text)
    if minutes is not None:
        assert 0 <= minutes <= 24 * 60
        assert text.strip().replace(".", ":").replace(":", "").isascii()
        assert "_" not in text


# --- The CSV import of people ---------------------------------------------------------------------------

COLUMNS = [column for column, _required, _help in IMPORT_COLUMNS]
CELL = st.text(max_size=30) | st.sampled_from(["", "aktiv", "afbrudt", "deltager", "fleksjob", "2026-03-31",
                                               "31-03-2026", "0001-01-01", "9999-12-31", "31.12.9999", "12",
                                               "4:30", "999", "ordinært job"])


def _csv(rows: list[dict], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _counts() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Person.id))), db.session.scalar(select(func.count(Course.id)))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.fixed_dictionaries({column: CELL for column in COLUMNS}), min_size=1, max_size=5),
       st.sampled_from([";", ","]))
def test_any_spreadsheet_is_imported_whole_or_refused_with_line_numbers(make_site, rows, delimiter):
    site = make_site()
    before = _counts()
    result = import_people(site, _csv(rows, delimiter).encode("utf-8"), dry_run=False)
    if result.errors:
        assert not result.written and _counts() == before  # all or nothing
        assert all(1 <= line <= len(rows) + 1 and message for line, message in result.errors)
    else:
        assert result.written
        for row in result.rows:
            for day in filter(None, [(row.course or {}).get(key) for key in ("referral_date", "start_date",
                                                                            "planned_end", "actual_end")]):
                assert date(2000, 1, 1) <= day <= date(2100, 12, 31)
    db.session.rollback()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_file_is_read_or_refused_with_a_message(make_site, data):
    result = import_people(make_site(), data, dry_run=True)
    assert result.ok or all(message for _line, message in result.errors)
    db.session.rollback()
