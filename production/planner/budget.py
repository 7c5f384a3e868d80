"""A suggested paid-hours budget for a week, derived from the value of the work that is due.

Each product's price is spread over its routing's standard time, so a task is worth its
remaining standard minutes at that rate (repairs are priced in the shop, not here: they
count 0). A share of that value (PLANNER_WAGE_SHARE_PERCENT, default 40 %) may go to wages;
divided by the site's average hourly wage that week, it gives the suggested paid hours.
The leader sees the figures and decides.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from flask import current_app
from sqlalchemy import select

from production.models import Task, TaskStatus
from staffing.models import Employment, Person
from workshop.extensions import db

UNFINISHED = (TaskStatus.OPEN, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


@dataclass(frozen=True)
class BudgetSuggestion:
    #: Value (øre) of the unfinished work due by the end of the week.
    value_ore: int
    wage_share_percent: int
    #: Average hourly wage (øre) of the site's employments that week; None if nobody is employed.
    average_wage_ore: int | None

    @property
    def hours(self) -> int:
        if not self.average_wage_ore:
            return 0
        return self.value_ore * self.wage_share_percent // 100 // self.average_wage_ore


def suggest_budget(site_id: int, monday: date) -> BudgetSuggestion:
    sunday = monday + timedelta(days=6)
    tasks = db.session.scalars(select(Task).where(
        Task.site_id == site_id, Task.status.in_(UNFINISHED), Task.due_date <= sunday))
    wages = db.session.scalars(select(Employment.hourly_wage_ore).join(Person).where(
        Person.site_id == site_id, Employment.start_date <= sunday,
        (Employment.end_date.is_(None)) | (Employment.end_date >= monday))).all()
    share = current_app.config["PLANNER_WAGE_SHARE_PERCENT"]
    return BudgetSuggestion(
        value_ore=sum(task_value_ore(task) for task in tasks),
        wage_share_percent=share,
        average_wage_ore=round(mean(wages)) if wages else None,
    )


def task_value_ore(task: Task) -> int:
    """The task's remaining standard minutes at its product's price per standard minute."""
    product = task.work_order.product
    seconds_per_unit = sum(step.seconds_per_unit for step in product.routing) if product else 0
    if not seconds_per_unit:
        return 0
    return product.unit_price_ore * task.remaining_minutes * 60 // seconds_per_unit
