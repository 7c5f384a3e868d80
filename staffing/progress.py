"""The progress report ("progressionsrapport") for the job centre: read-only figures for one trainee."""
from dataclasses import dataclass, field
from datetime import date

from workshop.models import User

from . import courses, followups, logbook, services
from .ledger import minutes_worked
from .models import Accommodation, Agreement, Attendance, Course, PaceAssessment, Person, ProgressionStep, SkillLevel

#: Level from which a skill counts as mastered (0 none, 1 with help, 2 alone, 3 can teach).
MASTERED_LEVEL = 2


@dataclass
class ProgressReport:
    person: Person
    course: Course | None
    start: date | None
    end: date | None
    attendance: dict[Attendance, int]
    planned_minutes: int
    achieved_minutes: int
    skills: list[SkillLevel]
    mastered: list[SkillLevel]
    pace: PaceAssessment | None
    accommodation: Accommodation | None
    steps: list[ProgressionStep]
    agreement: Agreement | None
    phases: list = field(default_factory=list)

    @property
    def achieved_percent(self) -> int | None:
        return round(100 * self.achieved_minutes / self.planned_minutes) if self.planned_minutes else None


def planned_minutes(course: Course, start: date, end: date) -> int:
    """The course's weekly hours times the weeks from `start` to `end` (both included)."""
    days = (end - start).days + 1
    return round(course.weekly_minutes * max(days, 0) / 7) if days > 0 else 0


def build(person: Person, actor: User, today: date) -> ProgressReport:
    """Everything the report shows. Reading accommodations writes an audit row."""
    course = courses.current_course(person)
    start = course.start_date if course else None
    end = None
    if start is not None:
        end = min(today, course.actual_end or course.planned_end or today)
    attendance = logbook.attendance_counts(person, start, end, actor) if start and end else {kind: 0 for kind in Attendance}
    skills = services.current_skill_levels(person)
    return ProgressReport(
        person=person, course=course, start=start, end=end, attendance=attendance,
        planned_minutes=planned_minutes(course, start, end) if start and end else 0,
        achieved_minutes=minutes_worked(person, start, end) if start and end else 0,
        skills=skills, mastered=[row for row in skills if row.level >= MASTERED_LEVEL],
        pace=services.current_pace(person),
        accommodation=services.read_accommodation(person, actor, why="progress report"),
        steps=list(person.progression_history), agreement=followups.agreement_for(person),
        phases=courses.phase_schedule(course) if course else [],
    )
