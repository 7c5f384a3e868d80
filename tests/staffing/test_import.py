"""CSV import of people and courses: a dry run, row-by-row errors, all or nothing."""
from datetime import date

from sqlalchemy import func, select

from staffing.importer import import_people
from staffing.models import Course, CourseOutcome, CourseStatus, Person, PersonKind
from workshop.extensions import db
from workshop.models import Role

GOOD = (
    "navn;email;sprog;rolle;henvist;sagsnummer;målgruppe;start;timer_pr_uge;status;slut;resultat;afbrudt_årsag\n"
    'Amal K.;amal@example.com;"arabisk, dansk";;2025-01-06;JC-1;Aktivitetsparat;20-01-2025;4;afsluttet;2025-06-30;småjob;\n'
    "Amal K.;;;;2025-09-01;JC-2;Aktivitetsparat;;12;aktiv;;;\n"
    "Sahra D.;;somali;småjob;;;;;;;;;\n"
    "Nour E.;;;;2025-02-01;;Jobparat;2025-02-10;12,5;afbrudt;2025-03-01;;Flyttede\n"
)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_shows_the_plan_and_writes_nothing(make_site):
    site = make_site()
    result = import_people(site, GOOD.encode(), dry_run=True)
    assert result.ok and not result.written
    assert result.new_people == 3 and result.new_courses == 3
    assert [row.line for row in result.rows] == [2, 3, 4, 5]
    db.session.flush()
    assert _count(Person) == 0 and _count(Course) == 0


def test_an_import_creates_people_and_courses(make_site):
    site = make_site()
    result = import_people(site, GOOD.encode("utf-8-sig"), dry_run=False)
    assert result.ok and result.written
    amal = db.session.scalar(select(Person).where(Person.name == "Amal K."))
    assert amal.site_id == site.id and amal.languages == "arabisk, dansk" and amal.email == "amal@example.com"
    assert [(c.referral_date, c.status, c.outcome, c.weekly_minutes) for c in amal.courses] == [
        (date(2025, 1, 6), CourseStatus.COMPLETED, CourseOutcome.SMALL_JOB, 240),
        (date(2025, 9, 1), CourseStatus.ACTIVE, None, 720)]
    assert amal.courses[0].start_date == date(2025, 1, 20)
    sahra = db.session.scalar(select(Person).where(Person.name == "Sahra D."))
    assert sahra.kind == PersonKind.SMALL_JOB and sahra.courses == [] and sahra.kind_history[0].kind == PersonKind.SMALL_JOB
    nour = db.session.scalar(select(Person).where(Person.name == "Nour E."))
    assert nour.courses[0].weekly_minutes == 750 and nour.courses[0].interruption_reason == "Flyttede"


def test_an_existing_person_at_the_site_gets_the_course(make_site, make_person):
    site = make_site()
    existing = make_person(site=site, name="Amal K.")
    result = import_people(site, "navn,henvist\nAmal K.,2025-03-01\n", dry_run=False)
    assert result.new_people == 0 and result.rows[0].existing_person
    assert _count(Person) == 1 and existing.courses[0].referral_date == date(2025, 3, 1)


def test_one_bad_row_means_nothing_is_written_and_errors_name_the_lines(make_site):
    site = make_site()
    text = GOOD + (
        ";;;;2025-01-01;;;;;;;;\n"  # line 6: no name
        "Zahra F.;ikke-en-mail;;chef;01/13/2025;;;;;færdig;;måske;\n"  # line 7: many problems
        "Mina G.;;;;;;;;;afbrudt;;;\n"  # line 8: course without referral, interrupted without reason
    )
    result = import_people(site, text.encode(), dry_run=False)
    assert not result.ok and not result.written
    lines = [line for line, _message in result.errors]
    assert 6 in lines and 7 in lines and 8 in lines and 2 not in lines
    messages = " ".join(message for _line, message in result.errors)
    assert "Navnet mangler" in messages
    assert "ikke en dato" in messages
    db.session.flush()
    assert _count(Person) == 0 and _count(Course) == 0


def test_wrong_columns_and_empty_files_are_refused(make_site):
    site = make_site()
    assert import_people(site, b"name;email\nA;b\n").errors[0][0] == 1
    assert import_people(site, b"navn;farve\nA;b\n").errors[0][0] == 1
    assert not import_people(site, b"navn\n").ok
    assert not import_people(site, b"").ok


def test_a_spreadsheet_saved_as_windows_1252_is_read(make_site):
    result = import_people(make_site(), "navn;målgruppe;henvist\nSøs Æ.;Jobparat;2025-01-01\n".encode("cp1252"))
    assert result.ok and result.rows[0].name == "Søs Æ."


def test_a_huge_file_is_refused_before_reading(make_site):
    result = import_people(make_site(), b"navn\n" + b"A\n" * 1_100_000)
    assert not result.ok and result.errors[0][0] == 1


# --- Issue 17, finding 7: no 500 on odd files; dates within what the forms accept ------------------


def test_a_field_over_the_csv_modules_limit_is_a_line_error_not_a_crash(make_site):
    result = import_people(make_site(), ("navn;målgruppe\nAmal K.;" + "x" * 140_000 + "\n").encode())
    assert not result.ok and result.errors[-1][0] == 2 and "for langt" in result.errors[-1][1]
    assert _count(Person) == 0


def test_lone_cr_line_endings_are_read_as_lines(make_site):
    result = import_people(make_site(), b"navn;henvist\rAmal K.;2025-03-01\rSahra D.;\r", dry_run=False)
    assert result.ok and result.new_people == 2 and result.new_courses == 1


def test_dates_outside_2000_2100_are_refused_like_the_form_refuses_them(make_site):
    text = "navn;henvist;start\nAmal K.;2025-01-06;9999-12-30\nSahra D.;01-01-1899;\n"
    result = import_people(make_site(), text.encode(), dry_run=False)
    assert [line for line, _message in result.errors] == [2, 3]
    assert all("mellem 2000 og 2100" in message for _line, message in result.errors)
    assert _count(Person) == 0


def test_weekly_hours_are_read_as_the_course_form_reads_them(make_site):
    text = "navn;henvist;timer_pr_uge\nA;2025-01-06;4:30\nB;2025-01-06;1e309\nC;2025-01-06;nan\nD;2025-01-06;61\n"
    result = import_people(make_site(), text.encode())
    assert [line for line, _message in result.errors] == [3, 4, 5]
    assert result.rows[0].course["weekly_minutes"] == 270


def test_the_import_page_checks_an_odd_file_without_a_500(client_as):
    from io import BytesIO

    client = client_as(Role.LEADER)
    for body in (b"navn\r" + b"x" * 140_000 + b"\r", b"navn;start;henvist\rA;9999-12-30;2025-01-01\r"):
        response = client.post("/hours/import", data={"file": (BytesIO(body), "people.csv"), "check": "y"},
                               content_type="multipart/form-data")
        assert response.status_code in (200, 400)
    assert _count(Person) == 0


def test_lengths_are_checked_by_the_forms_own_rules(make_site, monkeypatch):
    """A longer limit on the person form's phone field is the import's limit too: one rule for both."""
    from wtforms.validators import Length

    from staffing.forms import PersonForm

    text = f"navn;telefon\nAmal K.;{'1' * 41}\n".encode()
    assert "højst 40 tegn" in import_people(make_site(), text).errors[0][1]
    monkeypatch.setitem(PersonForm.phone.kwargs, "validators", [Length(max=50)])
    assert import_people(make_site(), text).errors == []
