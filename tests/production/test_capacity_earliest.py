"""Earliest completion of a whole order's work: promised and tentative load, shared people, days off.

The clock is pinned to Monday 23 November 2026 (tests/conftest.py); `start` defaults to that day.
Workers from make_worker work Monday to Friday 9-12 (180 standard minutes a day at 100 %); the operations
need skill level 1, so only the people given an operation can do it.
"""
from datetime import date

import pytest

from production.capacity import earliest_completion_for_work
from production.models import Product, RoutingStep
from staffing.models import AvailabilityException, PersonKind
from workshop.errors import DomainError
from workshop.extensions import db

MONDAY = date(2026, 11, 23)
TUESDAY, WEDNESDAY, FRIDAY = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 27)
NEXT_MONDAY = date(2026, 11, 30)


@pytest.fixture
def cut(make_operation):
    return make_operation(code="cut", min_skill_level=1)


@pytest.fixture
def sew(make_operation):
    return make_operation(code="sew", min_skill_level=1)


def _product(*operations):
    product = Product(code=f"bag{id(operations)}", name_da="Gavepose", name_en="Gift bag")
    product.routing = [RoutingStep(position=position, operation=operation, seconds_per_unit=60)
                       for position, operation in enumerate(operations, start=1)]
    db.session.add(product)
    db.session.flush()
    return product


def test_a_days_work_for_one_person_is_done_today(make_site, make_worker, cut):
    site = make_site()
    make_worker(site, [cut])
    assert earliest_completion_for_work(site, {cut.id: 180}) == MONDAY
    assert earliest_completion_for_work(site, {cut.id: 181}) == TUESDAY


def test_tentative_load_on_the_same_operation_moves_the_date_later(make_site, make_worker, cut, sew):
    site = make_site()
    make_worker(site, [cut])
    make_worker(site, [sew])
    assert earliest_completion_for_work(site, {cut.id: 180}, tentative={cut.id: 360}) == WEDNESDAY
    assert earliest_completion_for_work(site, {cut.id: 180}, tentative={sew.id: 360}) == MONDAY


def test_a_backlog_on_the_same_operation_moves_the_date_later(make_site, make_worker, make_work_order, cut, sew):
    site = make_site()
    make_worker(site, [cut])
    make_worker(site, [sew])
    make_work_order(site, _product(cut), quantity=360, due=date(2027, 1, 15))
    assert earliest_completion_for_work(site, {cut.id: 180}) == WEDNESDAY
    assert earliest_completion_for_work(site, {sew.id: 180}) == MONDAY


def test_work_already_done_on_a_task_no_longer_counts(make_site, make_worker, make_work_order, cut):
    site = make_site()
    make_worker(site, [cut])
    for task in make_work_order(site, _product(cut), quantity=360, due=date(2027, 1, 15)).tasks:
        task.quantity_done = task.quantity
    db.session.flush()
    assert earliest_completion_for_work(site, {cut.id: 180}) == MONDAY


def test_a_half_done_backlog_counts_the_pieces_left(make_site, make_worker, make_work_order, cut):
    site = make_site()
    make_worker(site, [cut])
    tasks = make_work_order(site, _product(cut), quantity=361, due=date(2027, 1, 15)).tasks
    for task in tasks:
        task.quantity_done = task.quantity // 3
    db.session.flush()
    left = sum(task.remaining_minutes for task in tasks)  # 241 of 361 minutes
    assert left == 241
    assert earliest_completion_for_work(site, {cut.id: 540 - left}) == WEDNESDAY
    assert earliest_completion_for_work(site, {cut.id: 541 - left}) == date(2026, 11, 26)


def test_a_person_who_can_do_two_operations_is_not_counted_twice(make_site, make_worker, make_operation, cut, sew):
    site = make_site()
    make_worker(site, [cut, sew])  # the only one for cut and sew: 180 minutes a day for both
    press = make_operation(code="press", min_skill_level=1)
    make_worker(site, [press], days={day: (480, 960) for day in range(5)})  # lots of time, but only for pressing
    assert earliest_completion_for_work(site, {cut.id: 180, sew.id: 180, press.id: 10}) == TUESDAY


def test_people_are_shared_out_so_that_every_operation_gets_done(make_site, make_worker, cut, sew):
    site = make_site()
    make_worker(site, [cut, sew])  # she sews while the other one cuts
    make_worker(site, [cut])
    assert earliest_completion_for_work(site, {cut.id: 180, sew.id: 180}) == MONDAY
    assert earliest_completion_for_work(site, {cut.id: 180, sew.id: 181}) == TUESDAY


def test_nobody_able_to_do_an_operation_is_a_domain_error(make_site, make_worker, make_operation, cut):
    site = make_site()
    make_worker(site, [cut])
    expert = make_operation(code="embroider", min_skill_level=3)
    make_worker(site, [expert], level=2)
    with pytest.raises(DomainError):
        earliest_completion_for_work(site, {cut.id: 60, expert.id: 60})


def test_people_who_have_left_are_not_counted(make_site, make_worker, cut):
    site = make_site()
    make_worker(site, [cut]).kind = PersonKind.FORMER
    db.session.flush()
    with pytest.raises(DomainError):
        earliest_completion_for_work(site, {cut.id: 60})


def test_more_than_a_year_of_work_is_a_domain_error(make_site, make_worker, cut):
    site = make_site()
    make_worker(site, [cut], days={2: (600, 660)})  # one hour on Wednesdays
    assert earliest_completion_for_work(site, {cut.id: 60 * 50}) < date(2027, 11, 23)
    with pytest.raises(DomainError):
        earliest_completion_for_work(site, {cut.id: 60 * 53})


def test_weekends_absence_and_extra_days_are_respected(make_site, make_worker, cut):
    site = make_site()
    person = make_worker(site, [cut])
    assert earliest_completion_for_work(site, {cut.id: 360}, start=FRIDAY) == NEXT_MONDAY
    db.session.add(AvailabilityException(person_id=person.id, day=TUESDAY, available=False, reason="syg"))
    db.session.flush()
    assert earliest_completion_for_work(site, {cut.id: 360}) == WEDNESDAY
    db.session.add(AvailabilityException(person_id=person.id, day=date(2026, 11, 28), available=True,
                                         start_minute=540, end_minute=720, reason="ekstra lørdag"))
    db.session.flush()
    assert earliest_completion_for_work(site, {cut.id: 360}, start=FRIDAY) == date(2026, 11, 28)


def test_pace_and_accommodations_count(make_site, make_worker, cut):
    site = make_site()
    make_worker(site, [cut], pace=50, max_minutes_per_day=120)  # 120 clock minutes = 60 standard minutes a day
    assert earliest_completion_for_work(site, {cut.id: 60}) == MONDAY
    assert earliest_completion_for_work(site, {cut.id: 61}) == TUESDAY


def test_the_date_never_moves_earlier_when_the_order_grows(make_site, make_worker, cut, sew):
    site = make_site()
    make_worker(site, [cut, sew], pace=70)
    make_worker(site, [sew], days={1: (600, 720), 3: (600, 720)})
    dates = [earliest_completion_for_work(site, {cut.id: minutes, sew.id: 2 * minutes})
             for minutes in range(10, 2000, 97)]
    assert dates == sorted(dates) and dates[0] < dates[-1]
