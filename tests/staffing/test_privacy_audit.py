"""Privacy (issue 14): every read and change of her health data is in the audit log with who, when, what
and why; her audit trail downloads as CSV for her site's leaders; her export has a page to read with who
read her health data and the tasks she was given."""
import csv
import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from production.models import SourceKind, Task
from production.workorders import create_work_order, release_work_order
from staffing import privacy
from workshop.extensions import db
from workshop.models import AuditEntry, Role


@pytest.fixture
def amina(make_person, make_course, site, trainee):
    """Trainee Amina with a course, an accommodation and a logbook day with a note."""
    person = trainee.person
    make_course(person)
    db.session.commit()
    return person


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_each_read_and_change_of_her_health_data_says_who_when_what_and_why(client, login, switch_to, leader,
                                                                             trainee, amina):
    login(client, leader)
    client.post(f"/people/{amina.id}/accommodations/edit", data={"max_lift_kg": "5", "note": "Ondt i ryggen"})
    client.get(f"/people/{amina.id}/accommodations")
    client.get(f"/people/{amina.id}/report")
    switch_to(client, trainee)
    client.post("/people/me", data={"attendance": "present", "minutes_worked": "180", "note": "Træt"})
    switch_to(client, leader)
    client.get(f"/people/{amina.id}/logbook")
    day = db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "logbook.update"))["day"]
    client.get(f"/people/{amina.id}/logbook/{day}")

    change = _entries("accommodations.update")[0]
    assert (change.user_id, change.object_id, change.detail["why"]) == (leader.id, amina.id, "accommodations changed")
    assert {"max_lift_kg", "note"} <= set(change.detail["fields"]) and change.at is not None
    assert [entry.detail["why"] for entry in _entries("accommodations.read")] == [
        "accommodations page", "progress report"]
    saved = _entries("logbook.update")[0]
    assert saved.user_id == trainee.id and saved.detail["why"] == "logbook day saved"
    reads = _entries("logbook.read")
    assert [(entry.user_id, entry.detail["why"]) for entry in reads] == [
        (leader.id, "logbook list"), (leader.id, "logbook day")]
    assert reads[1].detail["day"] == day


def test_her_audit_trail_downloads_as_csv_for_her_sites_leader_and_the_download_is_logged(
        client, login, leader, amina):
    login(client, leader)
    client.get(f"/people/{amina.id}/accommodations")

    response = client.get(f"/people/{amina.id}/audit.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    read = next(row for row in rows if row["action"] == "accommodations.read")
    assert (read["who"], read["role"], read["why"]) == (leader.name, "leader", "accommodations page")
    assert read["when"].startswith("2026-11-23")  # Copenhagen time
    assert _entries("person.audit_exported")[0].user_id == leader.id


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE])
def test_only_leaders_get_her_audit_trail(client, login, make_user, site, amina, role):
    login(client, make_user(role, site=site))
    assert client.get(f"/people/{amina.id}/audit.csv").status_code in (403, 404)


def test_another_sites_leader_does_not_get_her_audit_trail(client, login, make_user, make_site, amina):
    login(client, make_user(Role.LEADER, site=make_site()))
    assert client.get(f"/people/{amina.id}/audit.csv").status_code == 404
    assert not _entries("person.audit_exported")


def test_a_formula_in_the_trail_stays_text(leader, amina):
    db.session.add(AuditEntry(user_id=leader.id, action="logbook.read", object_type="Person", object_id=amina.id,
                              detail={"why": "=HYPERLINK(\"http://evil.example\")"}))
    db.session.flush()
    rows = list(csv.DictReader(io.StringIO(privacy.audit_trail_csv(amina, leader).lstrip("\ufeff")), delimiter=";"))
    assert rows[0]["why"].startswith("'=HYPERLINK")


def test_the_privacy_page_shows_who_read_her_health_data(client, login, leader, amina):
    login(client, leader)
    client.get(f"/people/{amina.id}/accommodations")

    page = client.get(f"/people/{amina.id}/privacy").get_data(as_text=True)

    assert "Hvem har læst hendes helbredsdata" in page and leader.name in page and "accommodations page" in page


def test_the_export_has_a_page_to_read_with_her_tasks_and_who_read_her_health_data(
        client, login, leader, amina, make_product):
    work_order = create_work_order(leader.site, quantity=4, due_date=date(2026, 12, 15),
                                   source_kind=SourceKind.ORDER_LINE, source_label="Ordre 7", source_id=7,
                                   product=make_product())
    release_work_order(work_order, earliest_start=date(2026, 11, 23))
    task = db.session.scalar(select(Task).where(Task.work_order_id == work_order.id).limit(1))
    task.assignee_id = amina.id
    db.session.commit()
    login(client, leader)
    client.get(f"/people/{amina.id}/accommodations")

    archive = zipfile.ZipFile(io.BytesIO(client.post(f"/people/{amina.id}/export").data))

    data = json.loads(archive.read("data.json"))
    assert [row["id"] for row in data["tasks"]] == [task.id]
    summary = archive.read("summary.html").decode()
    for heading in ("Profil", "Forløb", "Logbog", "Skånehensyn", "Aftale og opfølgninger", "Timeregnskab",
                    "Planer og opgaver", "Hvem har læst hendes helbredsdata"):
        assert heading in summary, heading
    assert leader.name in summary and "accommodations page" in summary
    reads = archive.read("csv/health_data_reads.csv").decode()
    assert "accommodations page" in reads
    assert _entries("person.data_exported")[0].detail["why"] == "subject-access export"


def test_her_agreement_and_follow_ups_are_audited_when_read_or_changed(client, login, make_user, site, leader,
                                                                         amina):
    login(client, leader)
    client.post(f"/people/{amina.id}/agreement", data={"accommodations_and_aids": "Stol med ryglæn"})
    client.post(f"/people/{amina.id}/followups/new", data={
        "held_on": "2026-11-23", "accommodations_and_wellbeing": "Sover dårligt", "next_followup_date": "2026-11-30"})
    client.get(f"/people/{amina.id}/agreement")
    client.get(f"/people/{amina.id}")

    assert _entries("agreement.update")[0].detail["fields"] == ["accommodations_and_aids"]
    assert _entries("followup.create")[0].detail["held_on"] == "2026-11-23"
    assert [entry.detail["why"] for entry in _entries("agreement.read")] == ["agreement form"]
    assert [entry.detail["why"] for entry in _entries("followups.read")] == ["person page"]
    login(client, make_user(Role.STAFF, site=site))
    from flask import g
    g.pop("_login_user", None)
    page = client.get(f"/people/{amina.id}").get_data(as_text=True)
    assert "Sover dårligt" not in page and len(_entries("followups.read")) == 1


def test_a_leader_cannot_erase_her_own_person(client, login, make_person, site, leader):
    herself = make_person(site=site, user=leader, name="Mette Lind")
    db.session.commit()
    login(client, leader)

    response = client.post(f"/people/{herself.id}/erase", data={"confirm": "SLET"})

    assert response.status_code == 400 and "Du kan ikke slette dig selv" in response.get_data(as_text=True)
    db.session.expire_all()
    assert herself.name == "Mette Lind" and leader.is_active_account
    assert not _entries("person.erased")


def test_the_audit_page_says_why_her_health_data_was_read(client, login, leader, amina):
    login(client, leader)
    client.get(f"/people/{amina.id}/accommodations")
    page = client.get("/audit?action=accommodations.read").get_data(as_text=True)
    assert "<th>Hvorfor</th>" in page and "accommodations page" in page
