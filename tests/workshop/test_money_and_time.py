from datetime import datetime, timezone

import pytest

from workshop.money import MoneyError, kroner, ore_from_kroner
from workshop.timeutil import minutes_to_hhmm, to_local


@pytest.mark.parametrize("text, ore", [("45", 4500), ("1.234,50", 123450), ("12.5", 1250), ("0,05", 5), ("80 kr.", 8000)])
def test_kroner_text_becomes_integer_ore(text, ore):
    assert ore_from_kroner(text) == ore


@pytest.mark.parametrize("text", ["abc", "1,234", "", "12,345",
                                  # issue 17, finding 9: these were 500s or overflowed the øre column
                                  "1e309", "NaN", "Infinity", "²", str(10**30), "21474837"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(MoneyError):
        ore_from_kroner(text)


def test_kroner_from_ore():
    assert str(kroner(123450)) == "1234.50"


def test_utc_is_shown_in_copenhagen_time_across_daylight_saving():
    assert to_local(datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc)).hour == 10
    assert to_local(datetime(2026, 12, 1, 8, 0)).hour == 9


def test_minutes_as_clock_time():
    assert minutes_to_hhmm(570) == "9:30"
