"""These planner tests read the database: bring back the suite's app context fixture."""
import multiprocessing
from datetime import date, timedelta

import pytest

from production.models import SourceKind
from production.workorders import create_work_order, release_work_order
from staffing.models import AvailabilitySlot, SkillLevel
from tests.conftest import _app_context  # noqa: F401 - re-registers the autouse fixture here
from workshop.extensions import db
from workshop.timeutil import local_today, monday_of


@pytest.fixture
def monday():
    """The week a leader plans by default (next week), from the pinned today."""
    return monday_of(local_today() + timedelta(days=7))


@pytest.fixture
def week(make_person, make_product, monday):
    """A site with two people who can do a two-step product, and a released work order due Thursday."""

    def make(site, user=None):
        product = make_product(steps=((60, 0), (120, 0)))
        people = [make_person(site=site, name="Anna", user=user, employment_wage_ore=13500), make_person(site=site, name="Bea")]
        for person in people:
            for weekday in range(5):
                db.session.add(AvailabilitySlot(person_id=person.id, weekday=weekday, start_minute=540, end_minute=900))
            for step in product.routing:
                db.session.add(SkillLevel(person_id=person.id, skill_id=step.operation.skill_id, level=2,
                                          since=date(2026, 1, 1)))
        work_order = create_work_order(site, quantity=30, due_date=monday + timedelta(days=3), source_kind=SourceKind.ORDER_LINE,
                                       source_label="Ordre 2026-0042", source_id=42, product=product)
        release_work_order(work_order)
        db.session.commit()
        return people, work_order

    return make


@pytest.fixture
def background(app, monkeypatch):
    """Real background jobs of one second, and no worker process left behind."""
    monkeypatch.setitem(app.config, "PLANNER_JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "PLANNER_SECONDS", 1.0)
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    yield
    for process in multiprocessing.active_children():
        process.join(30)
        if process.is_alive():
            process.terminate()
