"""A break every N minutes, from the database: the week's problem, the day sheet, the trainee's own plan."""
from datetime import timedelta

import pytest

from production.models import SourceKind
from production.planner.breaks import too_long_blocks
from production.planner.instant import instant_plan
from production.planner.services import accept_plan, make_instant_plan, monday_of
from production.planner.source import build_instance
from production.planner.validate import assert_valid
from production.workorders import create_work_order, release_work_order
from staffing.models import Accommodation, AvailabilitySlot
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today

#: Her Monday with a break every hour: four 50-minute tasks from 09:00, each stretch an hour and a 15-minute break.
BREAKS = ("9:50–10:05", "11:05–11:20", "12:20–12:35")


@pytest.fixture
def next_monday():
    return monday_of(local_today()) + timedelta(days=7)


@pytest.fixture
def sewer(app, monkeypatch, make_person, make_product, next_monday):
    """make(site, user=None, break_every=60): Hana, here 09:00-15:00 on weekdays, and 200 minutes of
    sewing due next Friday, cut into four 50-minute tasks."""
    monkeypatch.setitem(app.config, "PRODUCTION_MAX_BATCH_MINUTES", 50)

    def make(site, user=None, break_every=60):
        product = make_product(steps=((60, 0),))
        person = make_person(site=site, name="Hana", user=user)
        for weekday in range(5):
            db.session.add(AvailabilitySlot(person_id=person.id, weekday=weekday, start_minute=540, end_minute=900))
        if break_every:
            db.session.add(Accommodation(person_id=person.id, break_every_minutes=break_every))
        work_order = create_work_order(site, quantity=200, due_date=next_monday + timedelta(days=4),
                                       source_kind=SourceKind.ORDER_LINE, source_label="Ordre 2026-0077", source_id=77,
                                       product=product)
        release_work_order(work_order, earliest_start=next_monday)
        db.session.commit()
        return person

    return make


def test_the_week_carries_her_break_and_the_break_setting(app, monkeypatch, make_site, sewer, next_monday):
    monkeypatch.setitem(app.config, "PLANNER_BREAK_MINUTES", 20)
    site = make_site()
    hana = sewer(site)
    inst = build_instance(site.id, next_monday, budget_minutes=0)
    accommodations = inst.person(hana.id).accommodations
    assert (accommodations.break_every_minutes, accommodations.break_minutes) == (60, 20)
    plan = instant_plan(inst)
    assert_valid(inst, plan)
    assert len(plan.assignments) == 4 and too_long_blocks([(a.start, a.end) for a in plan.assignments], 60, 20) == []


def test_her_day_sheet_shows_her_breaks(client_as, sewer, next_monday):
    client = client_as(Role.LEADER)
    hana = sewer(client.user.site)
    plan = make_instant_plan(client.user.site_id, next_monday, 0, client.user)
    db.session.commit()
    sheet = client.get(f"/production/planner/{plan.id}/sheet/{hana.id}")
    assert sheet.status_code == 200 and "Ordre 2026-0077" in sheet.text
    assert all(f"{times}:</strong> Pause" in sheet.text for times in BREAKS)


def test_without_the_accommodation_the_sheet_shows_no_breaks(client_as, sewer, next_monday):
    client = client_as(Role.LEADER)
    hana = sewer(client.user.site, break_every=None)
    plan = make_instant_plan(client.user.site_id, next_monday, 0, client.user)
    db.session.commit()
    sheet = client.get(f"/production/planner/{plan.id}/sheet/{hana.id}")
    assert sheet.status_code == 200 and "Ordre 2026-0077" in sheet.text and "Pause" not in sheet.text
    assert sorted((a.day, a.start_minute) for a in plan.assignments)[:2] == [(next_monday, 540), (next_monday, 590)]


def test_the_trainee_sees_her_breaks_in_her_own_plan(client, login, make_site, make_user, sewer, next_monday):
    site = make_site()
    trainee = make_user(Role.TRAINEE, site=site)
    sewer(site, user=trainee)
    leader = make_user(Role.LEADER, site=site)
    accept_plan(make_instant_plan(site.id, next_monday, 0, leader), leader)
    db.session.commit()
    login(client, trainee)
    page = client.get("/production/planner/mine")
    assert page.status_code == 200 and "Ordre 2026-0077" in page.text
    assert all(f"{times}:</strong> Pause" in page.text for times in BREAKS)
