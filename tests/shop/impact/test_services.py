"""Every figure of the hand-checked data set (see conftest.py for the arithmetic)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from production.floor import record_work
from shop.impact import services
from shop.impact.progress import progress_figures
from shop.impact.services import gini, impact_figures, median, period_bounds
from shop.impact.statements import Statement, company_year, order_statement
from staffing.models import CourseOutcome
from staffing.services import add_progression_step
from staffing.ledger import book_minutes
from staffing.models import HoursKind
from workshop.extensions import db
from tests.shop.impact.conftest import NOVEMBER, order_task


def test_demand(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert [(row.kind, row.count, row.revenue_ore) for row in figures.demand] == [
        ("b2b", 2, 110_000), ("repairs", 1, 20_000), ("retail", 3, 48_000)]
    assert figures.revenue_ore == 178_000


def test_hours_on_tasks_and_apart(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert [(row.key, row.training_minutes, row.paid_minutes) for row in figures.task_hours] == [
        ("b2b", 480, 840), ("repairs", 0, 120), ("retail", 0, 0), ("other", 0, 0)]
    assert [(row.key, row.training_minutes, row.paid_minutes) for row in figures.other_hours] == [
        ("cleaning", 120, 0), ("meeting", 0, 60)]


def test_wages_and_wage_share(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert figures.wages_ore == 85_000
    assert figures.wage_share == Decimal("47.75")


def test_retail_products(impact_data):
    [brooch] = impact_figures([impact_data.site.id], *NOVEMBER).products
    assert (brooch.items_sold, brooch.revenue_ore, brooch.batch_minutes, brooch.batch_items, brooch.makers) == (
        6, 48_000, 120, 10, 1)
    assert brooch.minutes_per_item == 12 and brooch.revenue_ore_per_hour == 40_000
    [retail] = [row for row in impact_figures([impact_data.site.id], date(2026, 9, 1), date(2026, 9, 30)).task_hours
                if row.key == "retail"]
    assert (retail.training_minutes, retail.paid_minutes) == (120, 0)  # Eva made the batch in September


def test_people_and_spread(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert figures.paid_minutes == [60, 120, 240, 600]
    assert figures.women == 4
    assert (figures.lowest_minutes, figures.median_minutes, figures.highest_minutes) == (60, 180, 600)
    assert figures.gini == Decimal("0.4265")


def test_october_holds_only_annas_hour(impact_data):
    figures = impact_figures([impact_data.site.id], date(2026, 10, 1), date(2026, 10, 31))
    assert figures.revenue_ore == 0 and figures.wage_share is None
    assert figures.paid_minutes == [60] and figures.wages_ore == 5000 and figures.gini == 0


def test_another_site_sees_nothing(impact_data, make_site):
    figures = impact_figures([make_site().id], *NOVEMBER)
    assert figures.revenue_ore == 0 and figures.paid_minutes == [] and figures.wages_ore == 0


def test_period_bounds():
    assert period_bounds("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds("quarter", date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_bounds("year", date(2026, 11, 23)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_gini_and_median_by_hand():
    assert gini([]) == 0 and gini([5, 5, 5]) == 0
    assert gini([0, 0, 0, 10]) == Decimal("0.7500")  # (3·10) / (4·10)
    assert median([1, 2, 4, 10]) == 3 and median([1, 2, 4]) == 2


def test_month_by_month_and_planned_against_recorded(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    [november] = figures.months
    assert (november.year, november.month, november.paid_minutes) == (2026, 11, [60, 120, 240, 600])
    assert (november.lowest_minutes, november.median_minutes, november.highest_minutes, november.gini) == (
        60, 180, 600, Decimal("0.4265"))
    assert (november.planned_paid_minutes, november.recorded_task_paid_minutes) == (500, 960)
    quarter = impact_figures([impact_data.site.id], date(2026, 10, 1), date(2026, 12, 31))
    assert [(month.month, month.paid_minutes) for month in quarter.months] == [
        (10, [60]), (11, [60, 120, 240, 600]), (12, [])]


def test_progress(impact_data):
    progress = progress_figures([impact_data.site.id], *NOVEMBER, today=date(2026, 11, 23))
    assert (progress.day, progress.year_earlier) == (date(2026, 11, 23), date(2025, 11, 23))
    assert progress.steps_now == {1: 1, 2: 2, 3: 0, 4: 1}
    assert progress.steps_before == {1: 1, 2: 0, 3: 1, 4: 0}
    assert (progress.courses_measured, progress.courses_raised, progress.raised_percent) == (2, 1, 50)
    assert progress.outcomes[CourseOutcome.SMALL_JOB] == 1 and sum(progress.outcomes.values()) == 1


def test_order_statements(impact_data):
    order_a, order_b = impact_data.orders
    # A: Anna 600 + 60 paid (both dates: an order's statement is all time), Eva 180 training; 660 min × 50 kr./h.
    assert order_statement(order_a) == Statement(180, 1, 660, 1, 55_000)
    # B: Bodil 240 paid after the correction, Eva 300 training.
    assert order_statement(order_b) == Statement(300, 1, 240, 1, 20_000)
    year = company_year(order_a.customer_id, 2026)
    assert [statement for _order, statement in year.orders] == [order_statement(order)
                                                                 for order in (order_a, order_b)
                                                                 if order.customer_id == order_a.customer_id]


def _statements(action) -> int:
    engine = db.engine
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_statement_count_does_not_grow_with_the_data(impact_data, make_person, client, login):
    login(client, impact_data.leader)
    site_id = impact_data.site.id

    def page():
        assert client.get("/impact/?period=month&day=2026-11-10").status_code == 200

    def figures():
        impact_figures([site_id], *NOVEMBER)

    small_figures, small_page = _statements(figures), _statements(page)
    task = order_task(impact_data.orders[0])
    for number in range(50):  # ten times the five people, each with work on a task and hours apart
        person = make_person(site=impact_data.site, name=f"Flere {number}", employment_wage_ore=4000 + number)
        record_work(task, person, 30 + number, 0, impact_data.leader, day=date(2026, 11, 2 + number % 14))  # before the planned week
        book_minutes(person, date(2026, 11, 24), 45, HoursKind.TRAINING, activity="danish_lesson")
        add_progression_step(person, 1 + number % 4, date(2026, 1, 1))
    db.session.commit()
    assert _statements(figures) == small_figures == 9
    assert _statements(page) == small_page
    assert services.impact_figures([site_id], *NOVEMBER).women == 54
