"""Factories for the repair tests: a site with a price list and drop-off slots, and bookings."""
from datetime import timedelta

import pytest

from production.models import Task, TaskStatus
from production.workorders import change_task_status
from shop.repairs import booking
from shop.repairs.catalogue import naive_utcnow
from shop.models import DropOffSlot, RepairType
from workshop.config import SETTINGS, build_config
from workshop.extensions import db


@pytest.fixture(autouse=True)
def _generous_booking_limit(app):
    """Request tests post many bookings; the rate-limit test sets its own limit (the root conftest
    puts the app's settings back after each test)."""
    app.config["REPAIRS_BOOKING_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def configure(app, monkeypatch, tmp_path):
    """configure(REPAIRS_DUE_DAYS="3", ...): set these environment variables, read them through
    build_config() as create_app() does, and give this test's app the settings they make."""

    def configure(**variables: str) -> dict:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        config = build_config(str(tmp_path))
        for setting in SETTINGS:
            if setting.name in variables:
                app.config[setting.config_key] = config[setting.config_key]
        return config

    return configure


@pytest.fixture
def repair_site(make_site, make_operation):
    """make a site with three repairs (hem 80 kr/25 min, zip 150 kr/45 min, button 25 kr/10 min) and two slots."""

    def make(slug=None, capacity=3):
        site = make_site(slug)
        hem_op, zip_op = make_operation(), make_operation()
        site.repairs = [
            RepairType(site=site, code="hem", name_da="Opsømning", name_en="Hem", price_ore=8000,
                       standard_minutes=25, operation=hem_op),
            RepairType(site=site, code="zip", name_da="Ny lynlås", name_en="New zip", price_ore=15000,
                       standard_minutes=45, operation=zip_op),
            RepairType(site=site, code="button", name_da="Knap", name_en="Button", price_ore=2500,
                       standard_minutes=10, operation=hem_op),
        ]
        db.session.add_all(site.repairs)
        start = naive_utcnow().replace(microsecond=0, second=0) + timedelta(days=1)
        site.slots = [DropOffSlot(site_id=site.id, starts_at=start + timedelta(hours=hours),
                                  ends_at=start + timedelta(hours=hours + 1), capacity=capacity) for hours in (0, 3)]
        db.session.add_all(site.slots)
        db.session.commit()
        return site

    return make


@pytest.fixture
def book():
    """book(site, repairs=[...], slot=..., **fields) -> a booked ticket (flushed)."""

    def make(site, repair_list=None, slot=None, **fields):
        values = dict(garment="trousers", name="Amina Testesen", phone="20 12 34 56", email="", consent=True,
                      locale="da")
        values.update(fields)
        chosen = repair_list if repair_list is not None else site.repairs[:2]
        return booking.book_repair(site, repair_ids=[repair.id for repair in chosen],
                                   slot_id=(slot or site.slots[0]).id, **values)

    return make


@pytest.fixture
def finish_tasks():
    """Complete every task of a work order, in order, as the shop floor would."""

    def finish(work_order, actor=None):
        for task in sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number)):
            change_task_status(db.session.get(Task, task.id), TaskStatus.DONE, actor)

    return finish
