"""Explanations: why unplanned, why no paid hours, which order is late."""
from production.planner.explain import explain, explain_no_paid_hours, explain_unplanned_task, late_work_orders
from production.planner.instance import Accommodations, Assignment, Employment, Kind, Plan
from production.planner.instant import instant_plan
from tests.production.planner.conftest import EMBROIDER, PACK, instance, paid, person, task

EMBROIDERERS = {"embroider": 2, "sew": 1}


def test_nobody_has_the_skill():
    inst = instance([person(1)], [task(1, op=EMBROIDER)])
    e = explain_unplanned_task(inst, Plan([]), 1)
    assert e.code == "no_skill" and e.facts == {"skill": "embroider", "level": 2}
    assert "embroider level 2" in e.message


def test_skilled_people_are_full_on_tuesday():
    one_hour = ((9 * 60, 10 * 60),)
    inst = instance([person(1, days=(1,), window=one_hour, skills=EMBROIDERERS),
                     person(2, days=(1,), window=one_hour, skills=EMBROIDERERS), person(3)],
                    [task(1, op=EMBROIDER), task(2, op=EMBROIDER), task(3, op=EMBROIDER)])
    plan = instant_plan(inst)
    [unplanned] = [t for t in (1, 2, 3) if t not in plan.by_task()]
    e = explain_unplanned_task(inst, plan, unplanned)
    assert e.code == "people_full" and e.facts["days"] == [1] and len(e.facts["people"]) == 2
    assert e.message == "Needs embroider level 2; the 2 people who can do it are full on Tuesday."


def test_accommodation_and_waiting_for_previous_step():
    inst = instance([person(1, accommodations=Accommodations(max_lift_kg=5))], [task(1, op=PACK), task(2, predecessors=(1,))])
    assert explain_unplanned_task(inst, Plan([]), 1).code == "accommodation"
    e = explain_unplanned_task(inst, Plan([]), 2)
    assert e.code == "waits_for_previous" and e.facts["waiting_for"] == [1]


def test_why_no_paid_hours():
    people = [person(1), person(2, employment=paid(0)), person(3, employment=paid()), person(4, employment=paid()),
              person(5, employment=Employment(True, max_paid_minutes=600, wage_ore=100, frikort_remaining_ore=0))]
    inst = instance(people, [task(1), task(2), task(3, productive=False)], budget=60)
    plan = Plan([Assignment(3, 1, 0, 540, 60, Kind.PAID), Assignment(4, 3, 0, 540, 60)])
    assert explain_no_paid_hours(inst, plan, 1).code == "not_payable"
    assert explain_no_paid_hours(inst, plan, 2).code == "max_zero"
    assert explain_no_paid_hours(inst, plan, 3) is None
    assert explain_no_paid_hours(inst, plan, 4).code == "budget_used"
    assert explain_no_paid_hours(inst, plan, 5).code == "frikort_used"
    roomy = instance(people, inst.tasks, budget=600)
    assert explain_no_paid_hours(roomy, plan, 4).code == "no_productive_work"


def test_late_work_orders():
    inst = instance([person(1)], [task(1, wo=7, due_day=1, order_label="2026-0042"), task(2, wo=7, due_day=1),
                                  task(3, wo=8, due_day=0, order_label="2026-0043")])
    plan = Plan([Assignment(1, 1, 3, 540, 60), Assignment(1, 3, 2, 540, 60)])
    late = {e.subject_id: e for e in late_work_orders(inst, plan)}
    assert late[7].facts["unplanned_tasks"] == [2] and late[7].facts["minutes_late"] == 120
    assert "2026-0042" in late[7].message and "Tuesday" in late[7].message
    assert late[8].facts["days_late"] == 2 and "2 days late" in late[8].message
    assert set(explain(inst, plan)) == {"tasks", "people", "orders"}
