"""When she can work: a weekly pattern and dated exceptions (away, extra hours). Services flush."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError
from workshop.extensions import db

from .models import AvailabilityException, AvailabilitySlot, Person


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def _check_window(start: int | None, end: int | None) -> None:
    if start is None or end is None:
        raise DomainError(_l("Give both a from and a to time."), field="start")
    if not 0 <= start < end <= 24 * 60:
        raise DomainError(_l("The from time must be before the to time."), field="end")


def add_slot(person: Person, weekday: int, start: int, end: int) -> AvailabilitySlot:
    """A weekly window (weekday 0 = Monday, minutes from midnight) that must not overlap another."""
    if not 0 <= weekday <= 6:
        raise DomainError(_l("Choose a weekday."), field="weekday")
    _check_window(start, end)
    for slot in person.availability:
        if slot.weekday == weekday and _overlaps(start, end, slot.start_minute, slot.end_minute):
            raise DomainError(_l("This overlaps a time she already has that day."), field="start")
    slot = AvailabilitySlot(weekday=weekday, start_minute=start, end_minute=end)
    person.availability.append(slot)
    db.session.flush()
    return slot


def remove_slot(person: Person, slot_id: int) -> None:
    slot = next((slot for slot in person.availability if slot.id == slot_id), None)
    if slot is None:
        raise DomainError(_l("This time does not exist."))
    person.availability.remove(slot)
    db.session.flush()


def add_exception(person: Person, day: date, available: bool, start: int | None = None, end: int | None = None,
                  reason: str = "") -> AvailabilityException:
    """Away on a day, or extra hours from-to. No two exceptions on a day may overlap; away is the whole day."""
    if available:
        _check_window(start, end)
    else:
        start = end = None
    for other in person.availability_exceptions:
        if other.day != day:
            continue
        if not available or not other.available or _overlaps(start, end, other.start_minute, other.end_minute):
            raise DomainError(_l("There is already a change on this day that overlaps."), field="day")
    exception = AvailabilityException(day=day, available=available, start_minute=start, end_minute=end,
                                      reason=reason.strip())
    person.availability_exceptions.append(exception)
    db.session.flush()
    return exception


def remove_exception(person: Person, exception_id: int) -> None:
    exception = next((item for item in person.availability_exceptions if item.id == exception_id), None)
    if exception is None:
        raise DomainError(_l("This change does not exist."))
    person.availability_exceptions.remove(exception)
    db.session.flush()


def parse_hhmm(text: str | None) -> int | None:
    """'9:30' or '09.30' → 570 minutes; None for empty or unreadable text.

    ASCII digits only: int() also reads '٩', '9_0' and '+9', which nobody means as a time."""
    match = re.fullmatch(r"([0-9]{1,2})(?:[:.]([0-9]{1,2}))?", (text or "").strip())
    if match is None:
        return None
    hours, minutes = int(match[1]), int(match[2] or 0)
    value = hours * 60 + minutes
    if minutes >= 60 or value > 24 * 60:
        return None
    return value
