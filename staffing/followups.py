"""Individual agreements and follow-ups on the five themes; which follow-ups are due. Services flush."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site, User
from workshop.services import record_audit

from .models import Agreement, FollowUp, Person, PersonKind
from .services import set_fields

#: A follow-up is "due" when its date is at most this many days ahead.
DUE_WITHIN_DAYS = 7
FOLLOWED_KINDS = (PersonKind.TRAINEE, PersonKind.HYBRID, PersonKind.SMALL_JOB, PersonKind.FLEXJOB)


@dataclass
class AgreementData:
    work_functions: str = ""
    training_goals: str = ""
    next_goal: str = ""
    minutes_per_day: int | None = None
    weekly_minutes: int | None = None
    paid_hours_review_date: date | None = None
    accommodations_and_aids: str = ""
    support: str = ""
    duration_weeks: int | None = None
    followups_planned: int | None = None
    next_followup_date: date | None = None


def agreement_for(person: Person) -> Agreement | None:
    return db.session.scalar(select(Agreement).where(Agreement.person_id == person.id))


def save_agreement(person: Person, data: AgreementData, actor: User | None) -> Agreement:
    if data.minutes_per_day is not None and not 0 < data.minutes_per_day <= 12 * 60:
        raise DomainError(_l("Hours per day must be between 0.5 and 12."), field="hours_per_day")
    if data.weekly_minutes is not None and not 0 < data.weekly_minutes <= 40 * 60:
        raise DomainError(_l("Weekly hours must be between 0.5 and 40."), field="weekly_hours")
    if data.minutes_per_day and data.weekly_minutes and data.minutes_per_day > data.weekly_minutes:
        raise DomainError(_l("Hours per day cannot be more than hours per week."), field="hours_per_day")
    agreement = agreement_for(person) or Agreement(person=person)
    changed = set_fields(agreement, vars(data))
    agreement.updated_by_id = actor.id if actor else None
    db.session.add(agreement)
    db.session.flush()
    record_audit(actor, "agreement.update", person, why="agreement saved", fields=changed)
    return agreement


def read_agreement(person: Person, actor: User, why: str) -> Agreement | None:
    """Her agreement with its accommodations and aids (health data): the read is audited with its purpose."""
    agreement = agreement_for(person)
    if agreement is not None:
        record_audit(actor, "agreement.read", person, why=why)
    return agreement


@dataclass
class FollowUpData:
    held_on: date
    attendance: str = ""
    tasks_and_ability: str = ""
    motivation: str = ""
    accommodations_and_wellbeing: str = ""
    both_views: str = ""
    next_followup_date: date | None = None


THEMES = ("attendance", "tasks_and_ability", "motivation", "accommodations_and_wellbeing", "both_views")


def record_followup(person: Person, data: FollowUpData, actor: User | None, today: date) -> FollowUp:
    """A follow-up held on a day (not in the future), on at least one theme; sets the next date."""
    if data.held_on > today:
        raise DomainError(_l("A follow-up cannot be held in the future."), field="held_on")
    if not any(getattr(data, theme).strip() for theme in THEMES):
        raise DomainError(_l("Write about at least one theme."), field="attendance")
    if data.next_followup_date is not None and data.next_followup_date <= data.held_on:
        raise DomainError(_l("The next follow-up must be after this one."), field="next_followup_date")
    followup = FollowUp(person=person, created_by_id=actor.id if actor else None,
                        **{name: value.strip() if isinstance(value, str) else value for name, value in vars(data).items()})
    db.session.add(followup)
    agreement = agreement_for(person)
    if agreement is not None:
        agreement.next_followup_date = data.next_followup_date
    db.session.flush()
    record_audit(actor, "followup.create", person, why="follow-up recorded", held_on=data.held_on.isoformat())
    return followup


def followups_of(person: Person) -> list[FollowUp]:
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.person_id == person.id).order_by(FollowUp.held_on.desc(), FollowUp.id.desc())))


def read_followups(person: Person, actor: User, why: str) -> list[FollowUp]:
    """Her follow-ups, whose notes speak of her accommodations and well-being: the read is audited."""
    found = followups_of(person)
    if found:
        record_audit(actor, "followups.read", person, why=why, count=len(found))
    return found


def next_followup_date(person: Person) -> date | None:
    """The date set at the latest follow-up, else the agreement's date."""
    return next_followup_dates([person])[person.id]


def next_followup_dates(people: list[Person]) -> dict[int, date | None]:
    """next_followup_date for many people in two queries (not two a person): person id -> date."""
    ids = [person.id for person in people]
    dates: dict[int, date | None] = dict.fromkeys(ids)
    for person_id, agreed in db.session.execute(
            select(Agreement.person_id, Agreement.next_followup_date).where(Agreement.person_id.in_(ids))):
        dates[person_id] = agreed
    seen = set()
    for person_id, next_date in db.session.execute(
            select(FollowUp.person_id, FollowUp.next_followup_date).where(FollowUp.person_id.in_(ids))
            .order_by(FollowUp.person_id, FollowUp.held_on.desc(), FollowUp.id.desc())):
        if person_id not in seen:  # the latest follow-up counts
            seen.add(person_id)
            dates[person_id] = next_date
    return dates


@dataclass(frozen=True)
class DueFollowUp:
    person: Person
    due: date
    overdue: bool


def due_followups(site: Site, today: date) -> list[DueFollowUp]:
    """Follow-ups that are overdue or due within a week, most urgent first."""
    people = list(db.session.scalars(
        select(Person).where(Person.site_id == site.id, Person.kind.in_(FOLLOWED_KINDS)).order_by(Person.name)))
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    found = []
    dates = next_followup_dates(people)
    for person in people:
        due = dates[person.id]
        if due is not None and due <= horizon:
            found.append(DueFollowUp(person, due, due < today))
    return sorted(found, key=lambda item: (item.due, item.person.name))
