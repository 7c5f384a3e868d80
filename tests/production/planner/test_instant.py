"""The instant plan: valid, respects routing, pins, forbids, locks; fair paid spread."""
from dataclasses import replace

from production.planner.generate import make_instance
from production.planner.instance import Assignment, Forbid, Kind, Pin
from production.planner.instant import first_come_first_paid, instant_plan
from production.planner.metrics import deadline_minutes_unplanned, moved_minutes, paid_range
from production.planner.validate import assert_valid
from tests.production.planner.conftest import EMBROIDER, instance, paid, person, task


def test_plans_everything_that_fits_in_routing_order():
    inst = instance([person(1), person(2)], [task(1, due_day=1), task(2, predecessors=(1,), due_day=1), task(3)])
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    placed = plan.by_task()
    assert set(placed) == {1, 2, 3}
    assert (placed[2].day, placed[2].start) >= (placed[1].day, placed[1].end)
    assert deadline_minutes_unplanned(inst, plan) == 0


def test_a_routing_can_be_finished_the_same_day():
    # cut, sew and press, all due on Monday: one after the other, by two people
    inst = instance([person(1), person(2)], [task(1, due_day=0), task(2, predecessors=(1,), due_day=0),
                                              task(3, predecessors=(2,), due_day=0)])
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    placed = plan.by_task()
    assert {a.day for a in placed.values()} == {0}
    assert placed[1].end <= placed[2].start and placed[2].end <= placed[3].start
    assert deadline_minutes_unplanned(inst, plan) == 0


def test_earliest_deadline_goes_first_when_time_is_short():
    one_hour = ((9 * 60, 10 * 60),)
    inst = instance([person(1, days=(0,), window=one_hour)], [task(1, due_day=4), task(2, due_day=0)])
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    assert set(plan.by_task()) == {2}


def test_nobody_skilled_leaves_the_task_unplanned():
    inst = instance([person(1)], [task(1, op=EMBROIDER)])
    plan = instant_plan(inst)
    assert plan.assignments == []


def test_pins_forbids_and_locked_days_are_kept():
    fixed = Assignment(2, 3, 0, 540, 60)
    inst = instance([person(1), person(2)], [task(1), task(2), task(3)], pins=(Pin(2, 1, day=3),),
                    forbids=(Forbid(1, 2), Forbid(2, 2, day=1)), locked_days=frozenset({0}), fixed=(fixed,))
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    placed = plan.by_task()
    assert (placed[1].person_id, placed[1].day) == (2, 3)
    assert placed[2].person_id == 2 and placed[2].day != 1
    assert fixed in plan.assignments


def test_paid_hours_only_on_productive_work_and_within_budget():
    people = [person(1, employment=paid(120)), person(2, employment=paid(600)), person(3)]
    tasks = [task(i, productive=i % 3 != 0) for i in range(1, 16)]
    inst = instance(people, tasks, budget=300)
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    assert sum(plan.paid_minutes().values()) == 300
    assert plan.paid_minutes().get(1) == 120


def test_fair_spread_beats_first_come_first_paid():
    # Person 1 works early every day; first-come pays her the whole budget.
    early = ((8 * 60, 12 * 60),)
    late = ((12 * 60, 16 * 60),)
    people = [person(1, window=early, employment=paid(600)), person(2, window=late, employment=paid(600)),
              person(3, window=late, employment=paid(600))]
    tasks = [task(i) for i in range(1, 31)]
    inst = instance(people, tasks, budget=240)
    plan = instant_plan(inst)
    naive = first_come_first_paid(inst, instant_plan(inst, spread_paid=False))
    assert_valid(inst, plan)
    assert_valid(inst, naive)
    assert paid_range(inst, naive)[0] == 0
    assert paid_range(inst, naive) == (0, 240)
    assert paid_range(inst, plan) == (60, 120)


def test_replan_after_two_sick_days_moves_little():
    inst = make_instance(7, 20, 300)
    before = instant_plan(inst)
    sick = before.assignments[0].person_id
    people = tuple(replace(p, windows={d: w for d, w in p.windows.items() if d not in (1, 2)}) if p.id == sick else p
                   for p in inst.people)
    after_inst = replace(inst, people=people)
    after = instant_plan(after_inst, previous=before)
    assert_valid(after_inst, after)
    assert not any(a.person_id == sick and a.day in (1, 2) for a in after.assignments)
    unaffected = {a.task_id for a in before.assignments if not (a.person_id == sick and a.day in (1, 2))}
    moved, total = moved_minutes(before, after, unaffected)
    assert moved <= 0.10 * total


def test_generated_sites_get_valid_non_empty_plans():
    for seed in range(3):
        inst = make_instance(seed, 20, 300)
        plan = instant_plan(inst)
        assert plan.assignments
        assert_valid(inst, plan)
        assert any(a.kind == Kind.PAID for a in plan.assignments)


def test_a_step_with_urgent_steps_after_it_goes_where_it_finishes_first():
    # Ayan is free all Monday but already has Tuesday's work; Bodil is only here from 13:00. Given to the
    # less busy Bodil, the cutting would end at 14:00 and leave too little of Monday for the embroidery.
    ayan = person(1, days=(0, 1), skills={"sew": 1, "embroider": 2})
    bodil = person(2, days=(0,), window=((13 * 60, 15 * 60),))
    inst = instance([ayan, bodil], [task(1, due_day=0), task(2, op=EMBROIDER, minutes=180, due_day=0, predecessors=(1,)),
                                    task(3, minutes=120, due_day=1)], pins=(Pin(1, 3, day=1),))
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    assert deadline_minutes_unplanned(inst, plan) == 0
    assert plan.by_task()[1].person_id == 1 and plan.by_task()[2].day == 0
