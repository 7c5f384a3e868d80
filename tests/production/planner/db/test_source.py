"""Building a week's planning instance from the database."""
from datetime import date, timedelta

import pytest

from production.models import SourceKind
from production.planner.instant import instant_plan
from production.planner.source import build_instance
from production.planner.validate import assert_valid
from production.workorders import create_work_order, release_work_order
from staffing.models import (
    Accommodation,
    AvailabilityException,
    AvailabilitySlot,
    PaceAssessment,
    SkillLevel,
)
from workshop.extensions import db

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment


def test_instance_from_database_and_a_valid_plan(make_site, make_person, make_product, monday):
    site = make_site()
    product = make_product(steps=((60, 15), (120, 0)))
    ops = [step.operation for step in product.routing]
    anna = make_person(site=site, name="Anna", employment_wage_ore=13500)
    bea = make_person(site=site, name="Bea")
    for person in (anna, bea):
        for weekday in range(5):
            db.session.add(AvailabilitySlot(person_id=person.id, weekday=weekday, start_minute=540, end_minute=900))
        for op in ops:
            db.session.add(SkillLevel(person_id=person.id, skill_id=op.skill_id, level=1, since=date(2026, 1, 1)))
    db.session.add(SkillLevel(person_id=bea.id, skill_id=ops[0].skill_id, level=3, since=date(2026, 6, 1)))
    db.session.add(AvailabilityException(person_id=anna.id, day=monday + timedelta(days=1), available=False, reason="sick"))
    db.session.add(Accommodation(person_id=bea.id, max_lift_kg=5, earliest_start_minute=600, max_minutes_per_day=240))
    db.session.add(PaceAssessment(person_id=bea.id, percent=80, since=date(2026, 10, 1)))
    other = make_person(name="Elsewhere")  # another site: never in this site's instance
    work_order = create_work_order(site, quantity=60, due_date=monday + timedelta(days=3), source_kind=SourceKind.ORDER_LINE,
                                   source_label="Ordre 2026-0042", source_id=42, product=product)
    tasks = release_work_order(work_order)
    db.session.flush()

    inst = build_instance(site.id, monday, budget_minutes=120)
    people = inst.people_by_id()
    assert set(people) == {anna.id, bea.id} and other.id not in people
    assert 1 not in people[anna.id].windows and people[anna.id].windows[0] == ((540, 900),)
    assert people[anna.id].payable and not people[bea.id].payable
    assert people[bea.id].skills[ops[0].skill.code] == 3 and people[bea.id].pace_percent == 80
    assert people[bea.id].accommodations.max_lift_kg == 5 and people[bea.id].earliest_start_minute == 600
    assert {t.id for t in inst.tasks} == {t.id for t in tasks}
    second = [t for t in inst.tasks if t.operation.code == ops[1].code]
    assert all(t.predecessors for t in second) and all(t.due_day == 3 for t in inst.tasks)

    plan = instant_plan(inst)
    assert_valid(inst, plan)
    assert plan.assignments


def test_frikort_left_former_people_and_readable_skill_names(make_site, make_person, make_product, monday):
    from staffing.ledger import book_minutes
    from staffing.models import HoursKind, PersonKind
    from staffing.rules import FRIKORT_CAP, RuleValue

    site = make_site()
    new_year = date(monday.year, 1, 1)  # the frikort counts earnings per calendar year
    db.session.add(RuleValue(name=FRIKORT_CAP, value_int=4_276_600, unit="ore", effective_from=new_year))
    holder = make_person(site=site, name="Frikort", employment_wage_ore=13_500)
    holder.employments[0].has_frikort = True
    book_minutes(holder, new_year, 600, HoursKind.PAID)  # 10 hours: 1,350 kr. earned
    make_person(site=site, name="Tidligere", kind=PersonKind.FORMER)
    product = make_product(steps=((60, 0),))
    release_work_order(create_work_order(site, quantity=5, due_date=monday + timedelta(days=3), product=product,
                                         source_kind=SourceKind.ORDER_LINE, source_label="Ordre 1"))
    instance = build_instance(site.id, monday, budget_minutes=600)
    assert [person.name for person in instance.people] == ["Frikort"]
    assert instance.people[0].employment.frikort_remaining_ore == 4_276_600 - 135_000
    operation = instance.tasks[0].operation
    assert operation.skill_label == product.routing[0].operation.skill.name_da.lower()
    assert operation.name == product.routing[0].operation.name_da
