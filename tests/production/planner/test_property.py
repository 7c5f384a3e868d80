"""Property-based: on random small instances every plan is valid."""
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from production.planner.generate import make_instance
from production.planner.instance import Forbid, Pin
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_minutes_unplanned, fair_level, fair_level_bound, rank
from production.planner.optimise import optimised_plan
from production.planner.validate import assert_valid

#: A break every N minutes, of B minutes, or none (most people).
break_rules = st.none() | st.none() | st.tuples(st.sampled_from((30, 45, 60, 90, 120)), st.integers(5, 30))


@st.composite
def instances(draw):
    """A generated site where any person may also need a break every N minutes."""
    inst = draw(st.builds(
        make_instance,
        seed=st.integers(0, 10_000),
        n_people=st.integers(1, 6),
        n_tasks=st.integers(1, 40),
        load=st.floats(0.3, 2.0),
        budget_share=st.floats(0.0, 1.0),
    ))
    people = []
    for p in inst.people:
        rule = draw(break_rules)
        if rule is not None:
            p = replace(p, accommodations=replace(p.accommodations, break_every_minutes=rule[0], break_minutes=rule[1]))
        people.append(p)
    return replace(inst, people=tuple(people))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_instant_plans_are_always_valid(inst, data):
    people = [p.id for p in inst.people]
    tasks = [t.id for t in inst.tasks]
    pins = tuple(Pin(data.draw(st.sampled_from(people)), t, data.draw(st.none() | st.integers(0, 4)))
                 for t in data.draw(st.lists(st.sampled_from(tasks), max_size=2, unique=True)))
    forbids = tuple(Forbid(data.draw(st.sampled_from(people)), t)
                    for t in data.draw(st.lists(st.sampled_from(tasks), max_size=3, unique=True))
                    if t not in {p.task_id for p in pins})
    inst = replace(inst, forbids=forbids)
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    # re-plan from that plan with pins added: still valid wherever the pins could be honoured
    pinned = replace(inst, pins=tuple(p for p in pins if p.task_id in plan.by_task()
                                      and plan.by_task()[p.task_id].person_id == p.person_id
                                      and p.day in (None, plan.by_task()[p.task_id].day)))
    assert_valid(pinned, instant_plan(pinned, previous=plan))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_optimised_plans_are_valid_and_no_worse_than_the_instant_plan(inst):
    start = instant_plan(inst)
    plan = optimised_plan(inst, time_limit=1.0, start=start)
    assert_valid(inst, plan)
    assert deadline_minutes_unplanned(inst, plan) <= deadline_minutes_unplanned(inst, start)
    assert rank(inst, plan) <= rank(inst, start)
    # the proven bound is a bound: no plan, instant or optimised, is above it
    assert max(fair_level(inst, start), fair_level(inst, plan)) <= fair_level_bound(inst)
