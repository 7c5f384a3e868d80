"""Staffing pages per role: anonymous → login, wrong role → 403, other site → 404, bad input → 400."""
from datetime import date, timedelta

import pytest
from lxml import html
from sqlalchemy import func, select

from staffing import courses, followups, logbook
from staffing.rules import MAX_INTERNSHIP_WEEKS, RuleValue
from staffing.models import (
    Attendance,
    AvailabilitySlot,
    Course,
    CourseOutcome,
    CourseStatus,
    FollowUp,
    LedgerEntry,
    LogbookEntry,
    Person,
    PersonKind,
    Skill,
)
from tests.shop.test_query_budget import counted_statements
from workshop.extensions import db
from workshop.models import AuditEntry, Role
from workshop.timeutil import local_today

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def world(make_site, make_user, make_person, make_course):
    """A site with a leader, staff and a trainee on a course; another trainee; a person at another site."""
    site = make_site(capacity=2)
    trainee_user = make_user(Role.TRAINEE, site=site, name="Amina A.")
    person = make_person(site=site, user=trainee_user, name="Amina A.")
    course = make_course(person, start=local_today() - timedelta(days=20))
    other_user = make_user(Role.TRAINEE, site=site)
    other = make_person(site=site, user=other_user, name="Zahra B.")
    stranger = make_person(site=make_site(), name="Fremmed")
    db.session.commit()
    return {"site": site, "person": person, "course": course, "trainee": trainee_user, "other": other,
            "other_user": other_user, "stranger": stranger,
            "leader": make_user(Role.LEADER, site=site), "staff": make_user(Role.STAFF, site=site),
            "customer": make_user(Role.CUSTOMER)}


def _urls(w):
    pid, cid, today = w["person"].id, w["course"].id, local_today().isoformat()
    return {
        "list": "/people/", "former": "/people/?show=former", "dashboard": "/people/dashboard", "new": "/people/new",
        "person": f"/people/{pid}", "edit": f"/people/{pid}/edit", "new_course": f"/people/{pid}/courses/new",
        "course": f"/people/{pid}/courses/{cid}", "availability": f"/people/{pid}/availability",
        "accommodations": f"/people/{pid}/accommodations", "accommodations_edit": f"/people/{pid}/accommodations/edit",
        "logbook": f"/people/{pid}/logbook", "logbook_day": f"/people/{pid}/logbook/{today}",
        "agreement": f"/people/{pid}/agreement", "followup": f"/people/{pid}/followups/new",
        "report": f"/people/{pid}/report", "me": "/people/me",
    }


LEADER_ONLY = {"new_course", "course", "accommodations_edit", "agreement", "followup", "report"}
LEADER_AND_STAFF = {"list", "former", "dashboard", "new", "person", "edit", "availability"}
LEADER_AND_HERSELF = {"accommodations", "logbook", "logbook_day"}


def _expected(role, name):
    if name == "me":
        return 200 if role == Role.TRAINEE else 403
    if name in LEADER_ONLY:
        return 200 if role == Role.LEADER else 403
    if name in LEADER_AND_STAFF:
        return 200 if role in (Role.LEADER, Role.STAFF) else 403
    return 200 if role in (Role.LEADER, Role.TRAINEE) else 403


def test_anonymous_visitors_go_to_login(client, world):
    for url in _urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_each_role_sees_exactly_its_pages(client, login, world, role):
    user = {Role.LEADER: world["leader"], Role.STAFF: world["staff"], Role.TRAINEE: world["trainee"],
            Role.CUSTOMER: world["customer"]}[role]
    login(client, user)
    for name, url in _urls(world).items():
        assert client.get(url).status_code == _expected(role, name), (role, name, url)


def test_a_customer_sees_none_of_staffing(client, login, world):
    login(client, world["customer"])
    assert all(client.get(url).status_code == 403 for url in _urls(world).values())
    assert "Personer" not in client.get("/shop/account", follow_redirects=True).get_data(as_text=True)


def _tabs(page) -> list[tuple[str, str, str | None]]:
    """The people list's tabs: (text, link, aria-current)."""
    tabs = html.fromstring(page.get_data(as_text=True)).xpath('//nav[@aria-label="Nuværende eller tidligere personer"]')
    return [(link.text, link.get("href"), link.get("aria-current")) for link in tabs[0].xpath(".//a")]


def _names(page) -> list[str]:
    return html.fromstring(page.get_data(as_text=True)).xpath("//table//td[1]/a/text()")


def test_the_people_list_shows_who_is_here_and_keeps_former_people_a_click_away(client, switch_to, world,
                                                                                 make_person, make_course):
    login = switch_to
    login(client, world["leader"])
    assert "Ingen har forladt værkstedet endnu." in client.get("/people/?show=former").get_data(as_text=True)
    gone = make_person(site=world["site"], name="Gitte G.", kind=PersonKind.FORMER)
    back = make_person(site=world["site"], name="Hana H.", kind=PersonKind.FORMER)
    make_course(back, start=local_today() + timedelta(days=14), active=False)  # referred again: she is coming
    db.session.commit()
    for user in (world["leader"], world["staff"]):
        login(client, user)
        page = client.get("/people/")
        assert _names(page) == ["Amina A.", "Hana H.", "Zahra B."]
        assert _tabs(page) == [("Nuværende (3)", "/people/", "page"), ("Tidligere (1)", "/people/?show=former", None)]
        former = client.get("/people/?show=former")
        assert _names(former) == ["Gitte G."]
        assert _tabs(former) == [("Nuværende (3)", "/people/", None), ("Tidligere (1)", "/people/?show=former", "page")]
        assert f'href="/people/{gone.id}"' in former.get_data(as_text=True)
        assert client.get(f"/people/{gone.id}").status_code == 200
        assert "Fremmed" not in former.get_data(as_text=True)  # another site's person


def test_the_people_list_reads_their_courses_in_as_many_statements_for_many_people_as_for_one(
        client, login, world, make_person, make_course):
    login(client, world["leader"])

    def leave(name):
        person = make_person(site=world["site"], name=name, kind=PersonKind.FORMER)
        course = make_course(person, start=local_today() - timedelta(days=300))
        courses.change_status(course, CourseStatus.COMPLETED, None, local_today() - timedelta(days=100),
                              outcome=CourseOutcome.EDUCATION)
        db.session.commit()

    def statements(path):
        client.get(path)
        db.session.remove()
        with counted_statements() as sent:
            assert client.get(path).status_code == 200
        return len(sent)

    leave("Former 1")
    few = {path: statements(path) for path in ("/people/", "/people/?show=former")}
    for number in range(2, 6):
        leave(f"Former {number}")
    make_course(make_person(site=world["site"], name="New one"), start=local_today())
    db.session.commit()
    assert {path: statements(path) for path in few} == few
    assert client.get("/people/?show=former").get_data(as_text=True).count("Gennemført") == 5


def test_a_trainee_sees_only_her_own_logbook(client, login, world):
    login(client, world["trainee"])
    other = world["other"].id
    assert client.get(f"/people/{other}/logbook").status_code == 404
    assert client.get(f"/people/{other}/logbook/{local_today().isoformat()}").status_code == 404
    assert client.get(f"/people/{other}/accommodations").status_code == 404
    response = client.post(f"/people/{other}/logbook/{local_today().isoformat()}",
                           data={"attendance": "present", "minutes_worked": "60"})
    assert response.status_code == 404
    assert _count(LogbookEntry) == 0


def test_leaders_and_staff_get_404_for_another_sites_person(client, switch_to, world):
    login = switch_to
    stranger = world["stranger"].id
    for user in (world["leader"], world["staff"]):
        login(client, user)
        assert client.get(f"/people/{stranger}").status_code == 404
    assert client.get(f"/people/{world['person'].id}/courses/99999").status_code == 403  # staff: leaders only
    login(client, world["leader"])
    assert client.get(f"/people/{world['person'].id}/courses/99999").status_code == 404
    assert client.get(f"/people/{stranger}/accommodations").status_code == 404


def test_staff_cannot_read_accommodations_and_nothing_is_audited(client, login, world):
    login(client, world["staff"])
    assert client.get(f"/people/{world['person'].id}/accommodations").status_code == 403
    assert "Skånehensyn" not in client.get(f"/people/{world['person'].id}").get_data(as_text=True)
    assert _count(AuditEntry, AuditEntry.action == "accommodations.read") == 0


@pytest.mark.parametrize("who", ["leader", "trainee"])
def test_reading_accommodations_writes_an_audit_row(client, login, world, who):
    login(client, world[who])
    assert client.get(f"/people/{world['person'].id}/accommodations").status_code == 200
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "accommodations.read"))
    assert (row.user_id, row.object_id) == (world[who].id, world["person"].id)


def test_leader_saves_accommodations_and_the_form_says_needs_not_diagnoses(client, login, world):
    login(client, world["leader"])
    url = f"/people/{world['person'].id}/accommodations/edit"
    assert "aldrig en diagnose" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"max_lift_kg": "5", "earliest_start": "10:00", "max_hours_per_day": "3",
                                      "needs_seated": "y", "note": "Rullebord"})
    assert response.status_code == 302
    page = client.get(f"/people/{world['person'].id}/accommodations").get_data(as_text=True)
    assert "Løfte højst 5 kg" in page and "Starte tidligst kl. 10:00" in page and "Rullebord" in page


def test_trainee_fills_todays_logbook_and_the_minutes_are_booked(client, login, world):
    login(client, world["trainee"])
    response = client.post("/people/me", data={"attendance": "present", "minutes_worked": "180",
                                               "break_minutes": "15", "worked_on": "Juleposer", "feeling": "4"})
    assert response.status_code == 302
    page = client.get("/people/me").get_data(as_text=True)
    assert "Gemt: Mødt" in page and "Godt" in page
    ledger = db.session.scalar(select(LedgerEntry))
    assert (ledger.minutes, ledger.kind.value, ledger.activity) == (180, "training", "logbook")


def test_a_leader_enters_a_day_on_her_behalf_and_a_change_is_corrected(client, login, world):
    login(client, world["leader"])
    day = (local_today() - timedelta(days=10)).isoformat()
    url = f"/people/{world['person'].id}/logbook/{day}"
    assert client.post(url, data={"attendance": "present", "minutes_worked": "120"}).status_code == 302
    assert client.post(url, data={"attendance": "left_early", "minutes_worked": "60",
                                  "left_early_reason": "Lægetid"}).status_code == 302
    assert [row.minutes for row in db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id))] == [120, -120, 60]
    page = client.get(f"/people/{world['person'].id}/logbook").get_data(as_text=True)
    assert "Lægetid" in page
    assert _count(AuditEntry, AuditEntry.action == "logbook.read") >= 1


@pytest.mark.parametrize("data, message", [
    ({"attendance": "present", "minutes_worked": "0"}, "Vælg hvor længe du arbejdede."),
    ({"attendance": "left_early", "minutes_worked": "60"}, "Skriv hvorfor du gik tidligt."),
    ({"attendance": "dancing"}, "Ret de felter"),
    ({"minutes_worked": "60"}, "Ret de felter"),
])
def test_bad_logbook_input_is_a_400_and_nothing_is_written(client, login, world, data, message):
    login(client, world["trainee"])
    response = client.post("/people/me", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(LogbookEntry) == 0 and _count(LedgerEntry) == 0


def test_leader_creates_a_person_and_bad_input_writes_nothing(client, login, world):
    login(client, world["leader"])
    before = _count(Person)
    response = client.post("/people/new", data={"name": "", "kind": "trainee", "since": "2026-11-01"})
    assert response.status_code == 400 and _count(Person) == before
    response = client.post("/people/new", data={"name": "Leyla K.", "kind": "trainee", "since": "2026-11-01",
                                                "user_email": "nobody@nowhere.example"})
    assert response.status_code == 400 and "Der er intet login" in response.get_data(as_text=True)
    assert _count(Person) == before
    response = client.post("/people/new", data={"name": "Leyla K.", "kind": "trainee", "since": "2026-11-01",
                                                "languages": "farsi, dansk"})
    assert response.status_code == 302 and _count(Person) == before + 1


def test_referral_over_capacity_warns_but_saves(client, login, world, make_person):
    login(client, world["leader"])
    newcomer = make_person(site=world["site"], name="Ny")
    db.session.commit()
    url = f"/people/{newcomer.id}/courses/new"
    assert "over kapaciteten" not in client.get(url).get_data(as_text=True)  # 1 of 2 used
    data = {"referral_date": local_today().isoformat(), "weekly_hours": "12", "assessment_weeks": "6",
            "development_weeks": "7", "internship_weeks": "13"}
    assert client.post(url, data=data).status_code == 302
    third = make_person(site=world["site"], name="Tredje")
    db.session.commit()
    assert "over kapaciteten" in client.get(f"/people/{third.id}/courses/new").get_data(as_text=True)
    response = client.post(f"/people/{third.id}/courses/new", data={**data, "weekly_hours": "4,5"}, follow_redirects=True)
    assert "Advarsel: værkstedet er nu over sin kapacitet (3 af 2 pladser)" in response.get_data(as_text=True)
    assert db.session.scalar(select(Course).where(Course.person_id == third.id)).weekly_minutes == 270


def test_bad_course_input_is_a_400_and_nothing_is_written(client, login, world, make_person):
    login(client, world["leader"])
    newcomer = make_person(site=world["site"])
    db.session.commit()
    before = _count(Course)
    response = client.post(f"/people/{newcomer.id}/courses/new", data={
        "referral_date": "2026-11-10", "start_date": "2026-11-01", "weekly_hours": "12", "assessment_weeks": "6",
        "development_weeks": "7", "internship_weeks": "13"})
    assert response.status_code == 400 and "Start kan ikke være før henvisningen." in response.get_data(as_text=True)
    response = client.post(f"/people/{newcomer.id}/courses/new", data={
        "referral_date": "2026-11-10", "weekly_hours": "mange", "assessment_weeks": "6",
        "development_weeks": "7", "internship_weeks": "13"})
    assert response.status_code == 400 and "Skriv timer som et tal" in response.get_data(as_text=True)
    assert _count(Course) == before


def test_ending_a_course_needs_an_outcome_then_keeps_history(client, login, world):
    login(client, world["leader"])
    url = f"/people/{world['person'].id}/courses/{world['course'].id}/status"
    response = client.post(url, data={"status": "completed", "day": local_today().isoformat(), "outcome": ""})
    assert response.status_code == 400 and "Vælg forløbets resultat." in response.get_data(as_text=True)
    response = client.post(url, data={"status": "completed", "day": local_today().isoformat(), "outcome": "smalljob"})
    assert response.status_code == 302
    course = db.session.get(Course, world["course"].id)
    assert course.status.value == "completed" and [row.to_status for row in course.status_history][-1] == "completed"


def test_availability_forms_validate_and_save(client, login, world):
    login(client, world["staff"])
    url = f"/people/{world['person'].id}/availability"
    response = client.post(url, data={"slot-weekday": "0", "slot-start": "12:00", "slot-end": "09:00"})
    assert response.status_code == 400 and "Fra-tidspunktet skal være før" in response.get_data(as_text=True)
    assert client.post(url, data={"slot-weekday": "0", "slot-start": "09:00", "slot-end": "12:00"}).status_code == 302
    response = client.post(url, data={"slot-weekday": "0", "slot-start": "11:00", "slot-end": "13:00"})
    assert response.status_code == 400 and "overlapper" in response.get_data(as_text=True)
    day = (local_today() + timedelta(days=3)).isoformat()
    assert client.post(url, data={"exception-day": day, "exception-kind": "away", "exception-reason": "Ferie"}).status_code == 302
    response = client.post(url, data={"exception-day": day, "exception-kind": "extra", "exception-start": "9:00",
                                      "exception-end": "10:00"})
    assert response.status_code == 400
    assert _count(AvailabilitySlot) == 1
    slot = db.session.scalar(select(AvailabilitySlot))
    assert client.post(f"{url}/slots/{slot.id}/delete").status_code == 302 and _count(AvailabilitySlot) == 0


def test_leader_records_a_followup_and_it_leaves_the_dashboard(client, login, world):
    login(client, world["leader"])
    pid = world["person"].id
    response = client.post(f"/people/{pid}/agreement", data={"training_goals": "Sy lige sømme", "next_goal": "Sy en pose",
                                                   "weekly_hours": "12", "hours_per_day": "3",
                                                   "next_followup_date": (local_today() - timedelta(days=2)).isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    dashboard = client.get("/people/dashboard").get_data(as_text=True)
    assert "Amina A." in dashboard and "Overskredet" in dashboard
    response = client.post(f"/people/{pid}/followups/new", data={"held_on": local_today().isoformat()})
    assert response.status_code == 400 and "Skriv om mindst ét tema." in response.get_data(as_text=True)
    assert _count(FollowUp) == 0
    response = client.post(f"/people/{pid}/followups/new", data={
        "held_on": local_today().isoformat(), "motivation": "Glad for arbejdet",
        "next_followup_date": (local_today() + timedelta(days=14)).isoformat()})
    assert response.status_code == 302 and _count(FollowUp) == 1
    assert "Amina A." not in client.get("/people/dashboard").get_data(as_text=True)


def test_skills_pace_and_steps_are_added_from_the_person_page(client, login, world):
    skill = Skill(code="sew", name_da="Syning", name_en="Sewing")
    db.session.add(skill)
    db.session.commit()
    login(client, world["staff"])
    pid = world["person"].id
    today = local_today().isoformat()
    assert client.post(f"/people/{pid}/skills", data={"skill": skill.id, "level": "2", "since": today}).status_code == 302
    assert client.post(f"/people/{pid}/pace", data={"percent": "55", "since": today}).status_code == 302
    assert client.post(f"/people/{pid}/step", data={"step": "2", "since": today}).status_code == 302
    response = client.post(f"/people/{pid}/pace", data={"percent": "500", "since": today})
    assert response.status_code == 400
    page = client.get(f"/people/{pid}").get_data(as_text=True)
    assert "Syning" in page and "55 % af normalt tempo" in page and "Del af produktionen" in page


def test_kind_change_is_for_leaders(client, switch_to, world):
    login = switch_to
    pid = world["person"].id
    login(client, world["staff"])
    assert client.post(f"/people/{pid}/kind", data={"kind": "smalljob", "since": "2026-11-01"}).status_code == 403
    login(client, world["leader"])
    assert client.post(f"/people/{pid}/kind", data={"kind": "smalljob", "since": "2026-11-01"}).status_code == 302
    assert db.session.get(Person, pid).kind.value == "smalljob"


def test_progress_report_is_printable_and_audited(client, login, world):
    login(client, world["leader"])
    page = client.get(f"/people/{world['person'].id}/report").get_data(as_text=True)
    assert "Progressionsrapport" in page and "css/staffing.css" in page and "data-print" in page  # print button
    assert _count(AuditEntry, AuditEntry.action == "accommodations.read") == 1


def test_leader_and_staff_land_on_the_dashboard(client, switch_to, world):
    login = switch_to
    for user in (world["leader"], world["staff"]):
        login(client, user)
        assert client.get("/").headers["Location"] == "/people/dashboard"


def test_staff_dashboard_shows_who_is_here_but_no_followups(client, login, world):
    followups.save_agreement(world["person"], followups.AgreementData(next_followup_date=local_today()), None)
    logbook.save_entry(world["person"], local_today(), logbook.LogbookData(Attendance.PRESENT, 120, note="Hovedpine"),
                       world["leader"], local_today())
    db.session.commit()
    login(client, world["staff"])
    page = client.get("/people/dashboard").get_data(as_text=True)
    assert "Her i dag" in page and "Amina A." in page and "2:00" in page
    assert "Opfølgninger der skal holdes" not in page and "Hovedpine" not in page
    assert "1 af 2 brugt" in page


def test_the_leader_is_warned_when_saving_a_too_long_internship(client, login, world, make_person):
    db.session.add(RuleValue(name=MAX_INTERNSHIP_WEEKS, scope="Aktivitetsparat", value_int=4, unit="weeks",
                             effective_from=date(2025, 1, 1)))
    newcomer = make_person(site=world["site"], name="Ny")
    db.session.commit()
    login(client, world["leader"])
    data = {"referral_date": local_today().isoformat(), "target_group": "Aktivitetsparat", "weekly_hours": "12",
            "assessment_weeks": "6", "development_weeks": "7", "internship_weeks": "13"}
    page = client.post(f"/people/{newcomer.id}/courses/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Praktikfasen er 13 uger" in page and "højst 4 uger" in page
