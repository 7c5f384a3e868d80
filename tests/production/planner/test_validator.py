"""Each hard rule is caught by the validator."""
import pytest

from production.planner.instance import Accommodations, Assignment, Forbid, Kind, Pin, Plan
from production.planner.validate import assert_valid, validate
from tests.production.planner.conftest import EMBROIDER, PACK, PRESS, instance, paid, person, task


def rules(inst, *assignments):
    return {v.rule for v in validate(inst, Plan(list(assignments)))}


def test_a_good_plan_has_no_violations():
    inst = instance([person(1)], [task(1), task(2, predecessors=(1,))])
    plan = Plan([Assignment(1, 1, 0, 540, 60), Assignment(1, 2, 1, 540, 60)])
    assert validate(inst, plan) == []
    assert_valid(inst, plan)


@pytest.mark.parametrize("assignment, rule", [
    (Assignment(9, 1, 0, 540, 60), "unknown"),
    (Assignment(1, 1, 6, 540, 60), "day"),
    (Assignment(1, 1, 0, 540, 45), "duration"),
    (Assignment(1, 1, 0, 480, 60), "availability"),
    (Assignment(1, 1, 0, 870, 60), "availability"),
])
def test_place_and_time_rules(assignment, rule):
    inst = instance([person(1)], [task(1)])
    assert rule in rules(inst, assignment)


def test_pace_sets_the_duration():
    inst = instance([person(1, pace_percent=50)], [task(1)])
    assert rules(inst, Assignment(1, 1, 0, 540, 120)) == set()
    assert "duration" in rules(inst, Assignment(1, 1, 0, 540, 60))


def test_earliest_start():
    inst = instance([person(1, earliest_start_minute=600)], [task(1)])
    assert "earliest_start" in rules(inst, Assignment(1, 1, 0, 540, 60))


def test_task_earliest_day():
    inst = instance([person(1)], [task(1, earliest_day=2)])
    assert "task_earliest" in rules(inst, Assignment(1, 1, 1, 540, 60))


def test_skill_minimum():
    inst = instance([person(1)], [task(1, op=EMBROIDER)])
    assert "skill" in rules(inst, Assignment(1, 1, 0, 540, 60))


@pytest.mark.parametrize("acc, op, rule", [
    (Accommodations(max_lift_kg=5), PACK, "lift"),
    (Accommodations(max_standing_minutes=30), PRESS, "standing"),
    (Accommodations(needs_seated=True), PRESS, "seated"),
    (Accommodations(needs_quiet=True), EMBROIDER, "quiet"),
])
def test_accommodations(acc, op, rule):
    skills = {"sew": 3, "pack": 3, "press": 3, "embroider": 3}
    inst = instance([person(1, skills=skills, accommodations=acc)], [task(1, op=op)])
    assert rules(inst, Assignment(1, 1, 0, 540, 60)) == {rule}


def test_task_planned_twice_and_overlap():
    inst = instance([person(1)], [task(1), task(2)])
    assert "once" in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(1, 1, 1, 540, 60))
    assert "overlap" in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(1, 2, 0, 570, 60))


def test_max_minutes_per_day_and_week():
    inst = instance([person(1, max_minutes_per_day=90, max_minutes_per_week=100)], [task(1), task(2)])
    assert "max_day" in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(1, 2, 0, 600, 60))
    assert "max_week" in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(1, 2, 1, 600, 60))


def test_routing_order():
    inst = instance([person(1), person(2)], [task(1), task(2, predecessors=(1,))])
    assert "routing" in rules(inst, Assignment(1, 2, 0, 540, 60))  # predecessor not planned
    assert "routing" in rules(inst, Assignment(1, 1, 1, 540, 60), Assignment(2, 2, 0, 540, 60))
    assert "routing" in rules(inst, Assignment(1, 1, 0, 600, 60), Assignment(2, 2, 0, 630, 60))
    assert "routing" not in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(2, 2, 0, 600, 60))


def test_paid_rules():
    inst = instance([person(1), person(2, employment=paid(60)),
                     person(3, employment=paid(600, frikort_remaining_ore=13500))],
                    [task(1), task(2), task(3), task(4, productive=False), task(5), task(6)], budget=1000)
    assert "not_payable" in rules(inst, Assignment(1, 1, 0, 540, 60, Kind.PAID))
    assert "paid_unproductive" in rules(inst, Assignment(2, 4, 0, 540, 60, Kind.PAID))
    assert "max_paid" in rules(inst, Assignment(2, 2, 0, 540, 60, Kind.PAID), Assignment(2, 3, 1, 540, 60, Kind.PAID))
    assert "frikort" in rules(inst, Assignment(3, 5, 0, 540, 60, Kind.PAID), Assignment(3, 6, 1, 540, 60, Kind.PAID))
    assert rules(inst, Assignment(3, 5, 0, 540, 60, Kind.PAID)) == set()


def test_budget():
    inst = instance([person(1, employment=paid()), person(2, employment=paid())], [task(1), task(2)], budget=100)
    assert "budget" in rules(inst, Assignment(1, 1, 0, 540, 60, Kind.PAID), Assignment(2, 2, 0, 540, 60, Kind.PAID))


def test_pins_and_forbids():
    inst = instance([person(1), person(2)], [task(1), task(2)], pins=(Pin(1, 1, day=0),), forbids=(Forbid(2, 2),))
    assert "pin" in rules(inst, Assignment(2, 1, 0, 540, 60))
    assert "pin" in rules(inst, Assignment(1, 1, 1, 540, 60))
    assert "pin" in rules(inst)  # pinned but not planned
    assert "forbid" in rules(inst, Assignment(1, 1, 0, 540, 60), Assignment(2, 2, 0, 540, 60))


def test_locked_days():
    fixed = Assignment(1, 1, 0, 540, 60)
    inst = instance([person(1)], [task(1), task(2)], locked_days=frozenset({0}), fixed=(fixed,))
    assert rules(inst, fixed) == set()
    assert "locked" in rules(inst)  # the fixed assignment was dropped
    assert "locked" in rules(inst, fixed, Assignment(1, 2, 0, 600, 60))  # new work on a locked day
    assert "locked" not in rules(inst, fixed, Assignment(1, 2, 1, 600, 60))


def test_violations_are_readable():
    inst = instance([person(1, name="Amira")], [task(1, op=EMBROIDER)])
    [v] = validate(inst, Plan([Assignment(1, 1, 0, 540, 60)]))
    assert "Amira" in str(v) and "embroider" in str(v)
