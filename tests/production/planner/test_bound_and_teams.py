"""The proven bound on the fair level, and large sites solved team by team."""
from dataclasses import replace

from production.planner.generate import make_instance
from production.planner.instance import Assignment, Kind, Pin
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_lower_bound, deadline_minutes_unplanned, fair_level, fair_level_bound
from production.planner.optimise import optimised_plan
from production.planner.teams import split_into_teams, team_count
from production.planner.validate import assert_valid
from tests.production.planner.conftest import EMBROIDER, instance, paid, person, task


def test_bound_is_the_even_split_of_the_budget_when_tasks_fit_it():
    people = [person(i, employment=paid(600)) for i in (1, 2, 3)]
    inst = instance(people, [task(i, minutes=30) for i in range(1, 40)], budget=540)
    assert fair_level_bound(inst) == 180


def test_bound_knows_paid_hours_come_in_whole_tasks():
    # her frikort leaves 266 minutes, but hour-long tasks can only give her 240 of them
    capped = person(1, employment=paid(600, frikort_remaining_ore=60_000))
    inst = instance([capped, person(2, employment=paid(600))], [task(i) for i in range(1, 20)], budget=2000)
    assert fair_level_bound(inst) == 240
    plan = optimised_plan(inst, time_limit=2)
    assert fair_level(inst, plan) == 240
    assert plan.stats["lowest_paid_proven"]


def test_bound_counts_the_budget_each_person_needs_in_whole_tasks():
    # 45-minute tasks: a level of 100 needs 135 minutes each, so 250 minutes of budget reach only 90
    people = [person(i, employment=paid(600)) for i in (1, 2)]
    inst = instance(people, [task(i, minutes=45) for i in range(1, 20)], budget=250)
    assert fair_level_bound(inst) == 90


def test_small_site_is_solved_whole_and_large_site_in_teams():
    assert team_count(make_instance(1, 25, 50)) == 1
    assert team_count(make_instance(1, 60, 50)) == 3


def test_teams_share_out_people_and_keep_work_orders_whole():
    inst = make_instance(7, 45, 300)
    teams = split_into_teams(inst, instant_plan(inst), 2)
    assert sorted(pid for t in teams for pid in t.people) == sorted(p.id for p in inst.people)
    assert sorted(tid for t in teams for tid in t.tasks) == sorted(t.id for t in inst.tasks)
    for team in teams:
        orders = {t.work_order_id for t in inst.tasks if t.id in team.tasks}
        assert all(t.id in team.tasks for t in inst.tasks if t.work_order_id in orders)


def test_pins_and_locked_work_pull_their_work_order_into_the_person_s_team():
    inst = make_instance(7, 45, 300)
    start = instant_plan(inst)
    first, last = inst.tasks[0], inst.tasks[-1]
    fixed = Assignment(inst.people[0].id, first.id, 0, inst.people[0].day_windows(0)[0][0] if inst.people[0].day_windows(0)
                       else 0, 1, Kind.TRAINING)
    inst = replace(inst, pins=(Pin(inst.people[-1].id, last.id),), fixed=(fixed,))
    teams = split_into_teams(inst, start, 2)
    assert next(t for t in teams if inst.people[-1].id in t.people).tasks >= {last.id}
    assert next(t for t in teams if inst.people[0].id in t.people).tasks >= {first.id}


def test_large_site_plan_is_valid_fairer_and_never_later():
    inst = make_instance(11, 45, 400)
    start = instant_plan(inst)
    best_seen = []
    plan = optimised_plan(inst, time_limit=6, start=start,
                          on_progress=lambda stage, fraction, best: best and best_seen.append(best))
    assert_valid(inst, plan)
    for seen in best_seen:
        assert_valid(inst, seen)
    assert deadline_minutes_unplanned(inst, plan) <= deadline_minutes_unplanned(inst, start)
    assert fair_level(inst, start) <= fair_level(inst, plan) <= fair_level_bound(inst)
    assert plan.stats["lowest_paid_bound"] == fair_level_bound(inst)
    # a team's proof is not the site's: only the site-wide lower bound proves the deadline figure
    assert plan.stats["deadline_bound"] == deadline_lower_bound(inst)
    assert plan.stats["deadline_proven"] == (deadline_minutes_unplanned(inst, plan) == deadline_lower_bound(inst))


def test_deadline_bound_counts_work_that_cannot_be_on_time_in_any_plan():
    # three five-hour steps due Tuesday, in six-hour days: the third cannot start before Wednesday
    chain = [task(1, minutes=300, due_day=1), task(2, minutes=300, due_day=1, predecessors=(1,)),
             task(3, minutes=300, due_day=1, predecessors=(2,))]
    nobody_can = task(4, op=EMBROIDER, minutes=45, due_day=4)  # needs embroidery level 2
    too_long = task(5, minutes=400, due_day=4)  # longer than any window of six hours
    free = task(6, due_day=0)
    inst = instance([person(1)], chain + [nobody_can, too_long, free])
    assert deadline_lower_bound(inst) == 300 + 45 + 400
    plan = optimised_plan(inst, time_limit=2)
    assert deadline_minutes_unplanned(inst, plan) == 745 and plan.stats["deadline_proven"]


def test_deadline_bound_lets_a_routing_finish_later_the_same_day():
    chain = [task(1, due_day=0), task(2, due_day=0, predecessors=(1,)), task(3, due_day=0, predecessors=(2,))]
    assert deadline_lower_bound(instance([person(1)], chain)) == 0


def test_deadline_bound_starts_successors_after_locked_work():
    locked = Assignment(1, 1, 2, 9 * 60, 60)
    inst = instance([person(1)], [task(1), task(2, due_day=2, predecessors=(1,))],
                    locked_days=frozenset({2}), fixed=(locked,))
    assert deadline_lower_bound(inst) == 60
