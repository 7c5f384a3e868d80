"""Courses ("forløb"): referral, status with history, phases and site capacity. Services flush."""
import enum
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site, User

from .models import Course, CourseOutcome, CourseStatus, CourseStatusChange, Person
from .rules import MAX_INTERNSHIP_WEEKS, rule_value

#: Courses that hold one of the site's places.
PLACE_HOLDING = (CourseStatus.REFERRED, CourseStatus.ACTIVE)

#: Which status may follow which.
TRANSITIONS = {
    CourseStatus.REFERRED: {CourseStatus.ACTIVE, CourseStatus.INTERRUPTED},
    CourseStatus.ACTIVE: {CourseStatus.COMPLETED, CourseStatus.INTERRUPTED},
    CourseStatus.COMPLETED: set(),
    CourseStatus.INTERRUPTED: set(),
}


class Phase(enum.StrEnum):
    ASSESSMENT = "assessment"
    DEVELOPMENT = "development"
    INTERNSHIP = "internship"


@dataclass(frozen=True)
class PhasePeriod:
    phase: Phase
    start: date
    end: date  # included


def phase_schedule(course: Course) -> list[PhasePeriod]:
    """The phases with their dates, one after another from the start; cut at the planned end."""
    if course.start_date is None:
        return []
    periods, start = [], course.start_date
    for phase, weeks in ((Phase.ASSESSMENT, course.assessment_weeks), (Phase.DEVELOPMENT, course.development_weeks),
                         (Phase.INTERNSHIP, course.internship_weeks)):
        if weeks <= 0:
            continue
        end = start + timedelta(weeks=weeks) - timedelta(days=1)
        if course.planned_end is not None:
            if start > course.planned_end:
                break
            end = min(end, course.planned_end)
        periods.append(PhasePeriod(phase, start, end))
        start = end + timedelta(days=1)
    return periods


def phase_on(course: Course, day: date) -> PhasePeriod | None:
    """The phase the course is in on `day`, or None before the start and after the last phase."""
    for period in phase_schedule(course):
        if period.start <= day <= period.end:
            return period
    return None


def current_course(person: Person) -> Course | None:
    """Her running course, else the newest one."""
    for course in reversed(person.courses):
        if course.status in PLACE_HOLDING:
            return course
    return person.courses[-1] if person.courses else None


# --- Capacity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    used: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.used >= self.capacity

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.capacity) if self.capacity else 100


def site_capacity(site: Site) -> Capacity:
    """Places held by referred and active courses, against the site's capacity."""
    used = db.session.scalar(
        select(func.count(Course.id)).where(Course.site_id == site.id, Course.status.in_(PLACE_HOLDING))
    )
    return Capacity(int(used or 0), site.capacity)


def internship_limit_exceeded(course: Course) -> int | None:
    """The rule's maximum internship weeks when her internship phase is longer (a warning), else None.

    The limit is a configuration row per target group (`max_internship_weeks`), in force on
    the course's start (or referral) date, because the rules change over the years.
    """
    day = course.start_date or course.referral_date
    row = rule_value(MAX_INTERNSHIP_WEEKS, day, scope=course.target_group or "")
    if row is not None and course.internship_weeks > row.value_int:
        return row.value_int
    return None


def referral_would_exceed(site: Site) -> bool:
    """A warning, not a block: one more referral takes the site over its capacity."""
    capacity = site_capacity(site)
    return capacity.used + 1 > capacity.capacity


# --- Creating and changing courses --------------------------------------------------------------------


@dataclass
class CourseData:
    referral_date: date
    case_reference: str = ""
    target_group: str = ""
    start_date: date | None = None
    planned_end: date | None = None
    weekly_minutes: int = 12 * 60
    assessment_weeks: int = 6
    development_weeks: int = 7
    internship_weeks: int = 13


def _check(data: CourseData) -> None:
    if data.start_date and data.start_date < data.referral_date:
        raise DomainError(_l("The start cannot be before the referral."), field="start_date")
    if data.planned_end and data.start_date and data.planned_end <= data.start_date:
        raise DomainError(_l("The planned end must be after the start."), field="planned_end")
    if data.planned_end and not data.start_date:
        raise DomainError(_l("Give a start date with the planned end."), field="start_date")
    if not 0 < data.weekly_minutes <= 40 * 60:
        raise DomainError(_l("Weekly hours must be between 0.5 and 40."), field="weekly_hours")
    for field in ("assessment_weeks", "development_weeks", "internship_weeks"):
        if not 0 <= getattr(data, field) <= 52:
            raise DomainError(_l("A phase is 0 to 52 weeks."), field=field)


def refer(person: Person, data: CourseData, actor: User | None) -> Course:
    """A new course for her, status "referred". Capacity is checked by `referral_would_exceed` (a warning)."""
    _check(data)
    if any(course.status in PLACE_HOLDING for course in person.courses):
        raise DomainError(_l("She already has a running course. End it first."))
    actor_id = actor.id if actor else None
    course = Course(site_id=person.site_id, status=CourseStatus.REFERRED, **vars(data))
    course.status_history.append(CourseStatusChange(from_status=None, to_status=CourseStatus.REFERRED.value,
                                                    changed_by_id=actor_id))
    person.courses.append(course)
    db.session.flush()
    return course


def update_course(course: Course, data: CourseData) -> Course:
    _check(data)
    for name, value in vars(data).items():
        setattr(course, name, value)
    db.session.flush()
    return course


def change_status(course: Course, status: CourseStatus, actor: User | None, day: date,
                  outcome: CourseOutcome | None = None, reason: str = "", note: str = "") -> CourseStatusChange:
    """Move the course on (referred → active → completed, or interrupted), keeping the history."""
    if status not in TRANSITIONS[course.status]:
        raise DomainError(_l("A course cannot go from this status to that one."), field="status")
    if status == CourseStatus.ACTIVE:
        course.start_date = course.start_date or day
    if status in (CourseStatus.COMPLETED, CourseStatus.INTERRUPTED):
        if outcome is None:
            raise DomainError(_l("Choose the outcome of the course."), field="outcome")
        if status == CourseStatus.INTERRUPTED and not reason.strip():
            raise DomainError(_l("Write why the course was interrupted."), field="reason")
        if course.start_date and day < course.start_date:
            raise DomainError(_l("The end cannot be before the start."), field="day")
        course.outcome = outcome
        course.actual_end = day
        course.interruption_reason = reason.strip() if status == CourseStatus.INTERRUPTED else ""
    change = CourseStatusChange(from_status=course.status.value, to_status=status.value,
                                changed_by_id=actor.id if actor else None, note=note.strip())
    course.status_history.append(change)
    course.status = status
    db.session.flush()
    return change
