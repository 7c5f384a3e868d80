"""People, courses, what they can do and need, employment, and the one hours ledger."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models import BilingualName, Site, User, enum_column
from workshop.timeutil import utcnow


class PersonKind(enum.StrEnum):
    """What a person is at the workshop at a given time; the history is kept."""

    TRAINEE = "trainee"
    SMALL_JOB = "smalljob"
    HYBRID = "hybrid"
    FLEXJOB = "flexjob"
    STAFF = "staff"
    FORMER = "former"


class Person(db.Model):
    """A trainee, paid worker or staff member. Health data lives in Accommodation."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    #: The person's own login, if she has one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    #: Languages she speaks, comma separated ("arabisk, dansk").
    languages: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind), default=PersonKind.TRAINEE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    user: Mapped[User | None] = relationship()
    kind_history: Mapped[list["PersonKindChange"]] = relationship(
        back_populates="person", order_by="PersonKindChange.since", cascade="all, delete-orphan"
    )
    availability: Mapped[list["AvailabilitySlot"]] = relationship(
        order_by="(AvailabilitySlot.weekday, AvailabilitySlot.start_minute)", cascade="all, delete-orphan"
    )
    availability_exceptions: Mapped[list["AvailabilityException"]] = relationship(
        order_by="(AvailabilityException.day, AvailabilityException.start_minute)", cascade="all, delete-orphan"
    )
    courses: Mapped[list["Course"]] = relationship(
        back_populates="person", order_by="Course.referral_date", cascade="all, delete-orphan"
    )
    employments: Mapped[list["Employment"]] = relationship(
        back_populates="person", order_by="Employment.start_date", cascade="all, delete-orphan"
    )
    accommodation: Mapped["Accommodation | None"] = relationship(back_populates="person", cascade="all, delete-orphan")
    skill_levels: Mapped[list["SkillLevel"]] = relationship(
        back_populates="person", order_by="(SkillLevel.since, SkillLevel.id)", cascade="all, delete-orphan"
    )
    pace_history: Mapped[list["PaceAssessment"]] = relationship(
        back_populates="person", order_by="(PaceAssessment.since, PaceAssessment.id)", cascade="all, delete-orphan"
    )
    progression_history: Mapped[list["ProgressionStep"]] = relationship(
        back_populates="person", order_by="(ProgressionStep.since, ProgressionStep.id)", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Person {self.name}>"


class PersonKindChange(db.Model):
    """One step in a person's history: trainee, then småjob, then fleksjob..."""

    __tablename__ = "person_kind_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind))
    since: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped[Person] = relationship(back_populates="kind_history")


class CourseStatus(enum.StrEnum):
    REFERRED = "referred"
    ACTIVE = "active"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"


class CourseOutcome(enum.StrEnum):
    ORDINARY_JOB = "ordinary_job"
    FLEXJOB = "flexjob"
    SMALL_JOB = "smalljob"
    PAID_HOURS_WITH_INTERNSHIP = "paid_with_internship"
    EDUCATION = "education"
    OTHER_MEASURE = "other_measure"
    NONE = "none"


class Course(db.Model):
    """A course ("forløb") the job centre referred a person to."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    referral_date: Mapped[date]
    #: The job centre's case reference.
    case_reference: Mapped[str] = mapped_column(String(60), default="")
    target_group: Mapped[str] = mapped_column(String(60), default="")
    start_date: Mapped[date | None]
    planned_end: Mapped[date | None]
    actual_end: Mapped[date | None]
    #: Agreed hours a week, in minutes (4 h = 240).
    weekly_minutes: Mapped[int] = mapped_column(default=12 * 60)
    assessment_weeks: Mapped[int] = mapped_column(default=6)
    development_weeks: Mapped[int] = mapped_column(default=7)
    internship_weeks: Mapped[int] = mapped_column(default=13)
    status: Mapped[CourseStatus] = mapped_column(enum_column(CourseStatus), default=CourseStatus.REFERRED)
    outcome: Mapped[CourseOutcome | None] = mapped_column(enum_column(CourseOutcome))
    interruption_reason: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped[Person] = relationship(back_populates="courses")
    site: Mapped[Site] = relationship()
    status_history: Mapped[list["CourseStatusChange"]] = relationship(
        back_populates="course", order_by="(CourseStatusChange.changed_at, CourseStatusChange.id)",
        cascade="all, delete-orphan",
    )

    __table_args__ = (CheckConstraint("weekly_minutes >= 0", name="weekly_minutes_positive"),)


class CourseStatusChange(db.Model):
    """Audit trail of a course: who changed the status, when, from what to what."""

    __tablename__ = "course_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")

    course: Mapped[Course] = relationship(back_populates="status_history")
    changed_by: Mapped[User | None] = relationship()


class AvailabilitySlot(db.Model):
    """A weekly recurring window she can work: weekday 0 = Monday, minutes from midnight."""

    __tablename__ = "availability_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute", name="window"),
    )


class AvailabilityException(db.Model):
    """A dated change to the weekly pattern: away (sick, holiday) or extra hours."""

    __tablename__ = "availability_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    #: False: not available that day (start/end ignored). True: available start-end instead.
    available: Mapped[bool] = mapped_column(default=False)
    start_minute: Mapped[int | None]
    end_minute: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(200), default="")


class Accommodation(db.Model):
    """Functional needs ("skånehensyn"). Health data: leaders and the person only; reads are audited.

    Store needs, never diagnoses.
    """

    __tablename__ = "accommodations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    max_lift_kg: Mapped[int | None]
    max_standing_minutes: Mapped[int | None]
    #: Earliest start, minutes from midnight (600 = 10:00).
    earliest_start_minute: Mapped[int | None]
    max_minutes_per_day: Mapped[int | None]
    break_every_minutes: Mapped[int | None]
    needs_quiet: Mapped[bool] = mapped_column(default=False)
    needs_seated: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    person: Mapped["Person"] = relationship(back_populates="accommodation")


class Skill(BilingualName, db.Model):
    """A competence an operation needs (cutting, straight seams, machine embroidery...)."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)


class SkillLevel(db.Model):
    """A dated assessment of one skill, 0 (none) to 3 (can teach). The latest counts."""

    __tablename__ = "skill_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    level: Mapped[int]
    since: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")

    skill: Mapped[Skill] = relationship()

    person: Mapped["Person"] = relationship(back_populates="skill_levels")

    __table_args__ = (CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),)


class PaceAssessment(db.Model):
    """Effective pace as a percentage of standard time (50 = half the speed). The latest counts."""

    __tablename__ = "pace_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    percent: Mapped[int]
    since: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped["Person"] = relationship(back_populates="pace_history")

    __table_args__ = (CheckConstraint("percent BETWEEN 5 AND 200", name="percent_range"),)


class ProgressionStep(db.Model):
    """A step on the staircase ("trappemodel"), 1 to 4, with the date it was reached."""

    __tablename__ = "progression_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    step: Mapped[int]
    since: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")

    person: Mapped["Person"] = relationship(back_populates="progression_history")

    __table_args__ = (CheckConstraint("step BETWEEN 1 AND 4", name="step_range"),)


class EmploymentKind(enum.StrEnum):
    SMALL_JOB = "smalljob"
    FLEXJOB = "flexjob"
    HYBRID = "hybrid"


class Employment(db.Model):
    """Paid hours: småjob, fleksjob or a hybrid placement (paid + internship hours)."""

    __tablename__ = "employments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[EmploymentKind] = mapped_column(enum_column(EmploymentKind))
    hourly_wage_ore: Mapped[int]
    min_weekly_minutes: Mapped[int] = mapped_column(default=0)
    max_weekly_minutes: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    #: Holds a "socialt frikort": yearly earnings are capped (see the config rows).
    has_frikort: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="employments")

    __table_args__ = (
        CheckConstraint("hourly_wage_ore > 0", name="wage_positive"),
        CheckConstraint("min_weekly_minutes <= max_weekly_minutes", name="min_le_max"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )


class HoursKind(enum.StrEnum):
    TRAINING = "training"
    PAID = "paid"


class LedgerEntry(db.Model):
    """Minutes worked. The one place hours are stored: every hour figure is a sum of these.

    Entries are never edited: a correction is a new entry (often negative) that
    names the entry it corrects.
    """

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    work_date: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int]
    kind: Mapped[HoursKind] = mapped_column(enum_column(HoursKind))
    #: production, repair, meeting, danish_lesson, cleaning, other...
    activity: Mapped[str] = mapped_column(String(40), default="production")
    #: A readable label of what the minutes were for ("Order 2026-0042 · sew").
    reference: Mapped[str] = mapped_column(String(200), default="")
    #: Wage for paid entries, øre per hour, fixed at booking time.
    wage_ore_per_hour: Mapped[int | None]
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    #: Why a leader let paid minutes pass a socialt frikort holder's yearly cap.
    override_reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("minutes <> 0", name="minutes_not_zero"),
        CheckConstraint("kind <> 'paid' OR wage_ore_per_hour IS NOT NULL", name="paid_has_wage"),
    )


class Attendance(enum.StrEnum):
    PRESENT = "present"
    LEFT_EARLY = "left_early"
    SICK = "sick"
    ABSENT = "absent"


class LogbookEntry(db.Model):
    """The trainee's own note of one day ("logbog"). The note is health data: leaders and herself only.

    Worked minutes are booked in the hours ledger (`ledger_entry` is the live booking).
    """

    __tablename__ = "logbook_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    attendance: Mapped[Attendance] = mapped_column(enum_column(Attendance))
    left_early_reason: Mapped[str] = mapped_column(String(200), default="")
    #: What she worked on, in her own words.
    worked_on: Mapped[str] = mapped_column(String(300), default="")
    break_minutes: Mapped[int] = mapped_column(default=0)
    minutes_worked: Mapped[int] = mapped_column(default=0)
    #: How she felt afterwards, 1 (very bad) to 5 (very good); None if she did not say.
    feeling: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The ledger booking that holds this day's minutes now (corrections replace it).
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()
    entered_by: Mapped[User | None] = relationship()
    ledger_entry: Mapped["LedgerEntry | None"] = relationship()

    __table_args__ = (
        UniqueConstraint("person_id", "day", name="one_entry_per_day"),
        CheckConstraint("minutes_worked BETWEEN 0 AND 720", name="minutes_range"),
        CheckConstraint("break_minutes BETWEEN 0 AND 240", name="break_range"),
        CheckConstraint("feeling IS NULL OR feeling BETWEEN 1 AND 5", name="feeling_range"),
    )


class Agreement(db.Model):
    """The individual agreement ("individuel aftale") between a person and the workshop."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    work_functions: Mapped[str] = mapped_column(Text, default="")
    training_goals: Mapped[str] = mapped_column(Text, default="")
    next_goal: Mapped[str] = mapped_column(String(300), default="")
    minutes_per_day: Mapped[int | None]
    weekly_minutes: Mapped[int | None]
    #: When paid hours are next discussed.
    paid_hours_review_date: Mapped[date | None]
    accommodations_and_aids: Mapped[str] = mapped_column(Text, default="")
    #: Support and mentor.
    support: Mapped[str] = mapped_column(String(300), default="")
    duration_weeks: Mapped[int | None]
    followups_planned: Mapped[int | None]
    next_followup_date: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person: Mapped[Person] = relationship()


class FollowUp(db.Model):
    """A follow-up conversation ("opfølgning") on the five themes, with the next date."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    held_on: Mapped[date]
    attendance: Mapped[str] = mapped_column(Text, default="")
    tasks_and_ability: Mapped[str] = mapped_column(Text, default="")
    motivation: Mapped[str] = mapped_column(Text, default="")
    accommodations_and_wellbeing: Mapped[str] = mapped_column(Text, default="")
    both_views: Mapped[str] = mapped_column(Text, default="")
    next_followup_date: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    created_by: Mapped[User | None] = relationship()
