"""Demo people for two sites: invented names, never real people. Idempotent."""
import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from workshop import services as core
from workshop.cli import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

from . import followups, logbook
from .models import (
    Accommodation,
    Agreement,
    Attendance,
    AvailabilitySlot,
    Course,
    CourseOutcome,
    CourseStatus,
    CourseStatusChange,
    Employment,
    EmploymentKind,
    FollowUp,
    LogbookEntry,
    PaceAssessment,
    Person,
    PersonKind,
    PersonKindChange,
    ProgressionStep,
    Skill,
    SkillLevel,
)

SKILLS = (
    ("cutting", "Tilskæring", "Cutting"),
    ("straight_seams", "Lige sømme", "Straight seams"),
    ("machine_embroidery", "Maskinbroderi", "Machine embroidery"),
    ("hand_embroidery", "Håndbroderi", "Hand embroidery"),
    ("pressing", "Presning", "Pressing"),
    ("finishing", "Efterbehandling", "Finishing"),
    ("packing", "Pakning", "Packing"),
    ("repair", "Reparation", "Repair"),
)

FIRST_NAMES = (
    "Amina", "Fatima", "Leyla", "Samira", "Hodan", "Nadia", "Zahra", "Mariam", "Rukia", "Aisha",
    "Halima", "Yasmin", "Sahra", "Khadija", "Nour", "Dilan", "Ayan", "Rania", "Salma", "Hawa",
    "Ferhat", "Gulsen", "Shirin", "Parisa", "Tahmina", "Zainab", "Asli", "Mina", "Layla", "Sana",
    "Nasrin", "Deka", "Ilham", "Jamila",
)
LAST_INITIALS = "ABDEFGHKLMNORST"
LANGUAGES = ("arabisk", "somali", "tyrkisk", "kurdisk", "farsi", "urdu", "tigrinya", "dari")
PEOPLE_PER_SITE = 19  # 15 trainees, 3 in småjob, 1 hybrid


def seed_staffing_demo() -> None:
    skills = {code: _ensure_skill(code, da, en) for code, da, en in SKILLS}
    for site_index, slug in enumerate(("ishoj", "gladsaxe")):
        site = core.get_site(slug)
        rng = random.Random(f"stitchwork-demo-{slug}")
        for number in range(PEOPLE_PER_SITE):
            name = f"{FIRST_NAMES[(number + site_index * 17) % len(FIRST_NAMES)]} {LAST_INITIALS[number % 15]}."
            if db.session.scalar(select(Person.id).where(Person.site_id == site.id, Person.name == name)):
                continue
            _create_demo_person(site, slug, number, name, rng, skills)
        leader = core.find_user_by_email(f"leder@{slug}.example")
        people = db.session.scalars(select(Person).where(Person.site_id == site.id).order_by(Person.id)).all()
        people = [person for person in people if _on_a_course(person)]
        for number, person in enumerate(people):
            _seed_agreement_and_followups(person, number, leader, random.Random(f"care-{slug}-{number}"))
            if number < 8:
                _seed_logbook(person, leader, random.Random(f"logbook-{slug}-{number}"))
        _seed_finished_courses(site, leader)


# Former trainees whose courses ended this year, so the job centre's year statistics have
# every line: (name, weeks the course ran, outcome, or None for an interruption).
FINISHED_COURSES = (
    ("Warda K.", 13, CourseOutcome.FLEXJOB),
    ("Hibo N.", 20, CourseOutcome.SMALL_JOB),
    ("Sadia R.", 26, CourseOutcome.PAID_HOURS_WITH_INTERNSHIP),
    ("Gülay T.", 13, CourseOutcome.EDUCATION),
    ("Maryan O.", 13, CourseOutcome.NONE),
    ("Nasra H.", 8, CourseOutcome.OTHER_MEASURE),
    ("Berivan S.", 5, None),
)
KIND_AFTER_OUTCOME = {CourseOutcome.FLEXJOB: PersonKind.FLEXJOB, CourseOutcome.SMALL_JOB: PersonKind.SMALL_JOB,
                      CourseOutcome.PAID_HOURS_WITH_INTERNSHIP: PersonKind.HYBRID}


def _on_a_course(person: Person) -> bool:
    return any(course.status in (CourseStatus.REFERRED, CourseStatus.ACTIVE) for course in person.courses)


def _seed_finished_courses(site, leader) -> None:
    today = local_today()
    for number, (name, weeks, outcome) in enumerate(FINISHED_COURSES):
        if db.session.scalar(select(Person.id).where(Person.site_id == site.id, Person.name == name)):
            continue
        ended = today - timedelta(weeks=2 + 3 * number)
        started = ended - timedelta(weeks=weeks)
        referred = started - timedelta(days=14)
        status = CourseStatus.COMPLETED if outcome else CourseStatus.INTERRUPTED
        person = Person(site=site, name=name, kind=KIND_AFTER_OUTCOME.get(outcome, PersonKind.FORMER),
                        languages="somali, dansk")
        person.kind_history.append(PersonKindChange(kind=PersonKind.TRAINEE, since=referred))
        person.kind_history.append(PersonKindChange(kind=person.kind, since=ended))
        course = Course(site=site, referral_date=referred, start_date=started, planned_end=started + timedelta(weeks=26),
                        actual_end=ended, weekly_minutes=12 * 60, status=status, outcome=outcome or CourseOutcome.NONE,
                        interruption_reason="" if outcome else "Flyttede fra kommunen.",
                        case_reference=f"JC-{site.slug[:3].upper()}-F{number:02d}", target_group="Aktivitetsparat")
        for old, new, day in ((None, CourseStatus.REFERRED, referred), (CourseStatus.REFERRED, CourseStatus.ACTIVE, started),
                              (CourseStatus.ACTIVE, status, ended)):
            course.status_history.append(CourseStatusChange(
                from_status=old.value if old else None, to_status=new.value, changed_at=_morning(day),
                changed_by_id=leader.id if leader else None))
        person.courses.append(course)
        db.session.add(person)
    db.session.flush()


def _ensure_skill(code: str, name_da: str, name_en: str) -> Skill:
    skill = db.session.scalar(select(Skill).where(Skill.code == code))
    if skill is None:
        skill = Skill(code=code, name_da=name_da, name_en=name_en)
        db.session.add(skill)
        db.session.flush()
    return skill


def _create_demo_person(site, slug, number, name, rng: random.Random, skills) -> Person:
    today = local_today()
    kind = PersonKind.TRAINEE if number < 15 else (PersonKind.SMALL_JOB if number < 18 else PersonKind.HYBRID)
    user = core.ensure_user(
        f"deltager{number + 1:02d}@{slug}.example", name, DEMO_PASSWORD, Role.TRAINEE, site
    )
    person = Person(
        site=site, user=user, name=name, kind=kind,
        phone=f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        languages=", ".join(rng.sample(LANGUAGES, 1) + ["dansk"]),
    )
    db.session.add(person)
    started = today - timedelta(weeks=rng.randint(1, 24))
    person.kind_history.append(PersonKindChange(kind=PersonKind.TRAINEE, since=started - timedelta(days=14)))
    weekly_hours = rng.choice((4, 12, 12, 12))
    person.courses.append(_demo_course(site, number, started, weekly_hours, rng))
    _add_weekly_pattern(person, weekly_hours, rng)
    _add_capabilities(person, started, rng, skills)
    if kind != PersonKind.TRAINEE:
        person.kind_history.append(PersonKindChange(kind=kind, since=today - timedelta(weeks=4)))
        person.employments.append(
            Employment(
                kind=EmploymentKind.HYBRID if kind == PersonKind.HYBRID else EmploymentKind.SMALL_JOB,
                hourly_wage_ore=13_500, min_weekly_minutes=2 * 60, max_weekly_minutes=(3 if kind == PersonKind.HYBRID else 6) * 60,
                start_date=today - timedelta(weeks=4), has_frikort=number == 15,
            )
        )
    db.session.flush()
    return person


def _demo_course(site, number, started: date, weekly_hours: int, rng: random.Random) -> Course:
    referred = started - timedelta(days=rng.randint(7, 21))
    if number == 14:  # one newly referred, not started yet
        course = Course(site=site, referral_date=local_today() - timedelta(days=3), status=CourseStatus.REFERRED,
                        weekly_minutes=weekly_hours * 60, case_reference=f"JC-{site.slug[:3].upper()}-{number:03d}",
                        target_group="Aktivitetsparat")
        course.status_history.append(CourseStatusChange(from_status=None, to_status=CourseStatus.REFERRED.value,
                                                        changed_at=_morning(course.referral_date)))
        return course
    course = Course(
        site=site, referral_date=referred, start_date=started, planned_end=started + timedelta(weeks=26),
        weekly_minutes=weekly_hours * 60, status=CourseStatus.ACTIVE,
        case_reference=f"JC-{site.slug[:3].upper()}-{number:03d}",
        target_group=rng.choice(("Aktivitetsparat", "Jobparat", "Ressourceforløb")),
    )
    course.status_history.append(CourseStatusChange(from_status=None, to_status=CourseStatus.REFERRED.value,
                                                    changed_at=_morning(referred)))
    course.status_history.append(CourseStatusChange(from_status=CourseStatus.REFERRED.value,
                                                    to_status=CourseStatus.ACTIVE.value, changed_at=_morning(started)))
    return course


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(8, 30), tzinfo=timezone.utc)


def _add_weekly_pattern(person: Person, weekly_hours: int, rng: random.Random) -> None:
    days = (1, 3) if weekly_hours == 4 else (0, 1, 2, 3)
    start = rng.choice((9 * 60, 10 * 60))
    length = 120 if weekly_hours == 4 else 180
    for weekday in days:
        person.availability.append(AvailabilitySlot(weekday=weekday, start_minute=start, end_minute=start + length))


def _add_capabilities(person: Person, started: date, rng: random.Random, skills) -> None:
    db.session.add(PaceAssessment(person=person, percent=rng.choice((50, 60, 75, 90, 100)), since=started))
    step = rng.choice((1, 1, 2, 2, 3, 4))
    db.session.add(ProgressionStep(person=person, step=step, since=started, note=""))
    for code in rng.sample(sorted(skills), 4):
        db.session.add(SkillLevel(person=person, skill=skills[code], level=rng.randint(0, 3), since=started))
    if rng.random() < 0.6:
        db.session.add(
            Accommodation(
                person=person,
                max_lift_kg=rng.choice((None, 5, 10)),
                max_standing_minutes=rng.choice((None, 20, 45)),
                earliest_start_minute=rng.choice((None, 10 * 60)),
                max_minutes_per_day=rng.choice((None, 180, 240)),
                break_every_minutes=rng.choice((None, 45, 60)),
                needs_quiet=rng.random() < 0.3,
                needs_seated=rng.random() < 0.3,
                note=rng.choice(("", "Har brug for en stol med ryglæn.", "Rullebord ved symaskinen.")),
            )
        )


GOALS = (
    ("Tilskæring efter mønster, lige sømme, pakning", "Sy lige sømme uden hjælp. Forstå en arbejdsseddel.",
     "Sy en hel pose selv"),
    ("Broderi, presning, efterbehandling", "Møde til tiden tre dage om ugen. Tale dansk med kunderne.",
     "Arbejde 3 timer uden pause-problemer"),
    ("Reparationer: knapper, lynlåse, oplægning", "Tage imod en reparation og skrive billetten.",
     "Tale om betalte timer"),
)
WORKED_ON = ("Syede juleposer", "Klippede stof til vaskeposer", "Broderede hjerter", "Pakkede ordre", "Lagde bukser op",
             "Presning og efterbehandling")
FOLLOWUP_TEXTS = {
    "attendance": "Kommer stabilt. Én sygedag.",
    "tasks_and_ability": "Syr lige sømme alene nu. Øver tilskæring.",
    "motivation": "Glad for at være her. Vil gerne have flere timer.",
    "accommodations_and_wellbeing": "Stolen med ryglæn hjælper. Pauser hver time virker.",
    "both_views": "Vi er enige om at prøve broderi næste gang.",
}


def _seed_agreement_and_followups(person: Person, number: int, leader, rng: random.Random) -> None:
    """An agreement for everyone on a course; follow-ups with some overdue. Skips what exists."""
    course = person.courses[-1] if person.courses else None
    if course is None or course.status != CourseStatus.ACTIVE or leader is None:
        return
    today = local_today()
    if followups.agreement_for(person) is None:
        work, goals, next_goal = GOALS[number % len(GOALS)]
        db.session.add(Agreement(
            person=person, work_functions=work, training_goals=goals, next_goal=next_goal,
            minutes_per_day=course.weekly_minutes // (2 if course.weekly_minutes <= 240 else 4),
            weekly_minutes=course.weekly_minutes, paid_hours_review_date=today + timedelta(weeks=rng.randint(2, 8)),
            accommodations_and_aids=rng.choice(("", "Stol med ryglæn", "Rullebord, pauser hver time")),
            support=rng.choice(("Mentor: Mette", "Mentor: Jonas", "Tolk ved opfølgning")), duration_weeks=26,
            followups_planned=13, next_followup_date=today + timedelta(days=rng.randint(8, 20)),
            updated_by_id=leader.id,
        ))
        db.session.flush()
    if db.session.scalar(select(FollowUp.id).where(FollowUp.person_id == person.id)) is not None:
        return
    if number % 4 == 0:  # overdue
        held, next_date = today - timedelta(days=18), today - timedelta(days=rng.randint(1, 5))
    elif number % 4 == 1:  # due this week
        held, next_date = today - timedelta(days=11), today + timedelta(days=rng.randint(0, 4))
    else:
        return
    if held < (course.start_date or today):
        return
    followups.record_followup(person, followups.FollowUpData(held_on=held, next_followup_date=next_date,
                                                             **FOLLOWUP_TEXTS), leader, today)


def _seed_logbook(person: Person, leader, rng: random.Random) -> None:
    """Two weeks of logbook on her weekdays, booked in the ledger. Skips a person who has entries."""
    course = person.courses[-1] if person.courses else None
    if course is None or course.start_date is None or leader is None:
        return
    if db.session.scalar(select(LogbookEntry.id).where(LogbookEntry.person_id == person.id)) is not None:
        return
    today = local_today()
    weekdays = {slot.weekday: slot.end_minute - slot.start_minute for slot in person.availability}
    for back in range(13, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() not in weekdays or day < course.start_date:
            continue
        roll = rng.random()
        minutes = weekdays[day.weekday()]
        if roll < 0.1:
            data = logbook.LogbookData(attendance=Attendance.SICK, feeling=rng.choice((1, 2)))
        elif roll < 0.2:
            data = logbook.LogbookData(attendance=Attendance.LEFT_EARLY, minutes_worked=minutes // 2,
                                       left_early_reason=rng.choice(("Hentede mit barn", "Ondt i ryggen", "Lægetid")),
                                       worked_on=rng.choice(WORKED_ON), feeling=rng.choice((2, 3)))
        else:
            data = logbook.LogbookData(attendance=Attendance.PRESENT, minutes_worked=minutes, break_minutes=15,
                                       worked_on=rng.choice(WORKED_ON), feeling=rng.choice((3, 4, 4, 5)),
                                       note=rng.choice(("", "", "God dag.", "Træt bagefter.")))
        logbook.save_entry(person, day, data, leader, today)
