"""Plan the week, the board, accepting, a person's sheet and a trainee's own plan: per role."""
import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from production.models import TaskStatus
from production.planner.models import Plan, PlanStatus
from production.planner.services import accept_plan, make_instant_plan, start_optimised
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import LOCAL_ZONE, monday_of

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment


def plans_count():
    return db.session.scalar(select(func.count()).select_from(Plan))


def test_service_plans_and_accepting_marks_tasks_planned(week, monday, make_site, make_user):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    people, work_order = week(site)
    plan = make_instant_plan(site.id, monday, 120, leader)
    assert plan.assignments and plan.status == PlanStatus.DRAFT and plan.deadline_minutes_unplanned == 0
    assert sum(a.minutes for a in plan.assignments if a.kind.value == "paid") <= 120
    accept_plan(plan, leader)
    db.session.commit()
    for a in plan.assignments:
        assert a.task.status == TaskStatus.PLANNED and a.task.assignee_id == a.person_id
    second = make_instant_plan(site.id, monday, 120, leader)
    accept_plan(second, leader)
    assert plan.status == PlanStatus.SUPERSEDED


@pytest.mark.parametrize("path", ["/production/planner/", "/production/planner/mine", "/production/planner/1/progress"])
def test_anonymous_goes_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_plan(client_as, role):
    assert client_as(role).get("/production/planner/").status_code == 403


def test_leader_plans_the_week_sees_the_board_and_accepts(client_as, week, monday):
    client = client_as(Role.LEADER)
    people, work_order = week(client.user.site)
    page = client.get("/production/planner/")
    assert page.status_code == 200 and "Planlæg ugen" in page.text
    response = client.post("/production/planner/", data={"week": (monday + timedelta(days=2)).isoformat(), "budget_hours": "2"})
    assert response.status_code == 302
    board = client.get(response.headers["Location"])
    assert board.status_code == 200 and "Anna" in board.text and "Kladde" in board.text
    plan = db.session.scalar(select(Plan))
    assert plan.week_start == monday
    sheet = client.get(f"/production/planner/{plan.id}/sheet/{plan.assignments[0].person_id}")
    assert sheet.status_code == 200 and "Ordre 2026-0042" in sheet.text
    accepted = client.post(f"/production/planner/{plan.id}/accept")
    assert accepted.status_code == 302
    assert "Godkendt" in client.get(f"/production/planner/{plan.id}").text
    again = client.post(f"/production/planner/{plan.id}/accept")
    assert again.status_code == 409


def test_bad_budget_is_refused_and_nothing_written(client_as, monday):
    client = client_as(Role.LEADER)
    response = client.post("/production/planner/", data={"week": (monday + timedelta(days=2)).isoformat(), "budget_hours": "-3"})
    assert response.status_code == 400
    assert plans_count() == 0


def test_another_sites_plan_is_not_found(client_as, week, monday, make_site, make_user):
    other = make_site()
    week(other)
    plan = make_instant_plan(other.id, monday, 0, make_user(Role.LEADER, site=other))
    db.session.commit()
    client = client_as(Role.LEADER)
    assert client.get(f"/production/planner/{plan.id}").status_code == 404
    assert client.post(f"/production/planner/{plan.id}/accept").status_code == 404
    assert client.get(f"/production/planner/{plan.id}/sheet/{plan.assignments[0].person_id}").status_code == 404
    assert client.get(f"/production/planner/{plan.id}/progress").status_code == 404


def test_trainee_sees_her_own_accepted_plan(client, make_user, login, week, monday, make_site, clock):
    site = make_site()
    trainee = make_user(Role.TRAINEE, site=site)
    people, _ = week(site, user=trainee)
    leader = make_user(Role.LEADER, site=site)
    login(client, trainee)
    assert "Intet planlagt" in client.get("/production/planner/mine").text
    plan = make_instant_plan(site.id, monday, 0, leader)
    accept_plan(plan, leader)
    db.session.commit()
    page = client.get("/production/planner/mine")
    mine = [a for a in plan.assignments if a.person_id == people[0].id]
    assert page.status_code == 200
    assert mine and "Ordre 2026-0042" in page.text
    assert not re.search(r">[^<]*\bBea\b", page.text)  # in no text on the page (a random token may hold "Bea")
    clock.move_to(datetime.combine(monday + timedelta(days=7), time(8), LOCAL_ZONE))
    assert "Intet planlagt" in client.get("/production/planner/mine").text  # that week is past


def _leader_with_plan(client_as, week):
    client = client_as(Role.LEADER)
    _people, work_order = week(client.user.site)
    plan = make_instant_plan(client.user.site_id, monday_of(work_order.due_date), 120, client.user)
    db.session.commit()
    return client, plan


@pytest.mark.parametrize("path", ["assignments/1/pin", "assignments/1/forbid", "days/0/lock", "replan", "accept",
                                  "optimise"])
def test_changes_are_for_leaders_only(client_as, path):
    assert client_as(Role.TRAINEE).post(f"/production/planner/1/{path}").status_code == 403


@pytest.mark.parametrize("path", ["assignments/1/pin", "assignments/1/forbid", "days/0/lock", "replan", "accept",
                                  "optimise"])
def test_anonymous_changes_go_to_login(client, path):
    response = client.post(f"/production/planner/1/{path}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_pin_then_replan_keeps_the_pinned_task(client_as, week):
    client, plan = _leader_with_plan(client_as, week)
    first = plan.assignments[0]
    assert client.post(f"/production/planner/{plan.id}/assignments/{first.id}/pin").status_code == 302
    assert "fastlåst" in client.get(f"/production/planner/{plan.id}").text
    response = client.post(f"/production/planner/{plan.id}/replan", data={"budget_hours": "1"})
    assert response.status_code == 302
    new = db.session.scalar(select(Plan).where(Plan.id != plan.id))
    kept = next(a for a in new.assignments if a.task_id == first.task_id)
    assert (kept.person_id, kept.day, kept.pinned) == (first.person_id, first.day, True)
    assert new.budget_minutes == 60 and plan.status == PlanStatus.SUPERSEDED
    assert sum(a.minutes for a in new.assignments if a.kind.value == "paid") <= 60


def test_forbid_moves_the_task_to_someone_else(client_as, week):
    client, plan = _leader_with_plan(client_as, week)
    first = plan.assignments[0]
    response = client.post(f"/production/planner/{plan.id}/assignments/{first.id}/forbid")
    assert response.status_code == 302
    new = db.session.scalar(select(Plan).where(Plan.id != plan.id))
    moved = next(a for a in new.assignments if a.task_id == first.task_id)
    assert moved.person_id != first.person_id
    assert [(f.person_id, f.task_id) for f in new.forbids] == [(first.person_id, first.task_id)]


def test_locked_day_stays_as_it_was(client_as, week, monday):
    client, plan = _leader_with_plan(client_as, week)
    on_monday = sorted((a.task_id, a.person_id, a.start_minute) for a in plan.assignments if a.day == monday)
    assert on_monday
    assert client.post(f"/production/planner/{plan.id}/days/0/lock").status_code == 302
    assert client.post(f"/production/planner/{plan.id}/replan", data={"budget_hours": "2"}).status_code == 302
    new = db.session.scalar(select(Plan).where(Plan.id != plan.id))
    assert sorted((a.task_id, a.person_id, a.start_minute) for a in new.assignments if a.day == monday) == on_monday
    assert new.locked_days == "0"


def test_bad_replan_budget_and_changes_to_accepted_plans_are_refused(client_as, week):
    client, plan = _leader_with_plan(client_as, week)
    response = client.post(f"/production/planner/{plan.id}/replan", data={"budget_hours": "-1"})
    assert response.status_code == 400
    assert plans_count() == 1
    accept_plan(plan, client.user)
    db.session.commit()
    response = client.post(f"/production/planner/{plan.id}/assignments/{plan.assignments[0].id}/pin")
    assert response.status_code == 409 and "Kun en kladde kan ændres" in response.text
    assert client.post(f"/production/planner/{plan.id}/assignments/999999/pin").status_code == 409


def test_optimise_runs_outside_the_request_and_gives_a_valid_draft(client_as, week, app):
    app.config.update(PLANNER_JOBS_INLINE=True, PLANNER_SECONDS=2.0)
    try:
        client, plan = _leader_with_plan(client_as, week)
        response = client.post(f"/production/planner/{plan.id}/optimise")
        assert response.status_code == 302
        new = db.session.scalar(select(Plan).where(Plan.id != plan.id))
        db.session.refresh(new)
        assert new.method == "optimised" and new.status == PlanStatus.DRAFT and new.progress == 100
        assert new.assignments and new.deadline_minutes_unplanned <= plan.deadline_minutes_unplanned
        page = client.get(response.headers["Location"])
        assert page.status_code == 200 and "Optimeret" in page.text
    finally:
        app.config.update(PLANNER_JOBS_INLINE=False)


def _computing(client_as, week, progress=40):
    client, base = _leader_with_plan(client_as, week)
    plan = start_optimised(base, client.user)
    plan.progress = progress
    db.session.commit()
    return client, plan


def test_a_computing_plan_shows_progress_and_the_best_plan_so_far(client_as, week):
    client, plan = _computing(client_as, week)
    page = client.get(f"/production/planner/{plan.id}").text
    assert "Leder efter en bedre plan." in page and "Siden opdaterer sig selv." in page
    assert 'aria-valuenow="40"' in page and "40 %" in page
    assert "Anna" in page and "Beregnes" in page  # the plan it started from, until a better one is found
    assert f'data-progress-url="/production/planner/{plan.id}/progress"' in page and "js/planner-progress.js" in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "Godkend planen" not in page and "Fastlås" not in page and "Planlæg igen" not in page
    assert "Beregnes" in client.get("/production/planner/").text


def test_progress_tells_the_board_how_far_the_search_is(client_as, week):
    client, plan = _computing(client_as, week)
    response = client.get(f"/production/planner/{plan.id}/progress")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.json == {"status": "computing", "progress": 40, "version": 0,
                             "deadline_minutes_unplanned": plan.deadline_minutes_unplanned,
                             "lowest_paid_minutes": plan.lowest_paid_minutes}
    assert client.get("/production/planner/999999/progress").status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_progress_is_for_leaders_only(client_as, role):
    assert client_as(role).get("/production/planner/1/progress").status_code == 403


def test_the_board_says_in_plain_words_why_work_is_unplanned(client_as, week, monday, make_product):
    from production.models import SourceKind
    from production.workorders import create_work_order, release_work_order

    client = client_as(Role.LEADER)
    site = client.user.site
    week(site)
    hard = make_product(steps=((60, 0),))
    operation = hard.routing[0].operation
    operation.min_skill_level = 3  # the fixture's people have level 2
    release_work_order(create_work_order(site, quantity=200, due_date=monday + timedelta(days=3), product=hard,
                                         source_kind=SourceKind.ORDER_LINE, source_label="Ordre 2026-0050"))
    db.session.commit()
    response = client.post("/production/planner/", data={"week": (monday + timedelta(days=2)).isoformat(), "budget_hours": "2"})
    board = client.get(response.headers["Location"]).text
    line = next(line for line in board.splitlines() if f"<strong>{operation.name_da}</strong> · Ordre 2026-0050" in line)
    assert "2 opgaver" in line
    assert "Ordre 2026-0050 skal være færdig torsdag. Den bliver forsinket" in board
    assert f"Kræver {operation.skill.name_da.lower()} niveau 3" in board
