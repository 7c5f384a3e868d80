"""A break every N minutes: a hard rule for both planners and the validator."""
import pytest

from production.planner.breaks import required_breaks, split_at_breaks, too_long_blocks, work_blocks
from production.planner.explain import explain_unplanned_task
from production.planner.instance import Accommodations, Assignment, Forbid, Plan
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_lower_bound, fair_level_bound, paid_reach
from production.planner.optimise import optimised_plan
from production.planner.validate import assert_valid, validate
from tests.production.planner.conftest import instance, paid, person, task

HOURLY = Accommodations(break_every_minutes=60, break_minutes=15)


def needs_breaks(pid, acc=HOURLY, **kw):
    return person(pid, accommodations=acc, **kw)


def blocks_of(plan, person_id, day=0):
    return work_blocks([(a.start, a.end) for a in plan.assignments if a.person_id == person_id and a.day == day], 15)


# -- the rule on intervals ----------------------------------------------------------------

def test_pauses_shorter_than_a_break_join_work_into_one_block():
    assert work_blocks([(540, 590), (600, 650), (665, 700)], 15) == [(540, 650), (665, 700)]
    assert too_long_blocks([(540, 590), (600, 650), (665, 700)], 60, 15) == [(540, 650)]
    assert too_long_blocks([(540, 630)], 60, 15) == [(540, 630)]  # one task longer than N is a block too
    assert too_long_blocks([(540, 600), (615, 675)], 60, 15) == []


def test_windows_are_cut_into_stretches_a_break_apart():
    assert split_at_breaks([(540, 780)], 60, 15) == ((540, 600), (615, 675), (690, 750), (765, 780))
    # a pause shorter than a break does not rest her: the stretch goes on after it
    assert split_at_breaks([(540, 580), (585, 700)], 60, 15) == ((540, 580), (585, 600), (615, 675), (690, 700))
    # a longer pause does: the next window starts a fresh stretch
    assert split_at_breaks([(540, 580), (600, 700)], 60, 15) == ((540, 580), (600, 660), (675, 700))


def test_stretches_always_keep_the_rule():
    windows = [(480, 530), (535, 700), (720, 725), (727, 900)]
    for every, length in ((30, 5), (45, 10), (60, 15), (90, 30)):
        stretches = split_at_breaks(windows, every, length)
        assert too_long_blocks(stretches, every, length) == []
        assert all(any(s <= a and b <= e for s, e in windows) for a, b in stretches)


def test_the_breaks_shown_are_those_the_rule_needs():
    # 09:00-09:50, then 10:15-11:05: together longer than an hour, so a break after the first
    assert required_breaks([(540, 590), (615, 665)], 60, 15) == [(590, 605)]
    # the pause between is the break: it is shown where it starts
    assert required_breaks([(540, 570), (600, 620)], 60, 15) == [(570, 585)]
    # work that fits in an hour with its pauses needs none
    assert required_breaks([(540, 560), (580, 590)], 60, 15) == []


# -- the validator ------------------------------------------------------------------------

def test_150_minutes_in_one_block_is_reported():
    inst = instance([needs_breaks(1)], [task(1, minutes=50), task(2, minutes=50), task(3, minutes=50)])
    block = Plan([Assignment(1, 1, 0, 540, 50), Assignment(1, 2, 0, 590, 50), Assignment(1, 3, 0, 640, 50)])
    [violation] = validate(inst, block)
    assert violation.rule == "breaks" and violation.day == 0
    assert "09:00-11:30" in str(violation) and "15 minutes" in str(violation) and "every 60" in str(violation)


def test_a_pause_shorter_than_her_break_does_not_count():
    inst = instance([needs_breaks(1)], [task(1, minutes=50), task(2, minutes=50)])
    assert "breaks" in {v.rule for v in validate(inst, Plan([Assignment(1, 1, 0, 540, 50),
                                                              Assignment(1, 2, 0, 600, 50)]))}
    assert validate(inst, Plan([Assignment(1, 1, 0, 540, 50), Assignment(1, 2, 0, 605, 50)])) == []


def test_one_task_longer_than_her_stretch_is_reported_and_others_are_free():
    inst = instance([needs_breaks(1), person(2)], [task(1, minutes=90), task(2, minutes=150)])
    assert {v.rule for v in validate(inst, Plan([Assignment(1, 1, 0, 540, 90)]))} == {"breaks"}
    assert validate(inst, Plan([Assignment(2, 2, 0, 540, 150)])) == []


# -- the planners -------------------------------------------------------------------------

PLANNERS = pytest.mark.parametrize("plan_with", [instant_plan, lambda inst: optimised_plan(inst, time_limit=2.0)],
                                   ids=["instant", "optimised"])


def valid_plan_of_a_sewing_day(plan_with, acc):
    """Six 50-minute tasks for one person here 09:00-15:00 on Monday, planned and checked."""
    inst = instance([person(1, days=(0,), window=((540, 900),), accommodations=acc)],
                    [task(i, minutes=50) for i in range(1, 7)])
    plan = plan_with(inst)
    assert_valid(inst, plan)
    return plan


@PLANNERS
def test_both_planners_give_her_breaks(plan_with):
    plan = valid_plan_of_a_sewing_day(plan_with, HOURLY)
    blocks = blocks_of(plan, 1)
    assert len(plan.assignments) >= 4 and len(blocks) == len(plan.assignments)
    assert all(end - start <= 60 for start, end in blocks)
    assert all(b[0] - a[1] >= 15 for a, b in zip(blocks, blocks[1:]))


@PLANNERS
def test_without_the_accommodation_the_same_work_is_one_block(plan_with):
    plan = valid_plan_of_a_sewing_day(plan_with, Accommodations())
    assert len(blocks_of(plan, 1)) < len(plan.assignments)


@PLANNERS
def test_a_task_longer_than_her_stretch_goes_to_someone_else_or_nowhere(plan_with):
    inst = instance([needs_breaks(1), person(2, days=(3,))], [task(1, minutes=90, due_day=1), task(2, minutes=60)],
                    forbids=(Forbid(2, 2),))
    plan = plan_with(inst)
    assert_valid(inst, plan)
    placed = plan.by_task()
    assert placed[1].person_id == 2 and placed[1].day == 3
    assert placed[2].person_id == 1  # a task as long as her stretch is fine


def test_her_pace_counts_when_the_task_is_measured_against_her_breaks():
    inst = instance([needs_breaks(1, pace_percent=50)], [task(1, minutes=40)])  # 80 minutes at her pace
    assert instant_plan(inst).assignments == []
    assert optimised_plan(inst, time_limit=1.0).assignments == []
    assert explain_unplanned_task(inst, Plan(), 1).code == "breaks"


def test_optimised_plan_keeps_breaks_with_paid_hours_and_routing():
    people = [needs_breaks(1, employment=paid(600)), needs_breaks(2, acc=Accommodations(45, None, False, False, 45, 10),
                                                                   employment=paid(600)), person(3)]
    tasks = [task(i, minutes=40, wo=i, due_day=2) for i in range(1, 13)]
    tasks += [task(100 + i, minutes=30, wo=i, predecessors=(i,), due_day=3) for i in range(1, 13)]
    inst = instance(people, tasks, budget=600)
    start = instant_plan(inst)
    assert_valid(inst, start)
    plan = optimised_plan(inst, time_limit=3.0, start=start)
    assert_valid(inst, plan)
    assert plan.paid_minutes().get(1) and plan.paid_minutes().get(2)


# -- the bounds and figures ---------------------------------------------------------------

def test_bounds_know_a_task_longer_than_her_stretch_cannot_be_hers():
    inst = instance([needs_breaks(1, employment=paid(600))], [task(1, minutes=90, due_day=0), task(2, minutes=60)],
                    budget=600)
    assert deadline_lower_bound(inst) == 90
    assert fair_level_bound(inst) == 60


def test_her_reach_leaves_out_the_breaks():
    one_day = ((9 * 60, 11 * 60 + 30),)  # 150 minutes: 60, break 15, 60, break 15
    acc = Accommodations(break_every_minutes=60, break_minutes=15)
    inst = instance([needs_breaks(1, acc=acc, days=(0,), window=one_day, employment=paid(600))], [], budget=600)
    assert paid_reach(inst, inst.people[0]) == 120
