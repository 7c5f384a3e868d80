"""Import people and their courses from a workshop's spreadsheet (CSV).

All or nothing: every row is checked first; if any row has an error, nothing is written.
The column format is described in IMPORT_COLUMNS (shown on the import page and in README.md).
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.extensions import db
from workshop.inputs import date_in_range
from workshop.models import Site
from workshop.timeutil import local_today

from .forms import CourseForm, CourseStatusForm, PersonForm, max_length, parse_hours
from .models import Course, CourseOutcome, CourseStatus, Person, PersonKind, PersonKindChange

MAX_ROWS = 2000
MAX_BYTES = 2_000_000

#: (column, required, what it holds) — the documented format.
IMPORT_COLUMNS = (
    ("navn", True, _l("Name (a person with the same name at your workshop gets the course added)")),
    ("email", False, _l("E-mail")),
    ("telefon", False, _l("Phone")),
    ("sprog", False, _l("Languages, separated by commas inside quotes")),
    ("rolle", False, _l("deltager, småjob, hybrid, fleksjob, personale or tidligere (default deltager)")),
    ("henvist", False, _l("Referral date; empty: the row creates only the person")),
    ("sagsnummer", False, _l("The job centre's case reference")),
    ("målgruppe", False, _l("Target group, e.g. Aktivitetsparat")),
    ("start", False, _l("Start date")),
    ("planlagt_slut", False, _l("Planned end date")),
    ("timer_pr_uge", False, _l("Hours a week, e.g. 4 or 12 (default 12)")),
    ("status", False, _l("henvist, aktiv, afsluttet or afbrudt (default henvist)")),
    ("slut", False, _l("Actual end date")),
    ("resultat", False, _l("ordinært job, fleksjob, småjob, løntimer med praktik, uddannelse, andet tilbud or intet")),
    ("afbrudt_årsag", False, _l("Reason for interruption")),
)

KINDS = {
    "deltager": PersonKind.TRAINEE, "trainee": PersonKind.TRAINEE, "småjob": PersonKind.SMALL_JOB,
    "smalljob": PersonKind.SMALL_JOB, "hybrid": PersonKind.HYBRID, "fleksjob": PersonKind.FLEXJOB,
    "flexjob": PersonKind.FLEXJOB, "personale": PersonKind.STAFF, "staff": PersonKind.STAFF,
    "tidligere": PersonKind.FORMER, "former": PersonKind.FORMER,
}
STATUSES = {
    "henvist": CourseStatus.REFERRED, "referred": CourseStatus.REFERRED, "aktiv": CourseStatus.ACTIVE,
    "active": CourseStatus.ACTIVE, "afsluttet": CourseStatus.COMPLETED, "completed": CourseStatus.COMPLETED,
    "afbrudt": CourseStatus.INTERRUPTED, "interrupted": CourseStatus.INTERRUPTED,
}
OUTCOMES = {
    "ordinært job": CourseOutcome.ORDINARY_JOB, "ordinary_job": CourseOutcome.ORDINARY_JOB,
    "fleksjob": CourseOutcome.FLEXJOB, "flexjob": CourseOutcome.FLEXJOB,
    "småjob": CourseOutcome.SMALL_JOB, "smalljob": CourseOutcome.SMALL_JOB,
    "løntimer med praktik": CourseOutcome.PAID_HOURS_WITH_INTERNSHIP,
    "paid_with_internship": CourseOutcome.PAID_HOURS_WITH_INTERNSHIP,
    "uddannelse": CourseOutcome.EDUCATION, "education": CourseOutcome.EDUCATION,
    "andet tilbud": CourseOutcome.OTHER_MEASURE, "other_measure": CourseOutcome.OTHER_MEASURE,
    "intet": CourseOutcome.NONE, "none": CourseOutcome.NONE,
}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str = ""
    phone: str = ""
    languages: str = ""
    kind: PersonKind = PersonKind.TRAINEE
    course: dict | None = None
    existing_person: bool = False


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    #: (line number, message) — line 1 is the header.
    errors: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_people(self) -> int:
        names = {row.name.casefold() for row in self.rows if not row.existing_person}
        return len(names)

    @property
    def new_courses(self) -> int:
        return sum(1 for row in self.rows if row.course is not None)


def import_people(site: Site, data: bytes | str, dry_run: bool = True) -> ImportResult:
    """Check every row; write people and courses only when all rows are valid and dry_run is False."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append((1, str(_l("The file is too big (at most 2 MB)."))))
        return result
    text = _decode(data, result)
    if text is None:
        return result
    reader = _reader(text)
    header = [column.strip().casefold() for column in (reader.fieldnames or [])]
    if "navn" not in header:
        result.errors.append((1, str(_l("The first line must name the columns, and one must be \"navn\"."))))
        return result
    known = {column for column, _required, _help in IMPORT_COLUMNS}
    unknown = [column for column in header if column and column not in known]
    if unknown:
        result.errors.append((1, str(_l("Unknown column: %(columns)s.", columns=", ".join(unknown)))))
        return result
    existing = {name.casefold() for name in db.session.scalars(select(Person.name).where(Person.site_id == site.id))}
    for number, raw in _rows(reader, result.errors):
        if number > MAX_ROWS + 1:
            result.errors.append((number, str(_l("Too many rows; at most %(max)d at a time.", max=MAX_ROWS))))
            break
        values = {(key or "").strip().casefold(): (value or "").strip() for key, value in raw.items() if key}
        if not any(values.values()):
            continue
        row = _parse_row(number, values, result.errors)
        if row is not None:
            row.existing_person = row.name.casefold() in existing
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append((2, str(_l("The file has no rows to import."))))
    if result.errors or dry_run:
        return result
    _write(site, result.rows)
    result.written = True
    return result


def _decode(data: bytes | str, result: ImportResult) -> str | None:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    result.errors.append((1, str(_l("The file could not be read. Save it as CSV (UTF-8)."))))
    return None


def _reader(text: str) -> csv.DictReader:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac files end lines with CR alone
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _rows(reader: csv.DictReader, errors: list):
    """(line number, row) for each row, until one the csv module cannot read (a field over its size limit)."""
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            yield number, raw
    except csv.Error:
        errors.append((number + 1, str(_l("This line cannot be read: a field is too long or a quote is not closed."))))


def _parse_date(value: str) -> date:
    """A date as the forms take it (between 2000 and 2100), written in one of the spreadsheet formats."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if date_in_range(day):
            return day
    raise ValueError(value)


def _parse_row(number: int, values: dict, errors: list) -> ImportRow | None:
    problems: list[str] = []

    def optional_date(column: str, label) -> date | None:
        if not values.get(column):
            return None
        try:
            return _parse_date(values[column])
        except ValueError:
            problems.append(str(_l("%(column)s is not a date between 2000 and 2100 (use 2025-03-31 or 31-03-2025).",
                                   column=label)))
            return None

    def choice(column: str, mapping: dict, default):
        value = values.get(column, "").casefold()
        if not value:
            return default
        if value not in mapping:
            problems.append(str(_l("Unknown %(column)s: \"%(value)s\".", column=column, value=values[column])))
            return default
        return mapping[value]

    name = values.get("navn", "")
    if not name:
        problems.append(str(_l("The name is missing.")))
    elif len(name) > max_length(PersonForm.name):
        problems.append(str(_l("The name is too long (at most %(max)d characters).", max=max_length(PersonForm.name))))
    email = values.get("email", "")
    if email and ("@" not in email or len(email) > max_length(PersonForm.email)):
        problems.append(str(_l("The e-mail address is not valid.")))
    kind = choice("rolle", KINDS, PersonKind.TRAINEE)
    course = None
    course_columns = ("henvist", "sagsnummer", "målgruppe", "start", "planlagt_slut", "timer_pr_uge", "status",
                      "slut", "resultat", "afbrudt_årsag")
    if any(values.get(column) for column in course_columns):
        referral = optional_date("henvist", "henvist")
        if not values.get("henvist"):
            problems.append(str(_l("A course needs a referral date (henvist).")))
        start = optional_date("start", "start")
        planned_end = optional_date("planlagt_slut", "planlagt_slut")
        actual_end = optional_date("slut", "slut")
        weekly_minutes = 12 * 60
        if values.get("timer_pr_uge"):
            try:
                weekly_minutes = parse_hours(values["timer_pr_uge"])  # as the course form reads it
                if weekly_minutes > 60 * 60:
                    raise ValueError
            except ValueError:
                problems.append(str(_l("timer_pr_uge must be a number of hours between 0 and 60.")))
        status = choice("status", STATUSES, CourseStatus.REFERRED)
        outcome = choice("resultat", OUTCOMES, None)
        if referral and start and start < referral:
            problems.append(str(_l("The start date is before the referral date.")))
        if start and planned_end and planned_end < start:
            problems.append(str(_l("The planned end is before the start date.")))
        if start and actual_end and actual_end < start:
            problems.append(str(_l("The end date is before the start date.")))
        if status == CourseStatus.INTERRUPTED and not values.get("afbrudt_årsag"):
            problems.append(str(_l("An interrupted course needs a reason (afbrudt_årsag).")))
        problems += _too_long(values, COURSE_COLUMNS)
        course = dict(
            referral_date=referral, case_reference=values.get("sagsnummer", ""),
            target_group=values.get("målgruppe", ""), start_date=start, planned_end=planned_end,
            actual_end=actual_end, weekly_minutes=weekly_minutes, status=status, outcome=outcome,
            interruption_reason=values.get("afbrudt_årsag", ""),
        )
    problems += _too_long(values, PERSON_COLUMNS)
    for problem in problems:
        errors.append((number, problem))
    if problems:
        return None
    return ImportRow(line=number, name=name, email=email, phone=values.get("telefon", ""),
                     languages=values.get("sprog", ""), kind=kind, course=course)


#: Columns checked by the same length rule as the form field they fill.
PERSON_COLUMNS = {"telefon": PersonForm.phone, "sprog": PersonForm.languages}
COURSE_COLUMNS = {"sagsnummer": CourseForm.case_reference, "målgruppe": CourseForm.target_group,
                  "afbrudt_årsag": CourseStatusForm.reason}


def _too_long(values: dict, columns: dict) -> list[str]:
    return [str(_l("%(column)s is too long (at most %(max)d characters).", column=column, max=max_length(field)))
            for column, field in columns.items() if len(values.get(column, "")) > max_length(field)]


def _write(site: Site, rows: list[ImportRow]) -> None:
    people: dict[str, Person] = {}
    for person in db.session.scalars(select(Person).where(Person.site_id == site.id).order_by(Person.id)):
        people.setdefault(person.name.casefold(), person)
    for row in rows:
        key = row.name.casefold()
        person = people.get(key)
        if person is None:
            person = Person(site=site, name=row.name, email=row.email, phone=row.phone,
                            languages=row.languages, kind=row.kind)
            since = (row.course or {}).get("start_date") or (row.course or {}).get("referral_date") or local_today()
            person.kind_history.append(PersonKindChange(kind=row.kind, since=since, note="CSV import"))
            db.session.add(person)
        people[key] = person
        if row.course is not None:
            person.courses.append(Course(site=site, **row.course))
    db.session.flush()
