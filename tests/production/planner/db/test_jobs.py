"""The optimised plan as a job: better plans stored on the way, RQ on Redis, a local worker process."""
import multiprocessing
import time
from dataclasses import replace

import pytest
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from sqlalchemy import select

from production.planner import jobs
from production.planner.instance import Kind
from production.planner.instance import Plan as EnginePlan
from production.planner.instant import instant_plan
from production.planner.models import Plan, PlanStatus
from production.planner.services import make_instant_plan, start_optimised
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import monday_of

from tests.conftest import worker_number

#: A Redis database of these tests' own (one per test worker): they empty it, and nothing else.
TEST_REDIS_URL = f"redis://127.0.0.1:6379/{13 - worker_number()}"


@pytest.fixture
def computing(week, monday, make_site, make_user):
    """(computing plan, the draft it started from): a week with paid work for Anna."""
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    week(site)
    base = make_instant_plan(site.id, monday, 120, leader)
    plan = start_optimised(base, leader)
    db.session.commit()
    return plan, base


def fake_optimiser(monkeypatch, plan_id, news):
    """Replace the solver: `news(instance)` gives (stage, fraction, plan) to report, then the final plan.

    Returns the list of what the page could read of the plan (committed) after each report.
    """
    seen = []

    def optimised_plan(instance, *, on_progress, **_):
        *reports, final = news(instance)
        for stage, fraction, better in reports:
            on_progress(stage, fraction, better)
            seen.append(committed_figures(plan_id))
        return final

    monkeypatch.setattr("production.planner.optimise.optimised_plan", optimised_plan)
    return seen


def committed_figures(plan_id: int):
    """What another process sees of the plan."""
    with db.engine.connect() as connection:
        row = connection.execute(select(Plan.status, Plan.progress, Plan.version, Plan.lowest_paid_minutes)
                                 .where(Plan.id == plan_id)).one()
        return row.status, row.progress, row.version, row.lowest_paid_minutes


def unpaid(plan: EnginePlan) -> EnginePlan:
    """The same work, all of it as training: a valid plan with a lower paid level."""
    return EnginePlan([replace(a, kind=Kind.TRAINING) for a in plan.assignments], method="optimised")


def paid_minutes(plan: Plan) -> int:
    return sum(a.minutes for a in plan.assignments if a.kind.value == "paid")


def reload(plan: Plan) -> Plan:
    db.session.expire_all()
    return db.session.get(Plan, plan.id)


def test_each_better_plan_is_stored_while_computing_and_the_final_one_at_the_end(app, computing, monkeypatch):
    plan, base = computing
    seen = fake_optimiser(monkeypatch, plan.id, lambda instance: [("deadline", 0.3, unpaid(instant_plan(instance))),
                                                         ("fair", 0.6, None),
                                                         instant_plan(instance)])
    jobs.compute(app, plan.id, base.id, 1.0)
    assert seen[0] == (PlanStatus.COMPUTING, 30, 1, 0)  # the unpaid plan, shown while the search goes on
    assert seen[1] == (PlanStatus.COMPUTING, 60, 1, 0)
    plan = reload(plan)
    assert (plan.status, plan.progress, plan.version) == (PlanStatus.DRAFT, 100, 2)
    assert plan.lowest_paid_minutes > 0 and paid_minutes(plan) == paid_minutes(base)


def test_a_better_plan_found_on_the_way_beats_a_worse_final_one(app, computing, monkeypatch):
    plan, base = computing
    fake_optimiser(monkeypatch, plan.id, lambda instance: [("fair", 0.5, instant_plan(instance)),
                                                  unpaid(instant_plan(instance))])
    jobs.compute(app, plan.id, base.id, 1.0)
    plan = reload(plan)
    assert (plan.status, plan.version) == (PlanStatus.DRAFT, 1)
    assert paid_minutes(plan) == paid_minutes(base) > 0


def test_a_plan_on_the_way_that_breaks_a_rule_is_skipped(app, computing, monkeypatch):
    plan, base = computing

    def twice(instance):
        first = instant_plan(instance).assignments[0]
        return EnginePlan([first, first], method="optimised")

    fake_optimiser(monkeypatch, plan.id, lambda instance: [("deadline", 0.3, twice(instance)),
                                                  instant_plan(instance)])
    jobs.compute(app, plan.id, base.id, 1.0)
    assert reload(plan).status == PlanStatus.DRAFT


def test_a_failed_job_marks_the_plan_failed(app, computing, monkeypatch, client, login):
    plan, base = computing

    def broken(instance, **_):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("production.planner.optimise.optimised_plan", broken)
    jobs.compute(app, plan.id, base.id, 1.0)
    assert reload(plan).status == PlanStatus.FAILED
    login(client, db.session.get(User, plan.created_by_id))
    assert "kunne ikke laves" in client.get(f"/production/planner/{plan.id}").text


@pytest.fixture
def redis_queue(app, monkeypatch, background):
    """The planner queue in this test's own Redis database (a real Redis: the test fails if it is away)."""
    connection = Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    yield Queue(jobs.QUEUE, connection=connection)
    connection.flushdb()


@pytest.fixture
def local_processes(monkeypatch):
    """Record the local processes the app would start, instead of starting them."""
    started = []
    monkeypatch.setattr(jobs, "start_local_process", lambda app, *args: started.append(args))
    return started


def optimise(client_as, week) -> tuple:
    """A leader presses Optimise on a fresh draft: (her client, the computing plan, the draft)."""
    client = client_as(Role.LEADER)
    _people, work_order = week(client.user.site)
    base = make_instant_plan(client.user.site_id, monday_of(work_order.due_date), 120, client.user)
    db.session.commit()
    response = client.post(f"/production/planner/{base.id}/optimise")
    assert response.status_code == 302
    return client, db.session.scalar(select(Plan).where(Plan.id != base.id)), base


def test_with_redis_the_job_goes_on_the_queue_and_a_worker_computes_the_plan(app, client_as, week, redis_queue,
                                                                             local_processes, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])  # the worker's own configuration
    listening = Worker([jobs.QUEUE], connection=redis_queue.connection, name="listening")
    listening.register_birth()  # a worker listens on the queue, so the job is not run locally
    try:
        client, plan, base = optimise(client_as, week)
        [job] = redis_queue.get_jobs()
        assert job.timeout == jobs.job_timeout(1.0) > 60 and job.args[0] == plan.id
        assert reload(plan).status == PlanStatus.COMPUTING
        SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    finally:
        listening.register_death()
    plan = reload(plan)
    assert (plan.status, plan.progress) == (PlanStatus.DRAFT, 100)
    assert plan.assignments and plan.version >= 1 and local_processes == []


def test_with_no_worker_listening_the_plan_is_computed_locally(client_as, week, redis_queue, local_processes, caplog):
    client, plan, base = optimise(client_as, week)
    assert redis_queue.count == 0 and local_processes == [(plan.id, base.id, 1.0)]
    assert "no RQ worker listens" in caplog.text


def test_when_redis_cannot_be_reached_the_plan_is_computed_locally(app, client_as, week, background, local_processes,
                                                                    monkeypatch, caplog):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    client, plan, base = optimise(client_as, week)
    assert local_processes == [(plan.id, base.id, 1.0)]
    assert "Redis cannot be reached" in caplog.text


def test_without_redis_a_local_worker_process_computes_the_plan(client_as, week, background):
    client, plan, base = optimise(client_as, week)
    assert multiprocessing.active_children()  # a process, not a thread
    deadline = time.monotonic() + 60
    while reload(plan).status == PlanStatus.COMPUTING and time.monotonic() < deadline:
        time.sleep(0.5)
    plan = reload(plan)
    assert (plan.status, plan.progress) == (PlanStatus.DRAFT, 100) and plan.assignments


def test_a_plan_whose_job_stopped_answering_is_shown_as_failed(app, computing, client, login):
    from datetime import timedelta

    from production.planner.services import stalled_after
    plan, base = computing
    login(client, db.session.get(User, plan.created_by_id))
    assert client.get(f"/production/planner/{plan.id}/progress").json["status"] == "computing"
    plan.created_at = plan.created_at - stalled_after(app.config["PLANNER_SECONDS"]) - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/production/planner/{plan.id}/progress").json["status"] == "failed"
    assert "kunne ikke laves" in client.get(f"/production/planner/{plan.id}").text
    assert reload(base).status == PlanStatus.DRAFT  # the plan she started from is still hers to use


def test_a_job_for_a_plan_given_up_meanwhile_computes_nothing(app, computing, monkeypatch):
    plan, base = computing
    plan.status = PlanStatus.FAILED
    db.session.commit()
    monkeypatch.setattr("production.planner.optimise.optimised_plan",
                        lambda *args, **kwargs: pytest.fail("a plan given up is not computed"))
    jobs.compute(app, plan.id, base.id, 1.0)
    assert reload(plan).status == PlanStatus.FAILED
