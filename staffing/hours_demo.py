"""Demo rule rows and paid hours for the demo småjob and hybrid people. Idempotent."""
from datetime import date, timedelta

from sqlalchemy import select

from workshop import services as core
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.timeutil import local_today, monday_of

from .ledger import book_minutes, current_employment
from .models import HoursKind, LedgerEntry, Person, PersonKind
from .rules import FRIKORT_CAP, FRIKORT_WARNING_PERCENT, MAX_INTERNSHIP_WEEKS, ensure_rule_value

DEMO_REFERENCE = "Demo: småjob"

#: (rule, scope, value, from, note) — demo figures; a leader checks them against the official ones.
DEMO_RULES = (
    (FRIKORT_CAP, "", 4_276_600, date(2025, 1, 1), "Socialt frikort 2025: 42.766 kr."),
    (FRIKORT_CAP, "", 4_369_000, date(2026, 1, 1), "Demo-tal for 2026 – kontrollér den officielle sats."),
    (FRIKORT_WARNING_PERCENT, "", 90, date(2025, 1, 1), "Advarsel ved 90 % af loftet."),
    (MAX_INTERNSHIP_WEEKS, "", 13, date(2025, 1, 1), "Demo-tal – kontrollér reglerne."),
    (MAX_INTERNSHIP_WEEKS, "Jobparat", 4, date(2025, 1, 1), "Demo-tal – kontrollér reglerne."),
    (MAX_INTERNSHIP_WEEKS, "Aktivitetsparat", 13, date(2025, 1, 1), "Demo-tal – kontrollér reglerne."),
)


def seed_hours_demo() -> None:
    for name, scope, value, effective_from, note in DEMO_RULES:
        ensure_rule_value(name, value, effective_from, scope, note)
    today = local_today()
    for slug in ("ishoj", "gladsaxe"):
        site = core.get_site(slug)
        paid_people = db.session.scalars(select(Person).where(
            Person.site_id == site.id, Person.kind.in_([PersonKind.SMALL_JOB, PersonKind.HYBRID])
        ).order_by(Person.id))
        for index, person in enumerate(paid_people):
            _book_demo_weeks(person, index, today)


def _book_demo_weeks(person: Person, index: int, today: date) -> None:
    if db.session.scalar(select(LedgerEntry.id).where(
            LedgerEntry.person_id == person.id, LedgerEntry.reference == DEMO_REFERENCE).limit(1)):
        return
    monday = monday_of(today)
    for weeks_back in range(4, 0, -1):
        for weekday, minutes in ((1, 90 + 30 * (index % 3)), (3, 120)):
            day = monday - timedelta(weeks=weeks_back) + timedelta(days=weekday)
            if current_employment(person, day) is None:
                continue
            try:
                book_minutes(person, day, minutes, HoursKind.PAID, activity="production", reference=DEMO_REFERENCE)
                book_minutes(person, day, 60, HoursKind.TRAINING, activity="danish_lesson" if weekday == 1 else "production",
                             reference=DEMO_REFERENCE)
            except DomainError:
                continue
