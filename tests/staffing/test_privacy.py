"""Her rights over her data: a leader exports all of it as a ZIP, or erases who she is while her hours stay."""
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from staffing import privacy
from staffing.models import Accommodation, LedgerEntry, LogbookEntry, Person
from workshop.cli import seed_demo
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, User


@pytest.fixture
def trainee(app):
    """Demo data; (the trainee deltager01 of Ishøj as a Person, her site's leader)."""
    app.test_cli_runner().invoke(seed_demo)
    user = db.session.scalar(select(User).where(User.email == "deltager01@ishoj.example"))
    person = db.session.scalar(select(Person).where(Person.user_id == user.id))
    leader = db.session.scalar(select(User).where(User.email == "leder@ishoj.example"))
    return person, leader


def _ledger_minutes(person) -> int:
    return db.session.scalar(select(func.sum(LedgerEntry.minutes)).where(LedgerEntry.person_id == person.id))


def test_the_export_holds_every_table_about_her_as_json_csv_and_a_page(client, login, trainee):
    person, leader = trainee
    login(client, leader)

    response = client.post(f"/people/{person.id}/export")

    assert response.mimetype == "application/zip" and "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["people"][0]["name"] == person.name
    assert {"courses", "logbook_entries", "ledger_entries", "availability_slots", "users"} <= set(data)
    assert sum(row["minutes"] for row in data["ledger_entries"]) == _ledger_minutes(person)
    assert "csv/logbook_entries.csv" in archive.namelist()
    assert person.name in archive.read("summary.html").decode()
    assert "password_hash" not in json.dumps(data) and "totp_secret" not in json.dumps(data)
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "person.data_exported"))


def test_erasing_removes_who_she_is_and_keeps_her_hours(client, login, trainee):
    person, leader = trainee
    minutes, user_id = _ledger_minutes(person), person.user_id
    login(client, leader)

    refused = client.post(f"/people/{person.id}/erase", data={"confirm": "ja"})
    response = client.post(f"/people/{person.id}/erase", data={"confirm": "SLET"})

    assert refused.status_code == 400 and "Skriv SLET" in refused.get_data(as_text=True)
    assert response.status_code == 302
    db.session.expire_all()
    assert person.name.startswith("Slettet person") and person.phone == "" and person.email == ""
    assert db.session.scalar(select(func.count(Accommodation.id)).where(Accommodation.person_id == person.id)) == 0
    assert not db.session.scalar(select(func.count(LogbookEntry.id)).where(LogbookEntry.person_id == person.id,
                                                                         LogbookEntry.note != ""))
    assert _ledger_minutes(person) == minutes
    login_user = db.session.get(User, user_id)
    assert not login_user.is_active_account and login_user.email.startswith("erased-")
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "person.erased"))


def test_only_her_sites_leader_exports_or_erases_and_not_herself(trainee, make_user, make_site):
    from workshop.models import Role
    person, leader = trainee
    with pytest.raises(DomainError):
        privacy.export_zip(person, make_user(Role.LEADER, site=make_site()))
    with pytest.raises(DomainError):
        privacy.erase(person, make_user(Role.STAFF, site=leader.site))
    own = db.session.scalar(select(Person).where(Person.user_id == leader.id))
    if own is not None:
        with pytest.raises(DomainError):
            privacy.erase(own, leader)
