"""The planner reads trainees' accommodations (health data): each leader action that uses them writes one
audit entry, "read the accommodations of N people for week W", by the leader who asked; each of those
people finds it in her audit trail and her data export, without the names of the others."""
import csv
import io
import json
import zipfile

from sqlalchemy import select

from production.planner.models import Plan
from production.planner.services import make_instant_plan
from staffing import privacy
from staffing.models import Accommodation
from workshop.extensions import db
from workshop.models import AuditEntry, Role


def _plan_reads() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "accommodations.read", AuditEntry.object_type == "Plan").order_by(AuditEntry.id)))


def _planned_week(client_as, week):
    """A leader, Anna and Bea who need breaks and lift little, and Cecilie planned too but with no accommodations."""
    client = client_as(Role.LEADER)
    (anna, bea), _work_order = week(client.user.site)
    cecilie = week(client.user.site)[0][0]
    db.session.add_all([Accommodation(person_id=anna.id, break_every_minutes=90),
                        Accommodation(person_id=bea.id, max_lift_kg=5)])
    db.session.commit()
    return client, anna, bea, cecilie


def test_a_plan_records_once_whose_accommodations_it_read_by_the_leader_who_asked(client_as, week, monday):
    client, anna, bea, cecilie = _planned_week(client_as, week)
    response = client.post("/production/planner/", data={"week": monday.isoformat(), "budget_hours": "2"})
    assert response.status_code == 302
    for _ in range(3):  # her own board: the plan's entry says it already
        assert client.get(response.headers["Location"]).status_code == 200

    [entry] = _plan_reads()
    plan = db.session.scalar(select(Plan))
    assert (entry.user_id, entry.object_id, entry.site_id) == (client.user.id, plan.id, plan.site_id)
    assert entry.detail == {"why": "week plan", "week": monday.isoformat(), "count": 2,
                            "people": sorted([anna.id, bea.id])}
    assert cecilie.id not in entry.detail["people"]  # nothing of hers was read: she has none


def test_another_leader_opening_the_board_is_recorded_once(client, client_as, week, monday, make_user, login):
    leader, anna, _bea, _cecilie = _planned_week(client_as, week)
    plan = make_instant_plan(leader.user.site_id, monday, 120, leader.user)
    db.session.commit()
    other = make_user(Role.LEADER, site=leader.user.site)
    login(client, other)
    for _ in range(2):
        assert client.get(f"/production/planner/{plan.id}").status_code == 200
    assert [(entry.user_id, entry.detail["why"]) for entry in _plan_reads()] == [
        (leader.user.id, "week plan"), (other.id, "week board")]


def test_the_optimised_plan_is_recorded_when_asked_for_not_by_its_solver(client_as, week, monday, app):
    client, anna, _bea, _cecilie = _planned_week(client_as, week)
    base = make_instant_plan(client.user.site_id, monday, 120, client.user)
    db.session.commit()
    app.config.update(PLANNER_JOBS_INLINE=True, PLANNER_SECONDS=1.0)
    try:
        assert client.post(f"/production/planner/{base.id}/optimise").status_code == 302
    finally:
        app.config.update(PLANNER_JOBS_INLINE=False)
    optimised = db.session.scalar(select(Plan).where(Plan.id != base.id))
    assert [(entry.object_id, entry.user_id, entry.detail["why"]) for entry in _plan_reads()] == [
        (base.id, client.user.id, "week plan"), (optimised.id, client.user.id, "optimised week plan")]


def test_her_day_sheet_is_a_read_of_her_accommodations(client_as, week, monday):
    client, anna, _bea, _cecilie = _planned_week(client_as, week)
    plan = make_instant_plan(client.user.site_id, monday, 120, client.user)
    db.session.commit()
    person_id = plan.assignments[0].person_id
    assert client.get(f"/production/planner/{plan.id}/sheet/{person_id}").status_code == 200
    [read] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "accommodations.read",
                                                         AuditEntry.object_type == "Person"))
    assert (read.object_id, read.user_id, read.detail["why"]) == (person_id, client.user.id, "day sheet")


def test_the_read_is_in_her_audit_trail_and_export_without_the_others(client_as, week, monday):
    client, anna, bea, cecilie = _planned_week(client_as, week)
    make_instant_plan(client.user.site_id, monday, 120, client.user)
    db.session.commit()
    [entry] = _plan_reads()

    assert entry in privacy.audit_trail(anna) and entry in privacy.health_data_reads(bea)
    assert entry not in privacy.audit_trail(cecilie)
    trail = client.get(f"/people/{anna.id}/audit.csv").data.decode("utf-8-sig")
    [row] = [row for row in csv.DictReader(io.StringIO(trail), delimiter=";") if row["action"] == "accommodations.read"]
    assert row["who"] == client.user.name and row["why"] == "week plan"
    assert json.loads(row["what"]) == {"count": 2, "week": monday.isoformat()}  # how many, not who

    with zipfile.ZipFile(io.BytesIO(client.post(f"/people/{anna.id}/export").data)) as archive:
        [read] = csv.DictReader(io.StringIO(archive.read("csv/health_data_reads.csv").decode("utf-8-sig")),
                                delimiter=";")
        audit_log = json.loads(archive.read("data.json"))["audit_log"]
    assert read["why"] == "week plan" and json.loads(read["what"]) == {"count": 2, "week": monday.isoformat()}
    [exported] = [row for row in audit_log if row["id"] == entry.id]
    assert exported["detail"] == {"why": "week plan", "week": monday.isoformat(), "count": 2}
