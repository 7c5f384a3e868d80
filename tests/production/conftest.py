"""Factories for production tests: people who can work, released work orders."""
from datetime import date

import pytest

from production.models import SourceKind
from production.workorders import create_work_order, release_work_order
from staffing.models import Accommodation, AvailabilitySlot, PaceAssessment, SkillLevel
from workshop.extensions import db

LONG_AGO = date(2020, 1, 1)


@pytest.fixture
def make_worker(make_person):
    """make_worker(site, operations=[op, ...], level=3, pace=100, days={0: (540, 720)}, **accommodation)."""

    def make(site=None, operations=(), level=3, pace=100, days=None, name=None, user=None,
             employment_wage_ore=None, **needs):
        person = make_person(site=site, name=name, user=user, employment_wage_ore=employment_wage_ore)
        for weekday, (start, end) in (days if days is not None else {d: (540, 720) for d in range(5)}).items():
            person.availability.append(AvailabilitySlot(weekday=weekday, start_minute=start, end_minute=end))
        for skill_id in {operation.skill_id for operation in operations}:
            person.skill_levels.append(SkillLevel(skill_id=skill_id, level=level, since=LONG_AGO))
        person.pace_history.append(PaceAssessment(percent=pace, since=LONG_AGO))
        if needs:
            person.accommodation = Accommodation(**needs)
        db.session.flush()
        return person

    return make


@pytest.fixture
def make_work_order():
    def make(site, product, quantity=10, due=date(2026, 12, 15), release=True, label="Ordre 2026-0042 · gaveposer"):
        work_order = create_work_order(site, quantity=quantity, due_date=due, source_kind=SourceKind.ORDER_LINE,
                                       source_label=label, source_id=42, product=product)
        if release:
            release_work_order(work_order, earliest_start=date(2026, 1, 1))
        return work_order

    return make


@pytest.fixture
def floor(make_site, make_product, make_work_order, make_worker):
    """(site, a released work order of 20 with two steps, trainee Amina, paid Fatima) able to do both steps."""
    site = make_site()
    product = make_product(steps=((60, 0), (120, 0)))
    work_order = make_work_order(site, product, quantity=20)
    operations = [step.operation for step in product.routing]
    trainee = make_worker(site, operations, name="Amina")
    paid = make_worker(site, operations, name="Fatima", employment_wage_ore=13_500)
    return site, work_order, trainee, paid
