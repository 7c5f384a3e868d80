"""Impact benchmark: how long the site-year impact page takes on ten years of one site's records.

Builds a throwaway database (fixed seed 2026) with one site's ten years (2017-2026): 40 women at a
time (each year some leave and others start, 120 in all), about 3 working days a week each, booked in
the hours ledger (two thirds on tasks of B2B, repair and restock work orders through work records, the
rest meetings, Danish lessons and cleaning; trainees training, employed women paid at their wage;
a correction now and then), an accepted week plan every week, courses with outcomes, staircase steps,
and retail receipts from the restock batches. Then it opens the leader's page for a year
(`/impact/?period=year&day=2026-06-01`, every table including the progress figures) nine times, each
in a fresh session, and prints the median and maximum wall time and the SQL statements per page.
The issue asks for under 300 ms.

    .venv/bin/python bench/impact_site_year.py                      # SQLite, a temporary file
    .venv/bin/python bench/impact_site_year.py postgresql+psycopg://postgres@127.0.0.1:5432/bench_impact

A PostgreSQL database is emptied first (DROP SCHEMA public): its name must contain "bench" or "test".
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.throwaway import backend_name, throwaway_app  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402

from production.models import Operation, Product, SourceKind, Task, WorkOrder, WorkOrderStatus  # noqa: E402
from production.models import WorkRecord  # noqa: E402
from production.planner.models import AssignmentKind, Plan, PlanAssignment, PlanStatus  # noqa: E402
from shop.retail.models import Sale, SaleChannel, SaleLine, SalePaymentMethod  # noqa: E402
from staffing.models import (Course, CourseOutcome, CourseStatus, HoursKind, LedgerEntry, Person,  # noqa: E402
                             PersonKind, ProgressionStep, Skill)
from workshop import services as core  # noqa: E402
from workshop.extensions import db  # noqa: E402
from workshop.models import Role, User  # noqa: E402

SEED = 2026
YEARS = range(2017, 2027)
AT_A_TIME = 40
RUNS = 9
PAGE = "/impact/?period=year&day=2026-06-01"
ACTIVITIES_APART = ("meeting", "danish_lesson", "cleaning")


def main() -> None:
    with throwaway_app() as (app, url):
        leader = _build(random.Random(SEED))
        db.session.commit()
        counts = {model.__tablename__: db.session.query(model).count()
                  for model in (LedgerEntry, WorkRecord, Task, PlanAssignment, Sale, Course)}
        print(f"{backend_name(url)}: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
        timings, statements = _time(app, leader)
        print(f"site-year page: {statements} SQL statements per page; median {statistics.median(timings) * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms ({RUNS} runs)")


def _time(app, leader_id: int) -> tuple[list[float], int]:
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = db.session.get(User, leader_id).get_id()
        session["_fresh"] = True
    timings, per_page = [], 0
    for _ in range(RUNS):
        db.session.remove()
        statements.clear()
        started = time.perf_counter()
        response = client.get(PAGE)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        per_page = len(statements)
    return timings, per_page


def _ids(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def _build(rng: random.Random) -> int:
    site = core.ensure_site("bench", "Benchværkstedet", 40)
    leader = User(email="leder@bench.example", name="Leder", role=Role.LEADER, site=site, password_hash="x")
    skill = Skill(code="s-sew", name_da="Syning", name_en="Sewing")
    operation = Operation(code="sew", name_da="Syning", name_en="Sewing", skill=skill, min_skill_level=0)
    brooch = Product(code="brooch", name_da="Broche", name_en="Brooch", sold_in_retail=True, unit_price_ore=8000)
    db.session.add_all([leader, operation, brooch])
    db.session.flush()
    people = []
    for number in range(AT_A_TIME * 3):
        employed = number % 3 == 0
        person = Person(site_id=site.id, name=f"Kvinde {number}", kind=PersonKind.SMALL_JOB if employed else PersonKind.TRAINEE)
        people.append((person, employed))
    db.session.add_all([person for person, _employed in people])
    db.session.flush()
    sale_number = 0
    for year in YEARS:
        # 40 women this year: a window over the 120 that moves on each year.
        offset = (year - YEARS[0]) * (len(people) - AT_A_TIME) // (len(YEARS) - 1)
        women = people[offset:offset + AT_A_TIME]
        work_orders = []
        for number in range(60):
            kind = (SourceKind.ORDER_LINE, SourceKind.REPAIR_TICKET, SourceKind.RESTOCK)[number % 3]
            work_orders.append(WorkOrder(site_id=site.id, quantity=20, due_date=date(year, 12, 31), source_kind=kind,
                                         source_label=f"{kind} {year}-{number}", status=WorkOrderStatus.DONE,
                                         product_id=brooch.id if kind == SourceKind.RESTOCK else None))
        db.session.add_all(work_orders)
        db.session.flush()
        tasks = [Task(site_id=site.id, work_order_id=work_order.id, operation_id=operation.id, sequence=1,
                      quantity=20, standard_minutes=600, earliest_start=date(year, 1, 1), due_date=date(year, 12, 31))
                 for work_order in work_orders]
        db.session.add_all(tasks)
        db.session.flush()
        _year_of_hours(rng, site.id, leader.id, year, women, tasks)
        _courses_and_steps(rng, site.id, leader.id, year, women)
        sale_number = _sales(rng, site.id, year, brooch.id, [wo.id for wo in work_orders
                                                               if wo.source_kind == SourceKind.RESTOCK], sale_number)
    return leader.id


def _year_of_hours(rng, site_id, leader_id, year, women, tasks) -> None:
    day, end = date(year, 1, 2), date(year, 12, 20)
    while day <= end:
        if day.weekday() < 5:
            entries, links, plan_rows = [], [], []
            for person, employed in women:
                if rng.random() > 0.6:
                    continue
                minutes = rng.choice((120, 180, 240))
                on_task = rng.random() < 0.67
                entries.append(dict(person_id=person.id, site_id=site_id, work_date=day, minutes=minutes,
                                    kind=HoursKind.PAID if employed else HoursKind.TRAINING,
                                    activity="production" if on_task else rng.choice(ACTIVITIES_APART),
                                    wage_ore_per_hour=13_500 if employed else None, created_by_id=leader_id,
                                    reference=f"task-{rng.choice(tasks).id}" if on_task else ""))
            _ids(LedgerEntry, entries)
            booked = db.session.execute(select(LedgerEntry.id, LedgerEntry.person_id, LedgerEntry.minutes,
                                               LedgerEntry.reference, LedgerEntry.kind)
                                        .where(LedgerEntry.site_id == site_id, LedgerEntry.work_date == day)).all()
            for entry_id, person_id, minutes, reference, kind in booked:
                if reference.startswith("task-"):
                    links.append(dict(task_id=int(reference[5:]), person_id=person_id, ledger_entry_id=entry_id,
                                      minutes=minutes, quantity=1, recorded_by_id=leader_id))
                    if kind == HoursKind.PAID:
                        plan_rows.append((person_id, int(reference[5:]), minutes))
            _ids(WorkRecord, links)
            if plan_rows:
                monday = day - timedelta(days=day.weekday())
                plan = db.session.scalar(select(Plan).where(Plan.site_id == site_id, Plan.week_start == monday))
                if plan is None:
                    plan = Plan(site_id=site_id, week_start=monday, method="instant", status=PlanStatus.ACCEPTED,
                                created_by_id=leader_id, accepted_by_id=leader_id)
                    db.session.add(plan)
                    db.session.flush()
                _ids(PlanAssignment, [dict(plan_id=plan.id, person_id=person_id, task_id=task_id, day=day,
                                           start_minute=540, minutes=minutes - rng.choice((0, 0, 30)),
                                           kind=AssignmentKind.PAID) for person_id, task_id, minutes in plan_rows])
            if rng.random() < 0.05 and booked:  # a correction now and then
                entry_id, person_id, minutes, _reference, kind = booked[0]
                _ids(LedgerEntry, [dict(person_id=person_id, site_id=site_id, work_date=day, minutes=-30, kind=kind,
                                        activity="production", corrects_id=entry_id, created_by_id=leader_id,
                                        wage_ore_per_hour=13_500 if kind == HoursKind.PAID else None)])
        day += timedelta(days=1)


def _courses_and_steps(rng, site_id, leader_id, year, women) -> None:
    courses, steps = [], []
    for person, employed in women:
        if employed or rng.random() < 0.5:
            continue
        start = date(year, rng.randint(1, 6), 1)
        end = start + timedelta(weeks=rng.choice((8, 13, 26)))
        courses.append(dict(person_id=person.id, site_id=site_id, referral_date=start - timedelta(days=10),
                            start_date=start, planned_end=end, actual_end=end, weekly_minutes=720,
                            status=CourseStatus.COMPLETED,
                            outcome=rng.choice(list(CourseOutcome)), case_reference="", target_group=""))
        steps.append(dict(person_id=person.id, step=rng.randint(1, 4), since=start, note=""))
    _ids(Course, courses)
    _ids(ProgressionStep, steps)


def _sales(rng, site_id, year, product_id, batches, number) -> int:
    for month in range(1, 13):
        for _ in range(rng.randint(5, 15)):
            number += 1
            quantity = rng.randint(1, 3)
            at = datetime(year, month, rng.randint(1, 28), 12, tzinfo=timezone.utc).replace(tzinfo=None)
            sale = Sale(site_id=site_id, number=number, channel=SaleChannel.TILL, payment_method=SalePaymentMethod.CASH,
                        total_ore=10_000 * quantity, vat_ore=2_000 * quantity, at=at)
            sale.lines = [SaleLine(product_id=product_id, quantity=quantity, unit_price_ore=10_000,
                                   total_ore=10_000 * quantity, vat_ore=2_000 * quantity,
                                   work_order_id=rng.choice(batches))]
            db.session.add(sale)
        db.session.flush()
    return number


if __name__ == "__main__":
    main()
