"""A trainee cannot book herself paid hours past her limits, nor on a task that is not hers (issue 17, finding 2).

Recorded minutes are bounded by what the shop floor finds plausible (her availability today or the
time since her first session today started); paid minutes by her weekly maximum and her socialt
frikort room; a leader can go past both with a reason.
"""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from flask import g
from sqlalchemy import func, select

from production.floor import is_open_to, plausible_minutes, record_manually, record_work, start_work
from production.models import WorkRecord, WorkSession
from production.planner.models import AssignmentKind, Plan, PlanAssignment, PlanStatus
from staffing.employment import add_employment
from staffing.ledger import book_minutes
from staffing.models import EmploymentKind, HoursKind, LedgerEntry
from staffing.rules import FRIKORT_CAP, add_rule_value
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import LOCAL_ZONE, local_today

WAGE = 13_500
EVERY_DAY_9_TO_12 = {weekday: (9 * 60, 12 * 60) for weekday in range(7)}  # 180 minutes, whatever today is


@pytest.fixture
def shop(make_site, make_user, make_product, make_work_order, make_worker):
    """A småjob trainee with her own login, paid at most 360 minutes a week, here 180 minutes a day."""
    site = make_site()
    product = make_product(steps=((60, 0), (60, 0)))
    work_order = make_work_order(site, product, quantity=20)
    operations = [step.operation for step in product.routing]
    user = make_user(Role.TRAINEE, site=site, name="Dilan A.")
    smajob = make_worker(site, operations, name="Dilan A.", user=user, days=EVERY_DAY_9_TO_12)
    add_employment(smajob, EmploymentKind.SMALL_JOB, WAGE, 0, 360, date(2020, 1, 1))
    colleague = make_worker(site, operations, name="Kollega")
    db.session.commit()
    return {"site": site, "work_order": work_order, "task": work_order.tasks[0], "smajob": smajob, "user": user,
            "colleague": colleague, "leader": make_user(Role.LEADER, site=site),
            "staff": make_user(Role.STAFF, site=site)}


def _ledger(person=None):
    query = select(LedgerEntry).order_by(LedgerEntry.id)
    if person is not None:
        query = query.where(LedgerEntry.person_id == person.id)
    return [(entry.minutes, entry.kind) for entry in db.session.scalars(query)]


def _paid_minutes(person):
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.minutes), 0)).where(
        LedgerEntry.person_id == person.id, LedgerEntry.kind == HoursKind.PAID))


# --- The services --------------------------------------------------------------------------


def test_she_cannot_record_more_minutes_than_she_can_have_worked_today(shop):
    smajob, task = shop["smajob"], shop["task"]
    assert plausible_minutes(smajob) == 180
    for _ in range(3):
        with pytest.raises(DomainError) as error:
            record_manually(smajob, task, 720, 1, shop["user"])
        assert error.value.field == "minutes" and "180" in str(error.value.message)
    assert _ledger() == [] and task.quantity_done == 0


def test_what_she_recorded_today_counts_against_the_bound(shop):
    smajob, task = shop["smajob"], shop["task"]
    record_manually(smajob, task, 120, 1, shop["user"])
    assert plausible_minutes(smajob) == 60
    with pytest.raises(DomainError):
        record_manually(smajob, task, 61, 1, shop["user"])
    record_manually(smajob, task, 60, 1, shop["user"])
    assert [minutes for minutes, _kind in _ledger()] == [120, 60]


def test_a_session_started_long_ago_today_makes_more_minutes_plausible(shop):
    smajob, task = shop["smajob"], shop["task"]
    afternoon = datetime.combine(local_today(), time(15, 0), tzinfo=LOCAL_ZONE).astimezone(timezone.utc)
    start_work(smajob, task, shop["user"]).started_at = afternoon - timedelta(minutes=200)
    assert plausible_minutes(smajob, afternoon) == 200  # more than her 180 minutes of availability


def test_paid_minutes_stop_at_her_weekly_maximum_and_the_rest_is_training(shop):
    smajob, task, day = shop["smajob"], shop["task"], local_today()
    record_work(task, smajob, 300, 0, day=day)
    records = record_work(task, smajob, 120, 2, day=day)
    assert _ledger(smajob) == [(300, HoursKind.PAID), (60, HoursKind.PAID), (60, HoursKind.TRAINING)]
    assert [(record.minutes, record.quantity) for record in records] == [(60, 2), (60, 0)]
    record_work(task, smajob, 30, 0, day=day)
    assert _paid_minutes(smajob) == 360


def test_paid_minutes_stop_at_her_socialt_frikort_room(shop, make_person):
    day = local_today()
    add_rule_value(FRIKORT_CAP, 10_000, date(day.year, 1, 1), None)  # 100 kr.: 44 minutes at 135 kr. an hour
    holder = make_person(site=shop["site"])
    add_employment(holder, EmploymentKind.SMALL_JOB, WAGE, 0, 360, date(2020, 1, 1), has_frikort=True)
    record_work(shop["task"], holder, 60, 0, day=day)
    assert _ledger(holder) == [(44, HoursKind.PAID), (16, HoursKind.TRAINING)]


def test_the_ledger_refuses_paid_minutes_past_her_weekly_maximum_without_a_leaders_reason(shop):
    smajob, day = shop["smajob"], local_today()
    book_minutes(smajob, day, 360, HoursKind.PAID)
    with pytest.raises(DomainError) as error:
        book_minutes(smajob, day, 1, HoursKind.PAID)
    assert error.value.field == "override_reason"
    with pytest.raises(DomainError):
        book_minutes(smajob, day, 1, HoursKind.PAID, actor=shop["staff"], override_reason="Travlt")
    entry = book_minutes(smajob, day, 30, HoursKind.PAID, actor=shop["leader"], override_reason="Travlt")
    assert entry.override_reason == "Travlt" and _paid_minutes(smajob) == 390


def test_a_leader_records_more_with_a_reason_and_it_stays_paid(shop):
    smajob, task = shop["smajob"], shop["task"]
    with pytest.raises(DomainError):
        record_manually(smajob, task, 420, 0, shop["leader"])
    record_manually(smajob, task, 420, 0, shop["leader"], override_reason="Ekstra vagt, aftalt")
    assert _ledger(smajob) == [(420, HoursKind.PAID)]
    assert db.session.scalar(select(LedgerEntry.override_reason)) == "Ekstra vagt, aftalt"


@pytest.mark.parametrize("role", ["staff", "user"])
def test_only_a_leader_may_give_a_reason(shop, role):
    with pytest.raises(DomainError) as error:
        record_manually(shop["smajob"], shop["task"], 30, 0, shop[role], override_reason="Travlt")
    assert "Kun en leder kan give en grund" in str(error.value.message) and _ledger() == []


def test_a_trainee_works_only_on_tasks_open_to_her(shop, make_product, make_work_order):
    smajob, user, task = shop["smajob"], shop["user"], shop["task"]
    task.assignee_id = shop["colleague"].id
    assert not is_open_to(task, smajob)
    with pytest.raises(DomainError):
        record_manually(smajob, task, 30, 1, user)
    with pytest.raises(DomainError):
        start_work(smajob, task, user)
    hard = make_work_order(shop["site"], make_product(steps=((60, 0),)), quantity=5).tasks[0]
    hard.operation.min_skill_level = 3
    assert not is_open_to(hard, smajob)  # nobody's task, but she has no level in its skill
    with pytest.raises(DomainError):
        record_manually(smajob, hard, 30, 1, user)
    assert _ledger() == [] and db.session.scalar(select(func.count()).select_from(WorkSession)) == 0
    record_manually(smajob, task, 30, 1, shop["staff"])  # staff record for her on any task of the workshop
    assert _ledger(smajob) == [(30, HoursKind.PAID)]


def test_a_task_planned_for_her_in_the_accepted_plan_is_open_to_her(shop):
    smajob, task = shop["smajob"], shop["task"]
    task.assignee_id = shop["colleague"].id
    today = local_today()
    plan = Plan(site_id=shop["site"].id, week_start=today - timedelta(days=today.weekday()), method="instant",
                status=PlanStatus.ACCEPTED)
    plan.assignments.append(PlanAssignment(person_id=smajob.id, task_id=task.id, day=today, start_minute=540,
                                           minutes=60, kind=AssignmentKind.PAID))
    db.session.add(plan)
    db.session.flush()
    assert is_open_to(task, smajob)
    record_manually(smajob, task, 60, 1, shop["user"])
    assert _ledger(smajob) == [(60, HoursKind.PAID)]


# --- The shop floor page, per role ---------------------------------------------------------


def _record(client, person, task, minutes, reason=None):
    g.pop("_login_user", None)
    data = {f"r{task.id}-minutes": minutes, f"r{task.id}-quantity": 0}
    if reason is not None:
        data[f"r{task.id}-override_reason"] = reason
    return client.post(f"/floor/people/{person.id}/tasks/{task.id}/record", data=data)


def test_the_trainee_booking_720_minutes_three_times_is_refused_on_the_page(client, login, shop):
    login(client, shop["user"])
    for _ in range(3):
        response = _record(client, shop["smajob"], shop["task"], 720)
        assert response.status_code == 400
        assert "Du kan højst skrive 180 minutter i dag." in response.get_data(as_text=True)
    assert _ledger() == [] and db.session.scalar(select(func.count()).select_from(WorkRecord)) == 0


def test_the_trainee_is_refused_a_task_that_is_not_hers_on_the_page(client, login, shop):
    task = shop["task"]
    task.assignee_id = shop["colleague"].id
    db.session.commit()
    login(client, shop["user"])
    response = _record(client, shop["smajob"], task, 30)
    assert response.status_code == 400 and "Denne opgave er ikke til dig." in response.get_data(as_text=True)
    g.pop("_login_user", None)
    assert client.post(f"/floor/people/{shop['smajob'].id}/tasks/{task.id}/start").status_code == 409
    assert _ledger() == []


def test_the_trainee_gets_paid_only_up_to_her_maximum_on_the_page(client, login, shop):
    login(client, shop["user"])
    smajob, task = shop["smajob"], shop["task"]
    book_minutes(smajob, local_today(), 300, HoursKind.PAID, activity="meeting")
    db.session.commit()
    assert _record(client, smajob, task, 120).status_code == 302
    assert _paid_minutes(smajob) == 360


def test_staff_cannot_go_past_the_bound_even_with_a_reason(client, login, shop):
    login(client, shop["staff"])
    assert 'override_reason' not in client.get(f"/floor/people/{shop['smajob'].id}").get_data(as_text=True)
    response = _record(client, shop["smajob"], shop["task"], 720, reason="Travlt")
    assert response.status_code == 400
    assert "Kun en leder kan give en grund" in response.get_data(as_text=True) and _ledger() == []


def test_a_leader_records_past_the_bound_with_a_reason_on_the_page(client, login, shop):
    login(client, shop["leader"])
    page = client.get(f"/floor/people/{shop['smajob'].id}").get_data(as_text=True)
    assert f'name="r{shop["task"].id}-override_reason"' in page
    assert _record(client, shop["smajob"], shop["task"], 420).status_code == 400
    assert _record(client, shop["smajob"], shop["task"], 420, reason="Ekstra vagt").status_code == 302
    assert _ledger(shop["smajob"]) == [(420, HoursKind.PAID)]
