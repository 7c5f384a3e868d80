"""One clock: "now" and "today" are read only through workshop/timeutil.py.

A stray `date.today()` reads the server's zone and `utcnow().date()` UTC's date; both are
wrong near midnight in Copenhagen, and a test cannot pin what it cannot see.
"""
import ast
from datetime import date, datetime

import pytest

from workshop.config import DOMAIN_PACKAGES, PROJECT_ROOT
from workshop.timeutil import LOCAL_ZONE, local_now, local_today, monday_of, utcnow

#: Calls that read the clock: (object, attribute).
CLOCK_READINGS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
                  ("time", "time")}
THE_CLOCK = PROJECT_ROOT / "workshop" / "timeutil.py"


def clock_readings(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (owner_name, node.func.attr) in CLOCK_READINGS:
            found.append(f"{name}:{node.lineno} {owner_name}.{node.func.attr}()")
        # utcnow().date() is UTC's date, not Copenhagen's
        if node.func.attr == "date" and isinstance(owner, ast.Call) and getattr(owner.func, "id", None) == "utcnow":
            found.append(f"{name}:{node.lineno} utcnow().date()")
    return found


def test_no_module_reads_the_clock_but_timeutil():
    modules = [path for package in ("workshop",) + DOMAIN_PACKAGES
               for path in sorted((PROJECT_ROOT / package).rglob("*.py")) if path != THE_CLOCK]
    assert modules
    assert [reading for path in modules
            for reading in clock_readings(path.read_text(), str(path.relative_to(PROJECT_ROOT)))] == []


def test_the_guard_sees_each_kind_of_stray_reading():
    stray = ("import datetime, time\nfrom workshop.timeutil import utcnow\n"
             "a = datetime.date.today()\nb = utcnow().date()\nc = datetime.datetime.now()\nd = time.time()\n")
    assert sorted(line.split(" ")[1] for line in clock_readings(stray, "stray.py")) == [
        "date.today()", "datetime.now()", "time.time()", "utcnow().date()"]


@pytest.mark.any_day
def test_today_is_copenhagens_date_and_weeks_start_on_monday():
    assert local_now().tzinfo == LOCAL_ZONE
    assert local_today() == utcnow().astimezone(LOCAL_ZONE).date()
    monday = monday_of(local_today())
    assert monday.weekday() == 0 and 0 <= (local_today() - monday).days <= 6


def test_just_after_midnight_today_is_the_new_day_in_copenhagen(clock):
    clock.move_to(datetime(2027, 6, 15, 0, 30, tzinfo=LOCAL_ZONE))  # 22:30 UTC the day before
    assert utcnow().date() == date(2027, 6, 14)
    assert local_today() == date(2027, 6, 15)
