"""The optimised plan runs outside the web request: a local worker thread.

`launch` starts it; the job reports progress in `Plan.progress` (the board polls) and finally
writes the plan, or marks it failed. With `PLANNER_JOBS_INLINE` (tests) it runs at once.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from production.planner.models import Plan, PlanStatus
from workshop.extensions import db

log = logging.getLogger(__name__)
SECONDS = 15.0


def launch(plan_id: int, base_id: int) -> None:
    app = current_app._get_current_object()
    if app.config.get("PLANNER_JOBS_INLINE"):
        run(app, plan_id, base_id, app.config.get("PLANNER_SECONDS", 2.0))
        return
    threading.Thread(target=run, args=(app, plan_id, base_id, app.config.get("PLANNER_SECONDS", SECONDS)),
                     daemon=True, name=f"planner-{plan_id}").start()


def run(app: Flask, plan_id: int, base_id: int, seconds: float) -> None:
    from production.planner import services  # noqa: PLC0415 - avoid a cycle at import time
    from production.planner.optimise import optimised_plan  # noqa: PLC0415 - loads OR-Tools only here

    with app.app_context():
        try:
            plan, base = db.session.get(Plan, plan_id), db.session.get(Plan, base_id)
            instance, previous = services.week_instance(plan.site_id, plan.week_start, plan.budget_minutes, base)
            start = services.engine_plan(base)

            def progress(stage: str, fraction: float, best=None) -> None:
                db.session.execute(db.update(Plan).where(Plan.id == plan_id)
                                   .values(progress=max(1, min(99, int(100 * fraction)))))
                db.session.commit()

            result = optimised_plan(instance, time_limit=seconds, previous=previous, start=start,
                                    on_progress=progress)
            plan = db.session.get(Plan, plan_id)
            services.store_result(plan, instance, result)
            plan.status, plan.progress = PlanStatus.DRAFT, 100
            db.session.commit()
        except Exception:  # noqa: BLE001 - a failed job must not leave a plan computing forever
            log.exception("optimised plan %s failed", plan_id)
            db.session.rollback()
            db.session.execute(db.update(Plan).where(Plan.id == plan_id)
                               .values(status=PlanStatus.FAILED, progress=100))
            db.session.commit()
