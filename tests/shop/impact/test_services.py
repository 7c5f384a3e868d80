"""Every figure of the hand-checked data set (see conftest.py for the arithmetic)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from production.floor import record_work
from shop.impact import services
from shop.impact.services import gini, impact_figures, median, period_bounds
from staffing.ledger import book_minutes
from staffing.models import HoursKind
from workshop.extensions import db
from tests.shop.impact.conftest import NOVEMBER, order_task


def test_demand(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert [(row.kind, row.count, row.revenue_ore) for row in figures.demand] == [
        ("b2b", 2, 110_000), ("repairs", 1, 20_000)]
    assert figures.revenue_ore == 130_000


def test_hours_on_tasks_and_apart(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert [(row.key, row.training_minutes, row.paid_minutes) for row in figures.task_hours] == [
        ("b2b", 480, 840), ("repairs", 0, 120), ("other", 0, 0)]
    assert [(row.key, row.training_minutes, row.paid_minutes) for row in figures.other_hours] == [
        ("cleaning", 120, 0), ("meeting", 0, 60)]


def test_wages_and_wage_share(impact_data):
    figures = impact_figures([impact_data.site.id], *NOVEMBER)
    assert figures.wages_ore == 85_000
    assert figures.wage_share == Decimal("65.38")


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


def _statements(site_id) -> int:
    engine = db.engine
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        impact_figures([site_id], *NOVEMBER)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_statement_count_does_not_grow_with_the_data(impact_data, make_person):
    small = _statements(impact_data.site.id)
    task = order_task(impact_data.orders[0])
    for number in range(50):  # ten times the five people, each with work on a task and hours apart
        person = make_person(site=impact_data.site, name=f"Flere {number}", employment_wage_ore=4000 + number)
        record_work(task, person, 30 + number, 0, impact_data.leader, day=date(2026, 11, 2 + number % 20))
        book_minutes(person, date(2026, 11, 24), 45, HoursKind.TRAINING, activity="danish_lesson")
    db.session.commit()
    assert _statements(impact_data.site.id) == small == 4
    assert services.impact_figures([impact_data.site.id], *NOVEMBER).women == 54
