"""The optimised plan (CP-SAT): valid, never worse than the instant plan on deadline work, fairer."""
from dataclasses import replace

from production.planner.generate import make_instance
from production.planner.instance import Forbid, Pin
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_minutes_unplanned, moved_minutes, paid_range
from production.planner.optimise import build_groups, optimised_plan
from production.planner.validate import assert_valid
from tests.production.planner.conftest import instance, paid, person, task


def test_identical_batches_merge_into_groups():
    tasks = [task(i, due_day=3) for i in range(1, 6)] + [task(10 + i, predecessors=(i,), due_day=3) for i in range(1, 6)]
    groups = build_groups(instance([person(1)], tasks))
    assert sorted(g.n for g in groups) == [5, 5]
    second = next(g for g in groups if g.first.id > 10)
    assert second.after_each is not None


def test_uneven_routing_falls_back_to_single_tasks():
    tasks = [task(1), task(2), task(3, predecessors=(1, 2)), task(4, predecessors=(2,))]
    groups = build_groups(instance([person(1)], tasks))
    assert sum(g.n for g in groups) == 4


def test_hand_made_case_is_valid_and_fair():
    people = [person(1, employment=paid(600)), person(2, employment=paid(600)), person(3, employment=paid(600)),
              person(4)]
    tasks = [task(i, due_day=i % 5) for i in range(1, 25)] + [task(100 + i, predecessors=(i,)) for i in range(1, 6)]
    inst = instance(people, tasks, budget=540)
    plan = optimised_plan(inst, time_limit=3)
    assert_valid(inst, plan)
    assert deadline_minutes_unplanned(inst, plan) <= deadline_minutes_unplanned(inst, instant_plan(inst))
    assert plan.stats["deadline_proven"]
    assert paid_range(inst, plan)[0] == 180  # 540 budget, three payable people


def test_pins_forbids_and_locks_hold():
    from production.planner.instance import Assignment
    fixed = Assignment(1, 5, 0, 540, 60)
    inst = instance([person(1), person(2)], [task(i, due_day=2) for i in range(1, 6)],
                    pins=(Pin(2, 1, day=2),), forbids=(Forbid(1, 2),), locked_days=frozenset({0}), fixed=(fixed,))
    plan = optimised_plan(inst, time_limit=2)
    assert_valid(inst, plan)
    placed = plan.by_task()
    assert (placed[1].person_id, placed[1].day) == (2, 2)
    assert placed[2].person_id == 2


def test_generated_site_beats_or_equals_instant():
    inst = make_instance(3, 8, 60)
    start = instant_plan(inst)
    plan = optimised_plan(inst, time_limit=4, start=start)
    assert_valid(inst, plan)
    assert deadline_minutes_unplanned(inst, plan) <= deadline_minutes_unplanned(inst, start)
    assert plan.stats["lowest_paid_bound"] is None or paid_range(inst, plan)[0] <= plan.stats["lowest_paid_bound"]


def test_optimised_replan_stays_close():
    inst = make_instance(5, 8, 60)
    before = instant_plan(inst)  # deterministic, so the comparison below is too
    sick = before.assignments[0].person_id
    people = tuple(replace(p, windows={d: w for d, w in p.windows.items() if d not in (1, 2)}) if p.id == sick else p
                   for p in inst.people)
    after_inst = replace(inst, people=people)
    after = optimised_plan(after_inst, previous=before, time_limit=3)
    assert_valid(after_inst, after)
    unaffected = {a.task_id for a in before.assignments if not (a.person_id == sick and a.day in (1, 2))}
    moved, total = moved_minutes(before, after, unaffected)
    # The stability term at work: far less moves than when planning the week afresh (about 960 against
    # 5,000 of 6,575 minutes here). The ≤ 10 % target for a time-limited solve is measured by
    # `make bench-planner`, not asserted: it depends on the machine's speed.
    moved_afresh, _ = moved_minutes(before, optimised_plan(after_inst, time_limit=3), unaffected)
    assert moved <= moved_afresh / 2
    # The instant re-plan is deterministic and keeps nearly everything.
    moved_by_instant, _ = moved_minutes(before, instant_plan(after_inst, previous=before), unaffected)
    assert moved_by_instant <= 0.10 * total


def test_best_paid_split_is_fairer_than_first_come():
    from production.planner.instant import first_come_first_paid
    from production.planner.optimise import best_paid_split
    early, late = ((8 * 60, 12 * 60),), ((12 * 60, 16 * 60),)
    people = [person(1, window=early, employment=paid(600)), person(2, window=late, employment=paid(600)),
              person(3, window=late, employment=paid(600))]
    inst = instance(people, [task(i) for i in range(1, 31)], budget=240)
    naive = first_come_first_paid(inst, instant_plan(inst, spread_paid=False))
    better = best_paid_split(inst, naive)
    assert_valid(inst, better)
    assert paid_range(inst, naive)[0] == 0
    assert paid_range(inst, better) == (60, 120)
    assert sum(better.paid_minutes().values()) == 240


def test_better_plans_are_reported_while_the_solver_searches(monkeypatch):
    from production.planner import optimise
    from production.planner.metrics import rank

    monkeypatch.setattr(optimise, "REPORT_SECONDS", 0)  # every solution, not one every 2 seconds
    inst = make_instance(2026, 20, 300)
    start = instant_plan(inst)
    calls = []
    plan = optimised_plan(inst, time_limit=6, start=start, on_progress=lambda *args: calls.append(args))
    assert len(calls) > 3  # more than one report per stage
    fractions = [fraction for _, fraction, _ in calls]
    assert fractions == sorted(fractions) and 0 < fractions[-1] <= 1
    better = [best for _, _, best in calls if best is not None]
    assert better, "the solver improved on the instant plan, and said so"
    ranks = [rank(inst, start)] + [rank(inst, best) for best in better]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)  # each one better
    for best in better:
        assert_valid(inst, best)
    assert rank(inst, plan) <= ranks[-1]
