"""A person's rights over her data (GDPR): a copy of everything about her, and erasure.

What belongs to a person is found from the schema, not from a list kept by hand: every table with a
`person_id` column (her courses, logbook, hours, plans, ...), the rows that hang off her courses, her
login, and the audit log's entries about her (among them who read her health data). So a table added
later by any package is in her export without anyone remembering it.

Erasure keeps the hours and counts for the statistics (the ledger's minutes, a course's dates) and
removes what tells who she is or how she is: her name and contact details, her health data
(accommodations, the notes of her logbook, agreement and follow-ups) and the free text about her.
"""
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, false, func, or_, select, update

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Role, User
from workshop.services import record_audit
from workshop.spreadsheet import spreadsheet_csv
from workshop.timeutil import to_local

from .models import Accommodation, LogbookEntry, Person
from .services import PEOPLE_KEY

#: Free text about a person, per table: blanked on erasure (numbers, dates and codes stay).
ERASED_TEXT = {
    "people": ("phone", "email", "languages"),
    "courses": ("case_reference", "interruption_reason"),
    "course_status_changes": ("note",),
    "person_kind_changes": ("note",),
    "availability_exceptions": ("reason",),
    "skill_levels": ("note",),
    "pace_assessments": ("note",),
    "progression_steps": ("note",),
    "ledger_entries": ("note", "override_reason"),
    "logbook_entries": ("note", "left_early_reason", "worked_on"),
    "agreements": ("work_functions", "training_goals", "next_goal", "accommodations_and_aids", "support"),
    "follow_ups": ("attendance", "tasks_and_ability", "motivation", "accommodations_and_wellbeing", "both_views"),
}


def _person_tables():
    """Every table with a person_id column, and (table, via) for rows hanging off her courses."""
    tables = [table for table in db.metadata.sorted_tables if "person_id" in table.c]
    course_children = [table for table in db.metadata.sorted_tables if "course_id" in table.c]
    return tables, course_children


def _rows(table, column, values) -> list[dict]:
    result = db.session.execute(select(table).where(table.c[column].in_(values)).order_by(table.c.id))
    return [dict(row._mapping) for row in result]


#: (name, function(person) -> rows) from higher packages: what they keep about her that has no
#: `person_id` column (production registers the tasks assigned to her).
_COLLECTORS: list[tuple[str, Callable[[Person], list[dict]]]] = []


def register_collector(name: str, collector: Callable[[Person], list[dict]]) -> None:
    """Add rows of another package to every export, under `name` (registered once at start-up)."""
    if all(existing != name for existing, _collector in _COLLECTORS):
        _COLLECTORS.append((name, collector))


def collect(person: Person) -> dict[str, list[dict]]:
    """All rows about her, by table name (her person row, login and the audit entries about her included)."""
    tables, course_children = _person_tables()
    data = {"people": _rows(Person.__table__, "id", [person.id])}
    for table in tables:
        data[table.name] = _rows(table, "person_id", [person.id])
    course_ids = [row["id"] for row in data.get("courses", [])]
    for table in course_children:
        data[table.name] = _rows(table, "course_id", course_ids) if course_ids else []
    if person.user_id:
        user = _rows(User.__table__, "id", [person.user_id])
        data["users"] = [{key: value for key, value in row.items() if key in ("id", "email", "name", "role", "locale",
                                                                                 "is_active_account", "created_at")}
                         for row in user]
    for name, collector in _COLLECTORS:
        data[name] = collector(person)
    data["audit_log"] = [{**row._mapping, "detail": _without_others(row.detail)} for row in db.session.execute(
        select(AuditEntry.__table__).where(_about_or_by(person)).order_by(AuditEntry.id))]
    return {name: rows for name, rows in data.items() if rows}


# --- Her audit trail ---------------------------------------------------------------------------

#: Audit actions that are reads of her health data.
HEALTH_DATA_READS = ("accommodations.read", "logbook.read")


def _about_or_by(person: Person):
    """Audit entries about her (alone, or among others: the planner reads everyone's accommodations at
    once), and those her own login made."""
    about = (AuditEntry.object_type == "Person") & (AuditEntry.object_id == person.id)
    naming_her = _naming(person)
    return or_(about, AuditEntry.id.in_(naming_her) if naming_her else false(),
               AuditEntry.user_id == person.user_id if person.user_id else false())


def _naming(person: Person) -> list[int]:
    """The ids of the health data reads about several people at once that name her."""
    rows = db.session.execute(select(AuditEntry.id, AuditEntry.detail).where(
        AuditEntry.action.in_(HEALTH_DATA_READS), AuditEntry.object_type != "Person"))
    return [entry_id for entry_id, detail in rows if person.id in _people_named(detail)]


def _people_named(detail: dict | None) -> list[int]:
    named = (detail or {}).get(PEOPLE_KEY)
    return named if isinstance(named, list) else []


def _without_others(detail: dict | None) -> dict:
    """An entry's detail without the other people it names: her copy shows how many, not who."""
    return {key: value for key, value in (detail or {}).items() if key != PEOPLE_KEY}


def audit_trail(person: Person) -> list[AuditEntry]:
    """Her audit trail, newest first: who read or changed what about her, when and why."""
    return list(db.session.scalars(select(AuditEntry).where(_about_or_by(person))
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


def health_data_reads(person: Person) -> list[AuditEntry]:
    """Who read her accommodations or logbook notes, newest first."""
    return [entry for entry in audit_trail(person) if entry.action in HEALTH_DATA_READS and (
        (entry.object_type == "Person" and entry.object_id == person.id) or person.id in _people_named(entry.detail))]


def _check_leader(person: Person, actor: User, message) -> None:
    if actor.role != Role.LEADER or actor.site_id != person.site_id:
        raise DomainError(message)


def audit_rows(entries: list[AuditEntry]) -> list[dict]:
    """Audit entries as plain rows: when (Copenhagen time), who, action, why, what."""
    return [{"when": to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
             "who": entry.user.name if entry.user else "",
             "role": entry.user.role.value if entry.user else "",
             "action": entry.action,
             "why": (entry.detail or {}).get("why", ""),
             "what": json.dumps({key: value for key, value in _without_others(entry.detail).items() if key != "why"},
                                ensure_ascii=False, sort_keys=True, default=str)}
            for entry in entries]


def audit_trail_csv(person: Person, actor: User) -> str:
    """Her audit trail as CSV (semicolons, for a Danish spreadsheet): leaders of her site; the export is logged."""
    _check_leader(person, actor, _l("Only the workshop's leaders may export a person's audit trail."))
    rows = audit_rows(audit_trail(person))
    record_audit(actor, "person.audit_exported", person, why="audit trail download", entries=len(rows))
    return spreadsheet_csv(["when", "who", "role", "action", "why", "what"], [row.values() for row in rows])


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def _csv(rows: list[dict]) -> str:
    return spreadsheet_csv(list(rows[0]), [[_plain(value) for value in row.values()] for row in rows])


#: The summary page's sections, in order: (heading, the tables it shows). Tables in none go under "Other".
SUMMARY_SECTIONS = (
    (_l("Profile"), ("people", "users", "person_kind_changes", "skill_levels", "pace_assessments",
                     "progression_steps", "availability_slots", "availability_exceptions", "employments")),
    (_l("Courses"), ("courses", "course_status_changes")),
    (_l("Logbook"), ("logbook_entries",)),
    (_l("Accommodations"), ("accommodations",)),
    (_l("Agreement and follow-ups"), ("agreements", "follow_ups")),
    (_l("Hours ledger"), ("ledger_entries",)),
    (_l("Plans and tasks"), ("plan_assignments", "plan_forbids", "tasks", "work_sessions", "work_records")),
)


def summary_sections(data: dict[str, list[dict]]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """The export's data grouped for the page to read: [(heading, [(table, rows)])]."""
    placed = {"audit_log"}
    sections = []
    for heading, tables in SUMMARY_SECTIONS:
        sections.append((heading, [(table, data[table]) for table in tables if data.get(table)]))
        placed.update(tables)
    other = [(table, rows) for table, rows in data.items() if table not in placed]
    if other:
        sections.append((_l("Other"), other))
    return sections


def export_zip(person: Person, actor: User) -> bytes:
    """A ZIP with all her data: data.json, one CSV per table, and summary.html to read. The export is logged."""
    _check_leader(person, actor, _l("Only the workshop's leaders may export a person's data."))
    data = collect(person)
    reads = audit_rows(health_data_reads(person))
    record_audit(actor, "person.data_exported", person, why="subject-access export", tables=sorted(data))
    plain = {name: [{key: _plain(value) for key, value in row.items()} for row in rows] for name, rows in data.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(plain, ensure_ascii=False, indent=2, default=str))
        for name, rows in data.items():
            archive.writestr(f"csv/{name}.csv", _csv(rows))
        if reads:
            archive.writestr("csv/health_data_reads.csv", _csv(reads))
        archive.writestr("summary.html", render_template(
            "staffing/privacy/summary.html", person=person, sections=summary_sections(plain), reads=reads,
            lang=str(get_locale() or "da")))
    return buffer.getvalue()


def erase(person: Person, actor: User) -> Person:
    """Anonymise her: who she is and how she is goes; her hours and counts stay for the statistics."""
    _check_leader(person, actor, _l("Only the workshop's leaders may erase a person."))
    if person.user_id == actor.id:
        raise DomainError(_l("You cannot erase yourself. Ask another leader."))
    tables, course_children = _person_tables()
    course_ids = list(db.session.scalars(select(db.metadata.tables["courses"].c.id)
                                         .where(db.metadata.tables["courses"].c.person_id == person.id)))
    for table in [*tables, *course_children, Person.__table__]:
        columns = ERASED_TEXT.get(table.name)
        if not columns:
            continue
        if table.name == "people":
            where = table.c.id == person.id
        elif "person_id" in table.c:
            where = table.c.person_id == person.id
        else:
            where = table.c.course_id.in_(course_ids)
        db.session.execute(update(table).where(where).values({column: "" for column in columns}))
    db.session.execute(delete(Accommodation).where(Accommodation.person_id == person.id))
    person.name = str(_l("Erased person %(number)d", number=person.id))
    if person.user_id:
        _erase_login(db.session.get(User, person.user_id))
    db.session.flush()
    record_audit(actor, "person.erased", person, why="erasure asked for")
    return person


def _erase_login(user: User) -> None:
    user.email = f"erased-{user.id}@invalid.example"
    user.name = str(_l("Erased person"))
    user.totp_secret = None
    user.is_active_account = False  # which also ends her sessions



def forget_old_health_data(now) -> int:
    """Logbook notes and accommodations of people whose last course ended RETENTION_HEALTH_DATA_YEARS ago
    and who have no course going on (a retention rule). Returns how many people's data was removed."""
    courses = db.metadata.tables["courses"]
    cutoff = (now - timedelta(days=365 * current_app.config["RETENTION_HEALTH_DATA_YEARS"])).date()
    ended = func.coalesce(courses.c.actual_end, courses.c.planned_end)
    last_end = select(courses.c.person_id).group_by(courses.c.person_id).having(
        func.max(ended) < cutoff, func.count() == func.count(ended))
    people = list(db.session.scalars(last_end))
    if not people:
        return 0
    with_data = set(db.session.scalars(select(Accommodation.person_id).where(Accommodation.person_id.in_(people))))
    with_data |= set(db.session.scalars(select(LogbookEntry.person_id).where(
        LogbookEntry.person_id.in_(people), (LogbookEntry.note != "") | (LogbookEntry.left_early_reason != ""))))
    db.session.execute(delete(Accommodation).where(Accommodation.person_id.in_(people)))
    db.session.execute(update(LogbookEntry).where(LogbookEntry.person_id.in_(people))
                       .values(note="", left_early_reason=""))
    return len(with_data)
