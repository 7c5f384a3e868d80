"""Earliest-date benchmark: how long `earliest_completion_for_work` takes on a busy site.

Builds a throwaway database (fixed seed 2026): one site with 60 people on realistic contracts
(full and part time, småjob/fleksjob/hybrid, skills 0-3 on five skills, pace 40-110 %, a third
with accommodations, sick days, holidays and extra days) and 2,000 unfinished tasks on five
operations, then times the earliest date for an order of 500 gift bags (with some quoted,
tentative load) several times, each in a fresh session, and, to show that the time does not grow
with the distance of the date, an order of 50,000. Prints the median and maximum wall time, the
number of SQL statements per call, and the date. The issue asks for under 0.5 s.

    .venv/bin/python bench/earliest_date.py                      # SQLite, a temporary file
    .venv/bin/python bench/earliest_date.py postgresql+psycopg://postgres@127.0.0.1:5432/bench_capacity

A PostgreSQL database is emptied first (DROP SCHEMA public): its name must contain "bench" or "test".
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event  # noqa: E402

from bench.throwaway import backend_name, throwaway_app  # noqa: E402

from production.capacity import earliest_completion_for_work, order_work_minutes  # noqa: E402
from production.models import Operation, Product, RoutingStep, SourceKind, Task, TaskStatus, WorkOrder  # noqa: E402
from production.models import WorkOrderStatus  # noqa: E402
from staffing.models import (Accommodation, AvailabilityException, AvailabilitySlot, Employment,  # noqa: E402
                             EmploymentKind, PaceAssessment, Person, PersonKind, Skill, SkillLevel)
from workshop import services as core  # noqa: E402
from workshop.extensions import db  # noqa: E402
from workshop.models import Site  # noqa: E402

SEED = 2026
PEOPLE = 60
TASKS = 2000
RUNS = 9
TODAY = date(2026, 11, 23)  # a Monday
LONG_AGO = date(2020, 1, 1)
#: code, skill level needed, noisy, standing minutes, lift kg, seconds per gift bag, set-up minutes
OPERATIONS = [
    ("cut", 1, False, 30, 0, 40, 20),
    ("sew", 2, True, 0, 0, 150, 15),
    ("print", 2, False, 20, 0, 60, 30),
    ("press", 1, False, 60, 0, 25, 10),
    ("pack", 0, False, 0, 12, 15, 5),
]
#: weekly patterns: weekdays and (start, end) minutes
PATTERNS = [
    (range(5), (480, 930)),   # full time 8:00-15:30
    (range(5), (540, 780)),   # mornings 9-13
    ((0, 1, 2), (540, 840)),  # three days 9-14
    ((1, 3), (600, 780)),     # two short days
    ((0, 2, 4), (480, 720)),  # three mornings
]


def main() -> None:
    with throwaway_app() as (_app, url):
        site, bag, tentative = _build(random.Random(SEED))
        db.session.commit()
        site_id = site.id
        print(f"{backend_name(url)}: {PEOPLE} people, "
              f"{db.session.query(Task).count()} unfinished tasks; {RUNS} runs each")
        for bags in (500, 50_000):
            work = order_work_minutes([(bag, bags)])
            timings, statements, result = _time(site_id, work, tentative)
            print(f"{bags} gift bags: earliest date {result.isoformat()}; {statements} SQL statements per call; "
                  f"median {statistics.median(timings):.3f} s, max {max(timings):.3f} s")


def _time(site_id: int, work: dict[int, int], tentative: dict[int, int]):
    """Time the call RUNS times, each in a fresh session (nothing cached); count its statements."""
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    timings, result = [], None
    for _ in range(RUNS):
        db.session.remove()
        site = db.session.get(Site, site_id)
        statements.clear()
        started = time.perf_counter()
        result = earliest_completion_for_work(site, work, tentative, start=TODAY)
        timings.append(time.perf_counter() - started)
    return timings, len(statements), result


def _build(rng: random.Random):
    site = core.ensure_site("bench", "Benchværkstedet", 60)
    operations = []
    for code, level, noisy, standing, lift, _seconds, _setup in OPERATIONS:
        skill = Skill(code=f"s-{code}", name_da=code, name_en=code)
        operations.append(Operation(code=code, name_da=code, name_en=code, skill=skill, min_skill_level=level,
                                    noisy=noisy, standing_minutes=standing, lift_kg=lift))
    db.session.add_all(operations)
    bag = Product(code="giftbag", name_da="Gavepose", name_en="Gift bag")
    bag.routing = [RoutingStep(position=position, operation=operation, seconds_per_unit=spec[5], setup_minutes=spec[6])
                   for position, (operation, spec) in enumerate(zip(operations, OPERATIONS), start=1)]
    db.session.add(bag)
    db.session.flush()
    for number in range(PEOPLE):
        db.session.add(_person(rng, site, number, operations))
    _backlog(rng, site, bag, operations)
    db.session.flush()
    tentative = {operations[1].id: 900, operations[4].id: 120}
    return site, bag, tentative


def _person(rng: random.Random, site, number: int, operations: list[Operation]) -> Person:
    kind = rng.choice([PersonKind.TRAINEE, PersonKind.TRAINEE, PersonKind.SMALL_JOB, PersonKind.FLEXJOB,
                       PersonKind.HYBRID, PersonKind.STAFF])
    person = Person(site=site, name=f"Deltager {number + 1:02d}", kind=kind)
    weekdays, (start, end) = rng.choice(PATTERNS)
    person.availability = [AvailabilitySlot(weekday=day, start_minute=start, end_minute=end) for day in weekdays]
    person.skill_levels = [SkillLevel(skill=operation.skill, level=rng.choice([0, 1, 1, 2, 2, 3]), since=LONG_AGO)
                           for operation in operations]
    person.pace_history = [PaceAssessment(percent=rng.randrange(40, 111, 5), since=LONG_AGO)]
    if kind in (PersonKind.SMALL_JOB, PersonKind.FLEXJOB, PersonKind.HYBRID):
        person.employments = [Employment(kind=EmploymentKind(kind.value), hourly_wage_ore=rng.randrange(13000, 16000),
                                         max_weekly_minutes=rng.choice([600, 900, 1500]), start_date=LONG_AGO)]
    if rng.random() < 0.35:
        person.accommodation = Accommodation(
            needs_quiet=rng.random() < 0.3, needs_seated=rng.random() < 0.2,
            max_lift_kg=rng.choice([None, 5, 10]), max_minutes_per_day=rng.choice([None, 180, 240]),
            earliest_start_minute=rng.choice([None, 540, 600]))
    for _ in range(rng.randrange(0, 12)):  # sick days, holidays, extra days in the coming year
        day = TODAY + timedelta(days=rng.randrange(0, 300))
        extra = rng.random() < 0.2
        person.availability_exceptions.append(AvailabilityException(
            day=day, available=extra, start_minute=540 if extra else None, end_minute=720 if extra else None,
            reason="ekstra" if extra else "syg"))
    return person


def _backlog(rng: random.Random, site, product: Product, operations: list[Operation]) -> None:
    """TASKS unfinished tasks: work orders of 20-120 bags, one task per operation and batch of up to 40."""
    made = 0
    while made < TASKS:
        quantity = rng.randrange(20, 121)
        due = TODAY + timedelta(days=rng.randrange(-5, 120))
        work_order = WorkOrder(site_id=site.id, product=product, quantity=quantity, due_date=due,
                               source_kind=SourceKind.INTERNAL, source_label=f"Bench {made}",
                               status=WorkOrderStatus.RELEASED)
        for sequence, (operation, spec) in enumerate(zip(operations, OPERATIONS), start=1):
            for batch, size in enumerate(_batches(quantity), start=1):
                if made == TASKS:
                    break
                status = rng.choice([TaskStatus.OPEN, TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS])
                work_order.tasks.append(Task(
                    site_id=site.id, operation=operation, sequence=sequence, batch_number=batch, quantity=size,
                    quantity_done=rng.randrange(0, size) if status == TaskStatus.IN_PROGRESS else 0,
                    standard_minutes=-(-size * spec[5] // 60) + spec[6], earliest_start=TODAY, due_date=due,
                    status=status))
                made += 1
        db.session.add(work_order)


def _batches(quantity: int, size: int = 40) -> list[int]:
    return [min(size, quantity - start) for start in range(0, quantity, size)]


if __name__ == "__main__":
    main()
