"""What the app accepts from outside, bounded in one place: dates, whole numbers and ids.

Dates outside 2000-2100 and numbers beyond a database column make arithmetic overflow
(`date.max + 1 day`) or the database refuse the query; both were 500s. Digits are ASCII
only: `'²'.isdigit()` is true but `int('²')` fails, and `int('٢')` is 2.
"""
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import ValidationError
from werkzeug.routing import BaseConverter
from werkzeug.routing import ValidationError as NoRouteMatch

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
#: The largest value of an `Integer` column on PostgreSQL (SQLite's are wider): every id and count.
MAX_INTEGER = 2**31 - 1

_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole_number(text, minimum: int = 0, maximum: int = MAX_INTEGER) -> int | None:
    """`text` as an int between `minimum` and `maximum` when it is written in ASCII digits; else None."""
    text = str(text if text is not None else "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def date_in_range(day: date | None) -> bool:
    return day is not None and EARLIEST_DATE <= day <= LATEST_DATE


def iso_date(text) -> date | None:
    """'2026-12-04' as a date between 2000 and 2100; None for anything else."""
    text = str(text if text is not None else "").strip()
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if date_in_range(day) else None


def iso_week(text) -> tuple[int, int] | None:
    """'2026-W48' as (2026, 48) for a week that exists between 2000 and 2100; None for anything else."""
    match = re.fullmatch(r"([0-9]{4})-[Ww]([0-9]{1,2})", str(text or "").strip())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return (year, week) if date_in_range(monday) else None


OUT_OF_RANGE_DATE = _l("Choose a date between 2000 and 2100.")


def check_date_range(_form, field) -> None:
    """WTForms validator: the date lies between 2000 and 2100."""
    if field.data is not None and not date_in_range(field.data):
        raise ValidationError(OUT_OF_RANGE_DATE)


class BoundedDateField(DateField):
    """A date field that accepts only ISO dates between 2000 and 2100: use it for every date in a form."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), check_date_range], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Write the date as YYYY-MM-DD.")) from error


class IdConverter(BaseConverter):
    """`<int:...>` in every route: ASCII digits that fit an id column, else 404 (not an overflow)."""

    regex = r"[0-9]{1,10}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = whole_number(value)
        if number is None:
            raise NoRouteMatch()
        return number

    def to_url(self, value) -> str:
        return str(int(value))
