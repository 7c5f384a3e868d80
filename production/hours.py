"""Training or paid: the one place that decides what kind of hours recorded work becomes."""
from datetime import date, timedelta

from staffing.ledger import current_wage, minutes_worked
from staffing.models import Employment, HoursKind, Person


def hours_kind_for(person: Person, day: date) -> HoursKind:
    """PAID while she has an employment covering `day` and her paid minutes that ISO week are
    below the employment's weekly maximum; otherwise TRAINING.

    (The planner will later make this follow the accepted plan for the day.)
    """
    employment = employment_on(person, day)
    if employment is None or current_wage(person, day) is None:
        return HoursKind.TRAINING
    monday = day - timedelta(days=day.weekday())
    paid = minutes_worked(person, monday, monday + timedelta(days=6), HoursKind.PAID)
    return HoursKind.PAID if paid < employment.max_weekly_minutes else HoursKind.TRAINING


def employment_on(person: Person, day: date) -> Employment | None:
    for employment in person.employments:
        if employment.start_date <= day and (employment.end_date is None or day <= employment.end_date):
            return employment
    return None
