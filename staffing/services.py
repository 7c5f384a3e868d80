"""Staffing operations on people: who they are, what they can do and need. Services flush; the view commits.

Courses live in `courses.py`, availability in `availability.py`, the logbook in `logbook.py`,
agreements and follow-ups in `followups.py`, the progress report in `progress.py`.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, not_, or_, select
from sqlalchemy.orm import selectinload

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, Site, User
from workshop.services import checked_code, find_user_by_email, normalise_email, record_audit, save_fields

from .courses import PLACE_HOLDING
from .models import (
    Accommodation,
    Course,
    Employment,
    PaceAssessment,
    Person,
    PersonKind,
    PersonKindChange,
    ProgressionStep,
    Skill,
    SkillLevel,
)


def is_current(today: date) -> ColumnElement[bool]:
    """SQL: she is at the workshop now or is coming. Not marked former, or a course that holds a
    place (referred or active), or paid employment not ended before `today`: a person marked
    former while she still has one of those counts as current, so nobody drops off the list."""
    holds_place = select(Course.id).where(Course.person_id == Person.id, Course.status.in_(PLACE_HOLDING)).exists()
    employed = select(Employment.id).where(Employment.person_id == Person.id,
                                           or_(Employment.end_date.is_(None), Employment.end_date >= today)).exists()
    return or_(Person.kind != PersonKind.FORMER, holds_place, employed)


def people_at_site(site: Site, today: date, former: bool = False, with_courses: bool = True) -> list[Person]:
    """The site's current people by name, or with `former` those who have left; with their courses."""
    current = is_current(today)
    query = select(Person).where(Person.site_id == site.id, not_(current) if former else current)
    if with_courses:
        query = query.options(selectinload(Person.courses))
    return list(db.session.scalars(query.order_by(Person.name, Person.id)))


@dataclass(frozen=True)
class PeopleCounts:
    current: int
    former: int


def people_counts(site: Site, today: date) -> PeopleCounts:
    """How many of the site's people are current and how many have left, in one query."""
    current, total = db.session.execute(
        select(func.count(case((is_current(today), 1))), func.count()).where(Person.site_id == site.id)).one()
    return PeopleCounts(current=current, former=total - current)


def person_for_user(user) -> Person | None:
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def person_visible_to(user: User, person_id: int) -> Person:
    """The person with this id if `user` may see her: staff and leaders at her site, or herself."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_l("This person does not exist."))
    if user.role in (Role.LEADER, Role.STAFF) and person.site_id == user.site_id:
        return person
    if user.role == Role.TRAINEE and person.user_id == user.id:
        return person
    raise NotFound(_l("This person does not exist."))


# --- The person herself --------------------------------------------------------------


@dataclass
class PersonData:
    name: str
    phone: str = ""
    email: str = ""
    languages: str = ""
    #: Her login's e-mail, "" for none; None leaves the link as it is (only a leader may change it).
    user_email: str | None = None


def _set_login(person: Person, user_email: str | None, actor: User) -> None:
    """Link or unlink her login. The login opens her health data, so this is a leader's act, and audited."""
    if user_email is None or normalise_email(user_email) == (person.user.email if person.user else ""):
        return
    if actor.role != Role.LEADER or actor.site_id != person.site_id:
        raise DomainError(_l("Only a leader may link or unlink her login."), field="user_email")
    user = _free_trainee_login(person, user_email) if user_email.strip() else None
    previous = person.user
    person.user = user
    db.session.flush()
    record_audit(actor, "person.login_linked" if user else "person.login_unlinked", person,
                 user_id=user.id if user else None, previous_user_id=previous.id if previous else None)


def _free_trainee_login(person: Person, user_email: str) -> User:
    user = find_user_by_email(user_email)
    if user is None or user.site_id != person.site_id:
        raise DomainError(_l("No login with this e-mail at this workshop."), field="user_email")
    if user.role != Role.TRAINEE:
        raise DomainError(_l("Only a trainee's own login can be linked to a person."), field="user_email")
    other = db.session.scalar(select(Person).where(Person.user_id == user.id))
    if other is not None and other is not person:
        raise DomainError(_l("This login already belongs to %(name)s.", name=other.name), field="user_email")
    return user


def create_person(site: Site, data: PersonData, kind: PersonKind, since: date, actor: User) -> Person:
    """A new person at the site, with the first step of her history."""
    if not data.name.strip():
        raise DomainError(_l("Write her name."), field="name")
    person = Person(site=site, name=data.name.strip(), phone=data.phone.strip(), email=data.email.strip(),
                    languages=data.languages.strip(), kind=kind)
    person.kind_history.append(PersonKindChange(kind=kind, since=since))
    db.session.add(person)
    db.session.flush()
    _set_login(person, data.user_email, actor)
    return person


def update_person(person: Person, data: PersonData, actor: User) -> Person:
    if not data.name.strip():
        raise DomainError(_l("Write her name."), field="name")
    _set_login(person, data.user_email, actor)
    person.name = data.name.strip()
    person.phone = data.phone.strip()
    person.email = data.email.strip()
    person.languages = data.languages.strip()
    db.session.flush()
    return person


def change_kind(person: Person, kind: PersonKind, since: date, note: str = "") -> PersonKindChange:
    """Append a step to her history (trainee → småjob → fleksjob...); the latest step is her kind now."""
    latest = person.kind_history[-1] if person.kind_history else None
    if latest is not None and since < latest.since:
        raise DomainError(_l("The date must be on or after the last change (%(day)s).", day=latest.since.isoformat()),
                          field="since")
    if latest is not None and latest.kind == kind:
        raise DomainError(_l("She already has this role."), field="kind")
    change = PersonKindChange(kind=kind, since=since, note=note.strip())
    person.kind_history.append(change)
    person.kind = kind
    db.session.flush()
    return change


# --- Accommodations: health data --------------------------------------------------------


def set_fields(row, values: dict) -> list[str]:
    """Set `values` on `row` (text stripped); the names of the fields whose value changed, for the audit
    log ("" and None, 0 and None count as the same: a new row has no values yet)."""
    changed = []
    for name, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        if (getattr(row, name) or None) != (value or None):
            changed.append(name)
        setattr(row, name, value)
    return changed


def may_see_health_data(person: Person, actor: User) -> bool:
    """Her accommodations, logbook notes and why she was away: leaders at her site and herself."""
    return (actor.role == Role.LEADER and actor.site_id == person.site_id) or person.user_id == actor.id


def read_accommodation(person: Person, actor: User, why: str = "") -> Accommodation | None:
    """Her accommodations; every read is written to the audit log with its purpose (`why`, e.g. "progress
    report"). Leaders and herself only."""
    if not may_see_health_data(person, actor):
        raise DomainError(_l("Only leaders and the person herself may see accommodations."))
    record_audit(actor, "accommodations.read", person, why=why)
    return person.accommodation


#: In an audit entry about several people at once: the key of their person ids (privacy.py finds her by it).
PEOPLE_KEY = "people"


def record_accommodations_use(actor: User | None, person_ids, target, why: str, **detail) -> None:
    """One audit entry for a use of several people's accommodations at once (the week planner reads
    those of everyone it plans), naming them: each one's audit trail shows it. Nothing when none has any."""
    person_ids = sorted(set(person_ids))
    if person_ids:
        record_audit(actor, "accommodations.read", target, why=why, count=len(person_ids),
                     **{PEOPLE_KEY: person_ids}, **detail)


@dataclass
class AccommodationData:
    max_lift_kg: int | None = None
    max_standing_minutes: int | None = None
    earliest_start_minute: int | None = None
    max_minutes_per_day: int | None = None
    break_every_minutes: int | None = None
    needs_quiet: bool = False
    needs_seated: bool = False
    note: str = ""


def save_accommodation(person: Person, data: AccommodationData, actor: User) -> Accommodation:
    if actor.role != Role.LEADER or actor.site_id != person.site_id:
        raise DomainError(_l("Only leaders may change accommodations."))
    for field, value, low, high in (
        ("max_lift_kg", data.max_lift_kg, 0, 50),
        ("max_standing_minutes", data.max_standing_minutes, 0, 600),
        ("max_minutes_per_day", data.max_minutes_per_day, 30, 720),
        ("break_every_minutes", data.break_every_minutes, 10, 480),
    ):
        if value is not None and not low <= value <= high:
            raise DomainError(_l("Must be between %(low)d and %(high)d.", low=low, high=high), field=field)
    accommodation = person.accommodation or Accommodation(person=person)
    changed = set_fields(accommodation, vars(data))
    db.session.add(accommodation)
    record_audit(actor, "accommodations.update", person, why="accommodations changed", fields=changed)
    db.session.flush()
    return accommodation


# --- Skills, pace and the staircase: dated history, the latest counts --------------------------


def all_skills() -> list[Skill]:
    return list(db.session.scalars(select(Skill).order_by(Skill.name_da)))


def get_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise NotFound(_l("This skill does not exist."))
    return skill


def save_skill(skill: Skill | None, code: str, name_da: str, name_en: str = "") -> Skill:
    """Create (skill=None) or rename a skill. Skills are shared by all workshops, like operations."""
    code = checked_code(Skill, code, skill.id if skill else None)
    name_da, name_en = (name_da or "").strip(), (name_en or "").strip()
    if not name_da:
        raise DomainError(_l("Write the name in Danish."), field="name_da")
    return save_fields(skill, Skill, code=code, name_da=name_da, name_en=name_en)


def add_skill_level(person: Person, skill: Skill, level: int, since: date, note: str = "") -> SkillLevel:
    if not 0 <= level <= 3:
        raise DomainError(_l("The level must be from 0 to 3."), field="level")
    row = SkillLevel(person=person, skill=skill, level=level, since=since, note=note.strip())
    db.session.add(row)
    db.session.flush()
    return row


def add_pace(person: Person, percent: int, since: date, note: str = "") -> PaceAssessment:
    if not 5 <= percent <= 200:
        raise DomainError(_l("The pace must be between 5 and 200 percent."), field="percent")
    row = PaceAssessment(person=person, percent=percent, since=since, note=note.strip())
    db.session.add(row)
    db.session.flush()
    return row


def add_progression_step(person: Person, step: int, since: date, note: str = "") -> ProgressionStep:
    if not 1 <= step <= 4:
        raise DomainError(_l("The step must be from 1 to 4."), field="step")
    row = ProgressionStep(person=person, step=step, since=since, note=note.strip())
    db.session.add(row)
    db.session.flush()
    return row


def current_skill_levels(person: Person) -> list[SkillLevel]:
    """The latest assessment of each skill, sorted by skill name."""
    latest: dict[int, SkillLevel] = {}
    for row in person.skill_levels:  # ordered by (since, id)
        latest[row.skill_id] = row
    return sorted(latest.values(), key=lambda row: row.skill.name)


def current_pace(person: Person) -> PaceAssessment | None:
    return person.pace_history[-1] if person.pace_history else None


def current_step(person: Person) -> ProgressionStep | None:
    return person.progression_history[-1] if person.progression_history else None
