"""Random but realistic planning instances with a fixed seed (benchmark and tests)."""
from __future__ import annotations

import random

from production.planner.instance import Accommodations, Employment, Instance, Operation, Person, Task

OPERATIONS = (
    Operation("cut", "cut", 1, lift_kg=0, standing_minutes=45, name="cut", pictogram="scissors"),
    Operation("sew", "sew", 1, name="sew", pictogram="needle"),
    Operation("sew2", "sew", 2, name="sew (advanced)", pictogram="needle"),
    Operation("embroider", "embroider", 2, noisy=True, name="embroider", pictogram="flower1"),
    Operation("press", "press", 1, standing_minutes=60, name="press", pictogram="thermometer-high"),
    Operation("pack", "pack", 0, lift_kg=12, name="pack", pictogram="box-seam"),
    Operation("repair", "repair", 1, name="repair", pictogram="tools"),
)
ROUTINGS = (("cut", "sew", "press"), ("cut", "sew2", "pack"), ("embroider", "pack"), ("repair",), ("sew", "pack"),
            ("cut", "sew"))


def make_person(rng: random.Random, person_id: int) -> Person:
    days = sorted(rng.sample(range(5), rng.choice((3, 4, 4, 5))))
    windows = {}
    for d in days:
        start = rng.choice((8 * 60, 9 * 60, 9 * 60, 10 * 60))
        if rng.random() < 0.3:
            windows[d] = ((start, 12 * 60), (12 * 60 + 30, start + rng.choice((5, 6)) * 60 + 30))
        else:
            windows[d] = ((start, start + rng.choice((4, 5, 6)) * 60),)
    skills = {s: rng.choice((0, 1, 1, 2, 2, 3)) for s in ("cut", "sew", "embroider", "press", "pack", "repair")}
    acc = Accommodations()
    r = rng.random()
    if r < 0.15:
        acc = Accommodations(max_lift_kg=5)
    elif r < 0.25:
        acc = Accommodations(needs_seated=True)
    elif r < 0.32:
        acc = Accommodations(needs_quiet=True, max_standing_minutes=30)
    elif r < 0.45:
        acc = Accommodations(break_every_minutes=rng.choice((45, 60, 90)), break_minutes=rng.choice((10, 15)))
    employment = None
    if rng.random() < 0.6:
        wage = 13500
        frikort = rng.choice((None, None, None, 60_000, 150_000))
        employment = Employment(True, min_paid_minutes=rng.choice((0, 60, 120)),
                                max_paid_minutes=rng.choice((360, 480, 600, 900)), wage_ore=wage,
                                frikort_remaining_ore=frikort)
    return Person(person_id, f"Person {person_id}", windows, max_minutes_per_day=rng.choice((300, 360, 420)),
                  max_minutes_per_week=rng.choice((900, 1200, 1500, 1800)),
                  earliest_start_minute=rng.choice((0, 0, 0, 9 * 60 + 30)), skills=skills,
                  pace_percent=rng.choice((60, 75, 80, 90, 100, 100, 110)), accommodations=acc,
                  employment=employment, trainee=employment is None or rng.random() < 0.5)


def make_instance(seed: int, n_people: int, n_tasks: int, *, load: float = 1.0, site: int = 0,
                  budget_share: float = 0.6, name: str = "") -> Instance:
    """`n_people` people and about `n_tasks` tasks; `load` = standard minutes of work / rough capacity."""
    rng = random.Random(seed)
    ops = {o.code: o for o in OPERATIONS}
    base = site * 100_000
    people = tuple(make_person(rng, base + i + 1) for i in range(n_people))
    capacity = sum(min(p.max_minutes_per_week, sum(min(p.max_minutes_per_day, sum(e - s for s, e in w))
                                                    for w in p.windows.values())) for p in people)
    mean_minutes = max(15, int(capacity * load / max(1, n_tasks) * 0.85))
    tasks: list[Task] = []
    wo = 0
    while len(tasks) < n_tasks:
        wo += 1
        routing = rng.choice(ROUTINGS)
        batches = rng.choice((1, 2, 3, 4, 6, 8))
        due = rng.choice((1, 2, 3, 4, 4, None, 6))
        earliest = rng.choice((0, 0, 0, 0, 1))
        previous: list[int] = []
        productive = rng.random() < 0.9
        quantity = rng.choice((10, 20, 40))
        for step, code in enumerate(routing):
            minutes = max(10, int(rng.gauss(mean_minutes, mean_minutes / 3)) // 5 * 5)
            current = []
            for b in range(batches):
                if len(tasks) >= n_tasks:
                    break
                tid = base + len(tasks) + 1
                pred = (previous[b],) if b < len(previous) else ()
                extra = 15 if b == 0 and rng.random() < 0.5 else 0
                tasks.append(Task(tid, base + wo, ops[code], minutes + extra, earliest_day=earliest,
                                  due_day=None if due is None else min(due, 6), predecessors=pred,
                                  productive=productive, quantity=quantity,
                                  label=f"{code} batch {b + 1}", order_label=f"2026-{wo:04d}"))
                current.append(tid)
            previous = current
    caps = sum(p.paid_cap_minutes() for p in people if p.payable)
    return Instance(people, tuple(tasks), paid_budget_minutes=int(caps * budget_share), name=name or f"seed{seed}")
