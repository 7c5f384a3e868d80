"""Request tests for the hours pages: every route, every role, bad input, the CSV download."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from staffing.employment import add_employment
from staffing.ledger import book_minutes
from staffing.models import Course, Employment, EmploymentKind, HoursKind, LedgerEntry, Person
from staffing.rules import FRIKORT_CAP, RuleValue, add_rule_value
from workshop.extensions import db
from workshop.models import AuditEntry, Role

DAY = date(2026, 3, 2)
GET_PAGES = ["/hours/", "/hours/person?person=1", "/hours/book", "/hours/payroll", "/hours/payroll.csv", "/hours/rules",
             "/hours/jobcentre", "/hours/import"]


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def leader(client_as):
    return client_as(Role.LEADER)


@pytest.fixture
def worker(leader, make_person):
    person = make_person(site=leader.user.site, name="Amina A.", employment_wage_ore=13_500)
    db.session.commit()
    return person


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", GET_PAGES + ["/hours/person/1", "/hours/entry/1/correct", "/hours/person/1/employment"])
def test_anonymous_visitors_go_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_other_roles_get_403_everywhere(client_as, make_person, role):
    client = client_as(role)
    person = make_person(employment_wage_ore=13_500)
    entry = book_minutes(person, DAY, 60, HoursKind.PAID)
    employment_id = person.employments[0].id
    db.session.commit()
    for path in GET_PAGES + [f"/hours/person/{person.id}", f"/hours/entry/{entry.id}/correct",
                             f"/hours/person/{person.id}/employment"]:
        assert client.get(path).status_code == 403, path
    for path in ["/hours/book", f"/hours/entry/{entry.id}/correct", f"/hours/person/{person.id}/employment",
                 f"/hours/employment/{employment_id}/end", "/hours/rules", "/hours/import"]:
        assert client.post(path, data={}).status_code == 403, path
    assert _count(LedgerEntry) == 1


@pytest.mark.parametrize("path", [page for page in GET_PAGES if "?" not in page])
def test_a_leader_opens_every_page(leader, path):
    assert leader.get(path).status_code == 200


def test_the_person_picker_opens_her_ledger(leader, worker, make_person):
    page = leader.get("/hours/").get_data(as_text=True)
    assert f'<option value="{worker.id}">Amina A.</option>' in page
    response = leader.get(f"/hours/person?person={worker.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/hours/person/{worker.id}")
    assert leader.get(f"/hours/person/{worker.id}").status_code == 200
    assert leader.get("/hours/person?person=x").status_code == 400
    stranger = make_person()
    db.session.commit()
    assert leader.get(f"/hours/person?person={stranger.id}").status_code == 404


def test_another_sites_people_and_entries_are_404(leader, make_person):
    stranger = make_person(employment_wage_ore=13_500)
    entry = book_minutes(stranger, DAY, 60, HoursKind.PAID)
    employment_id = stranger.employments[0].id
    db.session.commit()
    assert leader.get(f"/hours/person/{stranger.id}").status_code == 404
    assert leader.get(f"/hours/entry/{entry.id}/correct").status_code == 404
    assert leader.get(f"/hours/person/{stranger.id}/employment").status_code == 404
    assert leader.post(f"/hours/employment/{employment_id}/end", data={"end_date": "2026-04-01"}).status_code == 404
    response = leader.post("/hours/book", data={"person_id": stranger.id, "work_date": "2026-03-02", "minutes": 60,
                                                "kind": "paid", "activity": "production"})
    assert response.status_code == 400  # not among her choices
    assert _count(LedgerEntry) == 1
    assert "Amina" not in leader.get("/hours/?period=month&day=2026-03-01").get_data(as_text=True)


# --- Booking, sums, corrections ---------------------------------------------------------------


def test_a_leader_books_paid_hours_and_sees_the_sums(leader, worker):
    response = leader.post("/hours/book", data={"person_id": worker.id, "work_date": "2026-03-02", "minutes": 90,
                                                "kind": "paid", "activity": "production", "reference": "Ordre 42"})
    assert response.status_code == 302
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ordre 42" in page and "202,50" in page
    entry = db.session.scalar(select(LedgerEntry))
    assert (entry.minutes, entry.wage_ore_per_hour, entry.created_by_id) == (90, 13_500, leader.user.id)
    overview = leader.get("/hours/?period=week&day=2026-03-04").get_data(as_text=True)
    assert "Amina A." in overview and "1,5" in overview


@pytest.mark.parametrize("data, message", [
    ({"minutes": "0"}, "Minutter skal være mellem 1 og 720"),
    ({"minutes": "abc"}, "Skriv et helt tal"),
    ({"work_date": "31-02-2026"}, "Skriv datoen som ÅÅÅÅ-MM-DD"), ({"work_date": ""}, "Vælg en dato"),
    ({"kind": "overtime"}, "Not a valid choice"),
])
def test_bad_bookings_are_400_with_a_message_and_write_nothing(leader, worker, data, message):
    form = {"person_id": worker.id, "work_date": "2026-03-02", "minutes": 60, "kind": "paid",
            "activity": "production", **data}
    response = leader.post("/hours/book", data=form)
    assert response.status_code == 400
    if message != "Not a valid choice":
        assert message in response.get_data(as_text=True)
    assert _count(LedgerEntry) == 0


def test_paid_hours_without_employment_are_refused_in_danish(leader, make_person):
    person = make_person(site=leader.user.site)
    db.session.commit()
    response = leader.post("/hours/book", data={"person_id": person.id, "work_date": "2026-03-02", "minutes": 60,
                                                "kind": "paid", "activity": "production"})
    assert response.status_code == 400
    assert "har ingen lønnet ansættelse" in response.get_data(as_text=True)
    assert _count(LedgerEntry) == 0


def test_frikort_cap_refusal_and_leader_override_through_the_form(leader, make_person):
    add_rule_value(FRIKORT_CAP, 100_000, date(2026, 1, 1), None)
    person = make_person(site=leader.user.site)
    add_employment(person, EmploymentKind.SMALL_JOB, 10_000, 0, 600, date(2026, 1, 1), has_frikort=True)
    book_minutes(person, DAY, 570, HoursKind.PAID)  # 950 kr. of 1.000 kr.
    db.session.commit()
    page = leader.get(f"/hours/person/{person.id}?from=2026-01-01&to=2026-12-31").get_data(as_text=True)
    assert "Socialt frikort 2026" in page and "95,0 %" in page and "Tæt på loftet" in page
    form = {"person_id": person.id, "work_date": "2026-03-03", "minutes": 60, "kind": "paid", "activity": "production"}
    refused = leader.post("/hours/book", data=form)
    assert refused.status_code == 400 and "over loftet for socialt frikort" in refused.get_data(as_text=True)
    assert _count(LedgerEntry) == 1
    allowed = leader.post("/hours/book", data={**form, "override_reason": "Aftalt med jobcentret"})
    assert allowed.status_code == 302
    warned = leader.get(allowed.headers["Location"]).get_data(as_text=True)
    assert "har nu tjent 105,0 % af loftet for socialt frikort i 2026" in warned
    assert "Over hendes grænse" in warned and "Aftalt med jobcentret" in warned
    assert db.session.scalar(select(LedgerEntry).order_by(LedgerEntry.id.desc())).override_reason == "Aftalt med jobcentret"


def test_a_correction_is_a_new_entry(leader, worker):
    entry = book_minutes(worker, DAY, 120, HoursKind.PAID)
    db.session.commit()
    assert leader.get(f"/hours/entry/{entry.id}/correct").status_code == 200
    bad = leader.post(f"/hours/entry/{entry.id}/correct", data={"note": "", "new_minutes": "90"})
    assert bad.status_code == 400 and "Skriv hvorfor" in bad.get_data(as_text=True)
    assert _count(LedgerEntry) == 1
    response = leader.post(f"/hours/entry/{entry.id}/correct", data={"note": "Gik kl. 11", "new_minutes": "90"})
    assert response.status_code == 302
    minutes = list(db.session.scalars(select(LedgerEntry.minutes).order_by(LedgerEntry.id)))
    assert minutes == [120, -120, 90]
    again = leader.post(f"/hours/entry/{entry.id}/correct", data={"note": "igen"})
    assert again.status_code == 400 and "allerede rettet" in again.get_data(as_text=True)
    assert _count(LedgerEntry) == 3


def test_bad_period_parameters_are_400_in_danish(leader, worker):
    response = leader.get(f"/hours/person/{worker.id}?from=2026-13-01")
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in response.get_data(as_text=True)
    assert leader.get("/hours/payroll?from=2026-03-31&to=2026-03-01").status_code == 400
    assert leader.get("/hours/?period=year").status_code == 400
    assert leader.get("/hours/jobcentre?year=abc").status_code == 400


# --- Employment -------------------------------------------------------------------------------


def test_a_leader_adds_and_ends_an_employment(leader, make_person):
    person = make_person(site=leader.user.site)
    db.session.commit()
    response = leader.post(f"/hours/person/{person.id}/employment", data={
        "kind": "smalljob", "hourly_wage": "135,50", "min_weekly_hours": "2", "max_weekly_hours": "6,5",
        "start_date": "2026-03-01", "has_frikort": "y"})
    assert response.status_code == 302
    employment = db.session.scalar(select(Employment))
    assert (employment.hourly_wage_ore, employment.min_weekly_minutes, employment.max_weekly_minutes,
            employment.has_frikort) == (13_550, 120, 390, True)
    ended = leader.post(f"/hours/employment/{employment.id}/end", data={"end_date": "2026-05-31"})
    assert ended.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employment, employment.id).end_date == date(2026, 5, 31)
    bad_end = leader.post(f"/hours/employment/{employment.id}/end", data={"end_date": "2020-01-01"})
    assert bad_end.status_code == 400 and "Slutdatoen kan ikke" in bad_end.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"min_weekly_hours": "8", "max_weekly_hours": "4"}, "Minimum kan ikke være mere end maksimum"),
    ({"end_date": "2026-02-01"}, "Slutdatoen kan ikke være før startdatoen"),
    ({"hourly_wage": "mange penge"}, "Skriv et beløb i kroner"),
    ({"start_date": "2025-06-01"}, "har allerede en ansættelse i den periode"),
])
def test_bad_employments_are_400_and_write_nothing(leader, make_person, data, message):
    person = make_person(site=leader.user.site, employment_wage_ore=13_500)  # open since 2020
    db.session.commit()
    form = {"kind": "smalljob", "hourly_wage": "135", "min_weekly_hours": "2", "max_weekly_hours": "6",
            "start_date": "2026-03-01", **data}
    if "start_date" not in data:
        person.employments[0].end_date = date(2026, 1, 31)
        db.session.commit()
    response = leader.post(f"/hours/person/{person.id}/employment", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(Employment) == 1


# --- Payroll export ---------------------------------------------------------------------------


def test_payroll_page_and_csv_download(leader, worker):
    book_minutes(worker, DAY, 90, HoursKind.PAID)
    book_minutes(worker, DAY, 60, HoursKind.TRAINING)
    db.session.commit()
    page = leader.get("/hours/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "Amina A." in page and "202,50" in page and "Hent CSV" in page
    response = leader.get("/hours/payroll.csv?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "2026-03-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == [str(worker.id), "Amina A.", "1,50", "135,00", "202,50"]
    assert rows[-1] == ["", "I alt", "1,50", "", "202,50"]
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "payroll.export"))
    assert audit.user_id == leader.user.id and audit.detail == {"start": "2026-03-01", "end": "2026-03-31"}


# --- Rules ------------------------------------------------------------------------------------


def test_a_leader_adds_a_rule_value_and_sees_the_history(leader):
    add_rule_value(FRIKORT_CAP, 4_276_600, date(2025, 1, 1), None, note="2025")
    db.session.commit()
    response = leader.post("/hours/rules", data={"name": FRIKORT_CAP, "value": "43.690,00",
                                                 "effective_from": "2026-01-01", "note": "Ny sats"})
    assert response.status_code == 302
    row = db.session.scalar(select(RuleValue).where(RuleValue.effective_from == date(2026, 1, 1)))
    assert (row.value_int, row.unit, row.changed_by_id) == (4_369_000, "ore", leader.user.id)
    page = leader.get("/hours/rules").get_data(as_text=True)
    assert "42.766,00" in page and "43.690,00" in page and "Ny sats" in page


@pytest.mark.parametrize("data, message", [
    ({"value": "mange"}, "Skriv et helt tal"),
    ({"value": "", }, "Skriv en værdi"),
    ({"name": "frikort_warning_percent", "value": "150"}, "mellem 1 og 100"),
    ({"effective_from": "2025-01-01"}, "har allerede en værdi fra den dato"),
])
def test_bad_rule_values_are_400_and_write_nothing(leader, data, message):
    add_rule_value(FRIKORT_CAP, 4_276_600, date(2025, 1, 1), None)
    db.session.commit()
    form = {"name": FRIKORT_CAP, "value": "100", "effective_from": "2026-01-01", **data}
    response = leader.post("/hours/rules", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(RuleValue) == 1


# --- Job centre report ------------------------------------------------------------------------


def test_the_year_statistics_page(leader, make_person):
    from tests.staffing.test_reports import build_gladsaxe_2018

    build_gladsaxe_2018(leader.user.site, make_person)
    db.session.commit()
    page = leader.get("/hours/jobcentre?year=2018").get_data(as_text=True)
    assert "Henvist af jobcentret i løbet af året" in page
    assert "8 (25,8 %)" in page


# --- Import -----------------------------------------------------------------------------------

CSV_TEXT = "navn;henvist;målgruppe\nAmal K.;2025-01-06;Aktivitetsparat\nSahra D.;;\n"


def _upload(client, text: str, button: str):
    return client.post("/hours/import", data={"file": (io.BytesIO(text.encode()), "people.csv"), button: "1"},
                       content_type="multipart/form-data")


def test_import_dry_run_then_import(leader):
    checked = _upload(leader, CSV_TEXT, "check")
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    assert "Amal K." in page and "2 nye personer og 1 forløb" in page
    assert _count(Person) == 0
    done = _upload(leader, CSV_TEXT, "submit")
    assert done.status_code == 302
    assert _count(Person) == 2 and _count(Course) == 1
    assert db.session.scalar(select(Person).where(Person.name == "Amal K.")).site_id == leader.user.site_id


def test_import_with_an_error_is_400_with_line_numbers_and_writes_nothing(leader):
    response = _upload(leader, CSV_TEXT + ";2025-01-01;\n", "submit")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Linje 4" in page and "Navnet mangler" in page and "Intet blev gemt" in page
    assert _count(Person) == 0


def test_import_without_a_file_is_400(leader):
    response = leader.post("/hours/import", data={"submit": "1"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Vælg en CSV-fil" in response.get_data(as_text=True)
