"""Times are stored in UTC and shown in Europe/Copenhagen."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def utcnow() -> datetime:
    """Aware UTC now; use as a column default (pass the function, not its result)."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware UTC time (SQLite gives naive values, which are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_local(moment: datetime) -> datetime:
    """A stored moment in the workshop's time zone (naive values are UTC)."""
    return as_utc(moment).astimezone(LOCAL_ZONE)


def local_now() -> datetime:
    """Aware now in the workshop's time zone."""
    return datetime.now(LOCAL_ZONE)


def local_today() -> date:
    """Today in Copenhagen (not the server's zone, not UTC's date)."""
    return local_now().date()


def monday_of(day: date) -> date:
    """The Monday of the (ISO) week that holds `day`."""
    return day - timedelta(days=day.weekday())


def minutes_to_hhmm(minutes: int) -> str:
    """A minute of the day (or a duration) as 'H:MM', e.g. 570 -> '9:30'."""
    return f"{minutes // 60}:{minutes % 60:02d}"
