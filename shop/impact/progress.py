"""Progress figures beside the flow: the staircase now and a year earlier, weekly hours raised during
courses, and the outcomes of the courses that ended in the period. Four statements, GROUP BY in SQL.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from staffing.models import Course, CourseOutcome, CourseStatus, LedgerEntry, Person, ProgressionStep
from workshop.extensions import db

STEPS = (1, 2, 3, 4)
#: Weekly hours compare the first and last four weeks of a course (halves of a shorter one).
WINDOW_DAYS = 28


@dataclass(frozen=True)
class ProgressFigures:
    #: The day the staircase is read (the period's last day, at most today) and a year earlier.
    day: date
    year_earlier: date
    #: Women on each step 1–4 on `day` and a year earlier (their latest step since on or before).
    steps_now: dict[int, int]
    steps_before: dict[int, int]
    #: Courses that ended in the period (completed or interrupted) with hours in the ledger, and how
    #: many of them had more hours a week in their last weeks than in their first.
    courses_measured: int
    courses_raised: int
    #: Completed courses ended in the period, per outcome.
    outcomes: dict[CourseOutcome, int]

    @property
    def raised_percent(self) -> int | None:
        if not self.courses_measured:
            return None
        return round(100 * self.courses_raised / self.courses_measured)


def staircase(site_ids: list[int], day: date) -> dict[int, int]:
    """How many women of the sites stood on each step on `day` (their latest step on or before it)."""
    latest = (select(ProgressionStep.person_id, func.max(ProgressionStep.since).label("since"))
              .join(Person, Person.id == ProgressionStep.person_id)
              .where(Person.site_id.in_(site_ids), ProgressionStep.since <= day)
              .group_by(ProgressionStep.person_id).subquery())
    step_of = (select(ProgressionStep.person_id, func.max(ProgressionStep.step).label("step"))
               .join(latest, and_(latest.c.person_id == ProgressionStep.person_id,
                                  latest.c.since == ProgressionStep.since))
               .group_by(ProgressionStep.person_id).subquery())
    rows = db.session.execute(select(step_of.c.step, func.count()).group_by(step_of.c.step))
    counts = {step: 0 for step in STEPS}
    for step, count in rows:
        if step in counts:
            counts[step] = int(count)
    return counts


def _raised(site_ids: list[int], start: date, end: date) -> tuple[int, int]:
    """(courses measured, courses whose last weeks had more ledger minutes than their first weeks)."""
    rows = db.session.execute(
        select(Course.id, Course.start_date, Course.actual_end, LedgerEntry.work_date, func.sum(LedgerEntry.minutes))
        .join(LedgerEntry, and_(LedgerEntry.person_id == Course.person_id,
                                LedgerEntry.work_date >= Course.start_date, LedgerEntry.work_date <= Course.actual_end))
        .where(Course.site_id.in_(site_ids), Course.status.in_((CourseStatus.COMPLETED, CourseStatus.INTERRUPTED)),
               Course.start_date.is_not(None), Course.actual_end >= start, Course.actual_end <= end)
        .group_by(Course.id, Course.start_date, Course.actual_end, LedgerEntry.work_date))
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for course_id, course_start, course_end, day, minutes in rows:
        window = min(WINDOW_DAYS, max((course_end - course_start).days + 1, 2) // 2)
        if day < course_start + timedelta(days=window):
            first[course_id] = first.get(course_id, 0) + int(minutes or 0)
        if day > course_end - timedelta(days=window):
            last[course_id] = last.get(course_id, 0) + int(minutes or 0)
    measured = set(first) | set(last)
    return len(measured), sum(1 for course_id in measured if last.get(course_id, 0) > first.get(course_id, 0))


def _outcomes(site_ids: list[int], start: date, end: date) -> dict[CourseOutcome, int]:
    rows = db.session.execute(
        select(Course.outcome, func.count(Course.id))
        .where(Course.site_id.in_(site_ids), Course.status == CourseStatus.COMPLETED,
               Course.actual_end >= start, Course.actual_end <= end)
        .group_by(Course.outcome))
    counts = {outcome: 0 for outcome in CourseOutcome}
    for outcome, count in rows:
        counts[CourseOutcome(outcome) if outcome else CourseOutcome.NONE] += int(count)
    return counts


def progress_figures(site_ids: list[int], start: date, end: date, today: date) -> ProgressFigures:
    """The progress figures of these sites for the period (four statements)."""
    site_ids = list(site_ids)
    day = min(end, today)
    year_earlier = day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day - timedelta(days=366)
    measured, raised = _raised(site_ids, start, end)
    return ProgressFigures(day=day, year_earlier=year_earlier, steps_now=staircase(site_ids, day),
                           steps_before=staircase(site_ids, year_earlier), courses_measured=measured,
                           courses_raised=raised, outcomes=_outcomes(site_ids, start, end))
