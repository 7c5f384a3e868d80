"""The suggested paid-hours budget comes from the value of the work due that week."""
import re
from datetime import timedelta

import pytest

from production.planner.budget import suggest_budget, task_value_ore
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment


def test_the_value_of_due_work_and_the_average_wage_give_the_suggestion(make_site, week, monday):
    site = make_site()
    _people, work_order = week(site)  # 30 units due Thursday; 1 + 2 min per unit; one wage of 135 kr.
    work_order.product.unit_price_ore = 4500
    value_of_work = 30 * 4500  # every task is still to do
    assert sum(task_value_ore(task) for task in work_order.tasks) == value_of_work
    suggestion = suggest_budget(site.id, monday)
    assert suggestion.value_ore == value_of_work and suggestion.average_wage_ore == 13500
    assert suggestion.hours == value_of_work * 40 // 100 // 13500  # 4 hours
    assert suggest_budget(site.id, monday - timedelta(days=7)).value_ore == 0  # nothing due the week before


def test_without_paid_employment_nothing_is_suggested(make_site, make_person, monday):
    site = make_site()
    make_person(site=site)
    assert suggest_budget(site.id, monday).hours == 0


def test_the_plan_form_starts_from_the_suggestion_and_says_why(client_as, week):
    client = client_as(Role.LEADER)
    _people, work_order = week(client.user.site)
    work_order.product.unit_price_ore = 4500
    db.session.commit()
    page = client.get("/production/planner/").get_data(as_text=True)  # next week: the work due that Thursday counts
    assert "Forslag til budget: 4 timer" in page
    assert re.search(r'name="budget_hours"[^>]*value="4"', page)
