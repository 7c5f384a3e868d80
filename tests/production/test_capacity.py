from datetime import date

import pytest

from production.capacity import earliest_completion, week_capacity
from production.models import Product, RoutingStep, TaskStatus
from staffing.models import AvailabilityException
from workshop.errors import DomainError
from workshop.extensions import db

MONDAY = date(2026, 11, 23)  # ISO week 2026-W48
BEFORE = date(2026, 11, 1)


def _product(steps):
    product = Product(code=f"p{len(steps)}{id(steps)}", name_da="Pose", name_en="Bag")
    for position, (operation, seconds, setup) in enumerate(steps, start=1):
        product.routing.append(RoutingStep(position=position, operation=operation, seconds_per_unit=seconds,
                                           setup_minutes=setup))
    db.session.add(product)
    db.session.flush()
    return product


@pytest.fixture
def workshop(make_site, make_operation, make_worker):
    """Two people: Amina at half pace all week; Leyla two short days, needs quiet, max 2 h a day."""
    site = make_site()
    quiet = make_operation(code="sew")
    noisy = make_operation(code="embroider", noisy=True)
    amina = make_worker(site, [quiet, noisy], pace=50, name="Amina")  # 5 x 180 min at 50 %
    leyla = make_worker(site, [quiet, noisy], pace=100, name="Leyla", days={0: (540, 780), 1: (540, 780)},
                        needs_quiet=True, max_minutes_per_day=120)
    return site, quiet, noisy, amina, leyla


def test_available_hours_follow_pace_accommodations_and_exceptions(workshop, make_work_order):
    site, quiet, noisy, amina, leyla = workshop
    make_work_order(site, _product([(quiet, 60, 0), (noisy, 60, 0)]), quantity=60, due=date(2026, 11, 27))
    db.session.add(AvailabilityException(person_id=amina.id, day=date(2026, 11, 25), available=False, reason="syg"))
    result = week_capacity(site, 2026, 48, today=MONDAY)
    rows = {row.operation.code: row for row in result.rows}
    # Amina: 4 days x 180 min x 50 % = 360; Leyla: 2 days capped at 120 min = 240, but not on noisy work.
    assert rows["sew"].available_minutes == 360 + 240 and rows["sew"].people == ["Amina", "Leyla"]
    assert rows["embroider"].available_minutes == 360 and rows["embroider"].people == ["Amina"]
    assert rows["sew"].needed_minutes == 60 and rows["embroider"].needed_minutes == 60
    assert result.total_available_minutes == 600 and result.total_needed_minutes == 120
    assert not any(row.shortage_minutes for row in result.rows)


def test_an_extra_day_replaces_the_pattern_and_the_earliest_start_clips_it(workshop, make_worker, make_operation):
    site, quiet, *_ = workshop
    late = make_worker(site, [quiet], name="Zahra", days={0: (480, 720)}, earliest_start_minute=600)
    db.session.add(AvailabilityException(person_id=late.id, day=date(2026, 11, 26), available=True,
                                         start_minute=540, end_minute=660))
    rows = {row.operation.code: row for row in week_capacity(site, 2026, 48, today=BEFORE).rows}
    # Monday 8-12 from 10:00 = 120; Thursday extra 9-11 from 10:00 = 60.
    assert rows["sew"].available_minutes == 450 + 240 + 180


def test_a_shortage_shows_when_the_work_needs_more_than_the_people_have(workshop, make_work_order):
    site, quiet, noisy, *_ = workshop
    work_order = make_work_order(site, _product([(quiet, 60, 0), (noisy, 60, 0)]), quantity=500,
                                 due=date(2026, 11, 27))
    half_done = work_order.tasks[0]
    half_done.quantity_done = half_done.quantity // 2
    rows = {row.operation.code: row for row in week_capacity(site, 2026, 48, today=MONDAY).rows}
    assert rows["embroider"].needed_minutes == 500 and rows["embroider"].shortage_minutes == 500 - 450
    assert rows["sew"].needed_minutes == 500 - 60 and rows["sew"].shortage_minutes == 0


def test_work_is_spread_over_the_working_days_until_it_is_due(workshop, make_work_order):
    site, quiet, *_ = workshop
    make_work_order(site, _product([(quiet, 60, 0)]), quantity=60, due=date(2026, 12, 4))  # 10 working days
    for week, needed in ((47, 0), (48, 30), (49, 30), (50, 0)):
        assert week_capacity(site, 2026, week, today=MONDAY).total_needed_minutes == needed, week


def test_overdue_tasks_count_in_the_current_week_only(workshop, make_work_order):
    site, quiet, *_ = workshop
    make_work_order(site, _product([(quiet, 60, 0)]), quantity=30, due=date(2026, 11, 10))
    in_week = {row.operation.code: row for row in week_capacity(site, 2026, 48, today=MONDAY).rows}
    later = {row.operation.code: row for row in week_capacity(site, 2026, 48, today=BEFORE).rows}
    assert in_week["sew"].needed_minutes == 30 and later["sew"].needed_minutes == 0


def test_done_and_cancelled_tasks_need_nothing(workshop, make_work_order):
    site, quiet, *_ = workshop
    work_order = make_work_order(site, _product([(quiet, 60, 0)]), quantity=30, due=date(2026, 11, 27))
    work_order.tasks[0].status = TaskStatus.CANCELLED
    assert week_capacity(site, 2026, 48, today=BEFORE).total_needed_minutes == 0


@pytest.fixture
def one_person(make_site, make_operation, make_worker):
    site = make_site()
    operation = make_operation(code="cut")
    make_worker(site, [operation], pace=100)  # Monday to Friday 9-12: 180 standard minutes a day
    return site, operation


def test_earliest_completion_walks_the_days_of_capacity(one_person):
    site, operation = one_person
    product = _product([(operation, 60, 0)])
    assert earliest_completion(site, product, 180, start=MONDAY) == MONDAY
    assert earliest_completion(site, product, 181, start=MONDAY) == date(2026, 11, 24)
    assert earliest_completion(site, product, 900, start=MONDAY) == date(2026, 11, 27)
    assert earliest_completion(site, product, 901, start=MONDAY) == date(2026, 11, 30)  # the weekend is off


def test_earliest_completion_is_monotone_in_the_quantity(one_person, make_operation, make_worker):
    site, operation = one_person
    second = make_operation(code="sew")
    make_worker(site, [second], pace=60, days={1: (600, 720), 3: (600, 720)})
    product = _product([(operation, 45, 10), (second, 150, 5)])
    dates = [earliest_completion(site, product, quantity, start=MONDAY) for quantity in range(1, 400, 7)]
    assert dates == sorted(dates) and dates[0] < dates[-1]


def test_work_already_promised_comes_first(one_person, make_work_order):
    site, operation = one_person
    product = _product([(operation, 60, 0)])
    make_work_order(site, product, quantity=180, due=date(2026, 12, 20))
    assert earliest_completion(site, product, 180, start=MONDAY) == date(2026, 11, 24)


def test_pace_and_set_up_slow_the_completion(make_site, make_operation, make_worker):
    site = make_site()
    operation = make_operation()
    make_worker(site, [operation], pace=50)
    product = _product([(operation, 60, 30)])
    # She has 180 minutes a day at half pace = 90 standard minutes; 60 pieces + 30 set-up = 90 fit in a day.
    assert earliest_completion(site, product, 60, start=MONDAY) == MONDAY
    assert earliest_completion(site, product, 61, start=MONDAY) == date(2026, 11, 24)


def test_earliest_completion_says_when_nobody_can_do_an_operation(make_site, make_operation, make_worker):
    site = make_site()
    operation = make_operation(min_skill_level=3)
    make_worker(site, [operation], level=1)
    with pytest.raises(DomainError):
        earliest_completion(site, _product([(operation, 60, 0)]), 10, start=MONDAY)
    with pytest.raises(DomainError):
        earliest_completion(site, _product([(make_operation(), 60, 0)]), 0, start=MONDAY)
