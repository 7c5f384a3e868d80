"""The optimised plan is computed outside the web request, as a job in another process.

With `REDIS_URL` the job goes on the RQ queue "planner" (start a worker: see README). Without it,
or when Redis cannot be reached or no worker listens on the queue, a local worker process runs it.
With `PLANNER_JOBS_INLINE` (tests) it runs at once, in the request.

The job writes `Plan.progress` and each better plan it finds into the computing plan (the board
shows them), and finally makes the plan a draft, or marks it failed.
"""
from __future__ import annotations

import logging
import multiprocessing

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker

from production.planner import services
from production.planner.models import Plan, PlanStatus
from workshop import create_app
from workshop.errors import DomainError
from workshop.extensions import db

log = logging.getLogger(__name__)
QUEUE = "planner"
#: Seconds to wait for Redis before the request falls back to a local process.
REDIS_TIMEOUT = 3


def launch(plan_id: int, base_id: int) -> None:
    """Start computing the optimised plan `plan_id` from the plan `base_id` (both committed)."""
    app = current_app._get_current_object()
    seconds = app.config["PLANNER_SECONDS"]
    if app.config.get("PLANNER_JOBS_INLINE"):
        compute(app, plan_id, base_id, seconds)
    elif not (app.config.get("REDIS_URL") and enqueue(app.config["REDIS_URL"], plan_id, base_id, seconds)):
        start_local_process(app, plan_id, base_id, seconds)


def job_timeout(seconds: float) -> int:
    """RQ stops a job after this long: the solver's time plus room for loading the week and storing plans."""
    return int(2 * seconds) + 120


def enqueue(redis_url: str, plan_id: int, base_id: int, seconds: float) -> bool:
    """Put the job on the RQ queue; False when Redis cannot be reached or no worker would take it."""
    try:
        connection = Redis.from_url(redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
        queue = Queue(QUEUE, connection=connection)
        if not Worker.all(queue=queue):
            log.warning("no RQ worker listens on the %r queue: plan %s is computed in a local process", QUEUE, plan_id)
            return False
        queue.enqueue(run_job, plan_id, base_id, seconds, job_timeout=job_timeout(seconds),
                      description=f"optimised plan {plan_id}")
    except RedisError as error:
        log.warning("Redis cannot be reached (%s): plan %s is computed in a local process", error, plan_id)
        return False
    return True


def start_local_process(app: Flask, plan_id: int, base_id: int, seconds: float) -> None:
    """Run the job in a new Python process (not a thread: the solver would slow down the web server)."""
    multiprocessing.active_children()  # reaps finished jobs, which would otherwise linger as zombies
    process = multiprocessing.get_context("spawn").Process(
        target=run_job, args=(plan_id, base_id, seconds, app.config["SQLALCHEMY_DATABASE_URI"]),
        name=f"planner-{plan_id}")
    try:
        process.start()
    except OSError:
        log.exception("cannot start a process for plan %s", plan_id)
        services.fail_optimised(plan_id)
        db.session.commit()


def run_job(plan_id: int, base_id: int, seconds: float, database_url: str | None = None) -> None:
    """The job's entry point in a worker process: an app configured from the environment, like the web app's.

    `database_url` overrides `DATABASE_URL` (a local process uses the web app's database, even in tests).
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url} if database_url else None)
    compute(app, plan_id, base_id, seconds)
    with app.app_context():
        db.engine.dispose()


def compute(app: Flask, plan_id: int, base_id: int, seconds: float) -> None:
    """Optimise, storing each better plan as it is found; the plan ends as a draft, or failed."""
    from production.planner.optimise import optimised_plan  # noqa: PLC0415 - loads OR-Tools only in the job

    with app.app_context():
        try:
            plan, base = db.session.get(Plan, plan_id), db.session.get(Plan, base_id)
            if plan.status != PlanStatus.COMPUTING:  # given up while the job waited for a worker
                log.warning("plan %s is %s: not computed", plan_id, plan.status.value)
                return
            instance, previous = services.week_instance(plan.site_id, plan.week_start, plan.budget_minutes, base)
            start = services.engine_plan(base)
            db.session.commit()  # no transaction stays open while the solver works

            def on_progress(stage: str, fraction: float, better=None) -> None:
                try:
                    services.record_progress(db.session.get(Plan, plan_id), instance, fraction, better)
                except DomainError:  # a plan on the way that breaks a rule is skipped; the job goes on
                    log.exception("plan %s: a better plan from stage %s was not stored", plan_id, stage)
                    db.session.rollback()
                    return
                db.session.commit()

            final = optimised_plan(instance, time_limit=seconds, previous=previous, start=start,
                                   on_progress=on_progress)
            services.finish_optimised(db.session.get(Plan, plan_id), instance, final)
            db.session.commit()
        except Exception:  # noqa: BLE001 - a failed job must not leave a plan computing forever
            log.exception("optimised plan %s failed", plan_id)
            db.session.rollback()
            services.fail_optimised(plan_id)
            db.session.commit()
