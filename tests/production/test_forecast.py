"""The quote's date advice and impact forecast (the clock is pinned: Monday 23 November 2026)."""
from datetime import date, timedelta

from sqlalchemy import select

from production.forecast import advise_date, impact_forecast
from staffing.ledger import book_minutes
from staffing.models import HoursKind, Person, PersonKind
from workshop.extensions import db

MONDAY = date(2026, 11, 23)


def site_people(site):
    return db.session.scalars(select(Person).where(Person.site_id == site.id))


def _setup(make_site, make_operation, make_worker):
    """A trainee and a småjob worker who can cut; both 9-12 on weekdays (900 standard minutes a week)."""
    site = make_site()
    cut, sew = make_operation(code="cut"), make_operation(code="sew", min_skill_level=1)
    make_worker(site, [cut])
    paid = make_worker(site, [cut, sew], employment_wage_ore=13500)  # at most 600 paid minutes a week
    paid.kind = PersonKind.SMALL_JOB
    db.session.flush()
    return site, cut, sew


def test_the_wished_date_is_possible_or_not(make_site, make_operation, make_worker):
    site, cut, _sew = _setup(make_site, make_operation, make_worker)
    advice = advise_date(site, {cut.id: 360}, wished=date(2026, 12, 1))
    assert advice.earliest == MONDAY and advice.possible and advice.days_late == 0
    late = advise_date(site, {cut.id: 361}, wished=MONDAY)
    assert late.earliest == date(2026, 11, 24) and not late.possible and late.days_late == 1
    assert advise_date(site, {cut.id: 10}, wished=None).possible


def test_tentative_load_of_other_quotes_comes_first(make_site, make_operation, make_worker):
    site, cut, _sew = _setup(make_site, make_operation, make_worker)
    assert advise_date(site, {cut.id: 300}, None, tentative={cut.id: 360}).earliest == date(2026, 11, 24)


def test_the_forecast_splits_by_the_capable_peoples_training_and_paid_time(make_site, make_operation, make_worker):
    site, cut, sew = _setup(make_site, make_operation, make_worker)
    # Over 4 weeks: the trainee 3600 training minutes, the småjob worker 2400 paid (her cap), 0 training.
    forecast = impact_forecast(site, {cut.id: 100})
    assert (forecast.total_minutes, forecast.training_minutes, forecast.paid_minutes, forecast.people) == (100, 60, 40, 2)
    only_paid = impact_forecast(site, {sew.id: 90})
    assert (only_paid.training_minutes, only_paid.paid_minutes, only_paid.people) == (0, 90, 1)


def test_staff_and_nobody_able_count_nothing(make_site, make_operation, make_worker):
    site = make_site()
    cut = make_operation()
    staff = make_worker(site, [cut])
    staff.kind = PersonKind.STAFF
    db.session.flush()
    forecast = impact_forecast(site, {cut.id: 120})
    assert (forecast.total_minutes, forecast.training_minutes, forecast.paid_minutes, forecast.people) == (120, 0, 0, 0)


def test_with_ledger_history_the_split_follows_the_last_three_months(make_site, make_operation, make_worker):
    site, cut, _sew = _setup(make_site, make_operation, make_worker)
    trainee, paid = sorted(site_people(site), key=lambda person: person.id)
    book_minutes(trainee, MONDAY - timedelta(days=7), 300, HoursKind.TRAINING)
    book_minutes(paid, MONDAY - timedelta(days=7), 100, HoursKind.PAID)
    book_minutes(trainee, MONDAY - timedelta(days=120), 600, HoursKind.TRAINING)  # too old to count
    book_minutes(trainee, MONDAY - timedelta(days=3), 200, HoursKind.TRAINING, activity="meeting")  # not production

    forecast = impact_forecast(site, {cut.id: 200})

    assert forecast.from_ledger
    assert (forecast.total_minutes, forecast.training_minutes, forecast.paid_minutes, forecast.people) == (200, 150, 50, 2)


def test_a_wished_date_too_soon_says_how_many_more_paid_hours_would_make_it(make_site, make_operation, make_worker):
    site, cut, _sew = _setup(make_site, make_operation, make_worker)
    # Two people cut 360 minutes a day together; by Tuesday 24 November they manage 720 of the 1,000.
    advice = advise_date(site, {cut.id: 1000}, wished=date(2026, 11, 24))

    assert not advice.possible and advice.earliest == date(2026, 11, 25)
    assert advice.extra_minutes == 300  # 280 minutes short, in whole hours
    assert advice.extra_weeks == ((2026, 48),)


def test_a_wished_date_today_cannot_be_helped_by_more_hours(make_site, make_operation, make_worker):
    site, cut, _sew = _setup(make_site, make_operation, make_worker)
    advice = advise_date(site, {cut.id: 1000}, wished=MONDAY)

    assert not advice.possible and advice.extra_minutes == 0 and advice.extra_weeks == ()
