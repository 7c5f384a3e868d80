"""Sums over the hours ledger, the payroll export, and the job centre's year statistics."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from workshop.extensions import db
from workshop.models import Site
from workshop.money import kroner
from workshop.spreadsheet import spreadsheet_csv

from .ledger import amount_ore
from .models import Course, CourseOutcome, CourseStatus, HoursKind, LedgerEntry, Person

# --- Ledger sums ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonHours:
    person: Person
    training_minutes: int
    paid_minutes: int
    paid_amount_ore: int

    @property
    def total_minutes(self) -> int:
        return self.training_minutes + self.paid_minutes


def site_hours(site: Site, start: date, end: date) -> list[PersonHours]:
    """Per person at the site with entries in the period: training and paid minutes, pay."""
    paid_minutes = case((LedgerEntry.kind == HoursKind.PAID, LedgerEntry.minutes), else_=0)
    training_minutes = case((LedgerEntry.kind == HoursKind.TRAINING, LedgerEntry.minutes), else_=0)
    rows = db.session.execute(
        select(LedgerEntry.person_id, func.sum(training_minutes), func.sum(paid_minutes))
        .where(LedgerEntry.site_id == site.id, LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .group_by(LedgerEntry.person_id)
    ).all()
    amounts: dict[int, int] = {}
    for line in payroll_lines(site, start, end):
        amounts[line.person.id] = amounts.get(line.person.id, 0) + line.amount_ore
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_([r[0] for r in rows])))}
    result = [PersonHours(people[pid], int(t or 0), int(p or 0), amounts.get(pid, 0)) for pid, t, p in rows]
    return sorted((r for r in result if r.training_minutes or r.paid_minutes), key=lambda r: r.person.name)


def person_entries(person: Person, start: date, end: date) -> list[LedgerEntry]:
    return list(db.session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.person_id == person.id, LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .order_by(LedgerEntry.work_date, LedgerEntry.id)
    ))


@dataclass(frozen=True)
class EntrySums:
    training_minutes: int
    paid_minutes: int
    paid_amount_ore: int


def sum_entries(entries: list[LedgerEntry]) -> EntrySums:
    training = sum(e.minutes for e in entries if e.kind == HoursKind.TRAINING)
    paid_by_rate: dict[int, int] = {}
    for entry in entries:
        if entry.kind == HoursKind.PAID and entry.wage_ore_per_hour:
            paid_by_rate[entry.wage_ore_per_hour] = paid_by_rate.get(entry.wage_ore_per_hour, 0) + entry.minutes
    return EntrySums(training, sum(paid_by_rate.values()),
                     sum(amount_ore(minutes, rate) for rate, minutes in paid_by_rate.items()))


# --- Payroll export ---------------------------------------------------------------


@dataclass(frozen=True)
class PayrollLine:
    person: Person
    wage_ore_per_hour: int
    minutes: int

    @property
    def amount_ore(self) -> int:
        return amount_ore(self.minutes, self.wage_ore_per_hour)


def payroll_lines(site: Site, start: date, end: date) -> list[PayrollLine]:
    """One line per person and hourly rate: paid minutes in the period (corrections included)."""
    rows = db.session.execute(
        select(LedgerEntry.person_id, LedgerEntry.wage_ore_per_hour, func.sum(LedgerEntry.minutes))
        .where(LedgerEntry.site_id == site.id, LedgerEntry.kind == HoursKind.PAID,
               LedgerEntry.work_date >= start, LedgerEntry.work_date <= end)
        .group_by(LedgerEntry.person_id, LedgerEntry.wage_ore_per_hour)
    ).all()
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_([r[0] for r in rows])))}
    lines = [PayrollLine(people[pid], int(rate), int(minutes)) for pid, rate, minutes in rows if minutes and rate]
    return sorted(lines, key=lambda line: (line.person.name, line.person.id, line.wage_ore_per_hour))


def danish_decimal(value: Decimal | float, places: int = 2) -> str:
    """1234.5 -> '1234,50': comma decimals, no thousands separator (what Danish spreadsheets read)."""
    return f"{Decimal(value):.{places}f}".replace(".", ",")


PAYROLL_HEADER = ("Person-id", "Navn", "Betalte timer", "Timeløn (kr.)", "Beløb (kr.)")


def payroll_csv(site: Site, start: date, end: date) -> str:
    """The payroll office's file (see workshop.spreadsheet): one line per person, a totals line last."""
    lines = payroll_lines(site, start, end)
    rows = [(line.person.id, line.person.name, danish_decimal(Decimal(line.minutes) / 60),
             danish_decimal(kroner(line.wage_ore_per_hour)), danish_decimal(kroner(line.amount_ore)))
            for line in lines]
    rows.append(("", "I alt", danish_decimal(Decimal(sum(line.minutes for line in lines)) / 60), "",
                 danish_decimal(kroner(sum(line.amount_ore for line in lines)))))
    return spreadsheet_csv(PAYROLL_HEADER, rows)


# --- The job centre's year statistics ---------------------------------------------


@dataclass
class YearStatistics:
    """The table the workshop reports to the job centre (see DOMAIN.md, "Outcomes").

    The lines follow the year's referral cohort: every course referred during the year is
    counted once as completed, still enrolled at year end, or interrupted (18 + 13 + 2 = 33).
    Outcomes count the cohort's courses that were not interrupted, by their recorded outcome.
    The share is "in all" over the courses not interrupted (completed + still enrolled):
    8 / (33 − 2) = 8 / 31 = 25.8 %, as in the 2018 Gladsaxe report.
    """

    site: str
    year: int
    referred: int = 0
    completed: int = 0
    still_enrolled: int = 0
    interrupted: int = 0
    hired_flexjob: int = 0
    hired_smalljob: int = 0
    paid_with_internship: int = 0
    lines: list = field(default_factory=list)

    @property
    def in_all(self) -> int:
        return self.hired_flexjob + self.hired_smalljob + self.paid_with_internship

    @property
    def denominator(self) -> int:
        return self.completed + self.still_enrolled

    @property
    def share_percent(self) -> Decimal:
        if not self.denominator:
            return Decimal("0.0")
        return (Decimal(100 * self.in_all) / self.denominator).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {
            "site": self.site, "year": self.year, "referred": self.referred, "completed": self.completed,
            "still_enrolled": self.still_enrolled, "interrupted": self.interrupted,
            "hired_flexjob": self.hired_flexjob, "hired_smalljob": self.hired_smalljob,
            "paid_hours_with_internship": self.paid_with_internship, "in_all": self.in_all,
            "share_percent": float(self.share_percent), "share_denominator": self.denominator,
        }

    def rows(self) -> list[tuple[object, str]]:
        """(label, value) in the order of the report."""
        return [
            (_l("Referred by the job centre during the year"), str(self.referred)),
            (_l("Completed a course"), str(self.completed)),
            (_l("Still enrolled at year end"), str(self.still_enrolled)),
            (_l("Interrupted (wrong match, unforeseen events)"), str(self.interrupted)),
            (_l("Hired in fleksjob after the course"), str(self.hired_flexjob)),
            (_l("Hired in småjob (hourly wage) after the course"), str(self.hired_smalljob)),
            (_l("Paid hours combined with internship"), str(self.paid_with_internship)),
            (_l("With employment or paid hours, in all"), f"{self.in_all} ({danish_decimal(self.share_percent, 1)} %)"),
        ]


def year_statistics(site: Site, year: int) -> YearStatistics:
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    courses = db.session.scalars(select(Course).where(
        Course.site_id == site.id, Course.referral_date >= year_start, Course.referral_date <= year_end))
    stats = YearStatistics(site=site.slug, year=year)
    for course in courses:
        stats.referred += 1
        ended_in_time = course.actual_end is None or course.actual_end <= year_end
        if course.status == CourseStatus.INTERRUPTED and ended_in_time:
            stats.interrupted += 1
            continue
        if course.status == CourseStatus.COMPLETED and ended_in_time:
            stats.completed += 1
        else:
            stats.still_enrolled += 1
        if course.outcome == CourseOutcome.FLEXJOB:
            stats.hired_flexjob += 1
        elif course.outcome == CourseOutcome.SMALL_JOB:
            stats.hired_smalljob += 1
        elif course.outcome == CourseOutcome.PAID_HOURS_WITH_INTERNSHIP:
            stats.paid_with_internship += 1
    return stats
