"""The maximum internship length per target group is a dated rule; a longer course is flagged."""
from datetime import date

from staffing.courses import internship_limit_exceeded
from staffing.rules import MAX_INTERNSHIP_WEEKS, RuleValue
from workshop.extensions import db


def _limit(weeks, scope="", since=date(2025, 1, 1)):
    db.session.add(RuleValue(name=MAX_INTERNSHIP_WEEKS, scope=scope, value_int=weeks, unit="weeks",
                             effective_from=since))
    db.session.flush()


def test_the_limit_for_the_courses_target_group_and_date_applies(make_person, make_course):
    course = make_course(make_person(), start=date(2026, 9, 7))
    course.target_group, course.internship_weeks = "Jobparat", 13
    assert internship_limit_exceeded(course) is None  # no rule: nothing to say
    _limit(26)
    assert internship_limit_exceeded(course) is None
    _limit(8, scope="Jobparat")
    assert internship_limit_exceeded(course) == 8
    _limit(13, scope="Jobparat", since=date(2026, 7, 1))  # a newer rule, in force at the start
    assert internship_limit_exceeded(course) is None
    course.start_date = date(2026, 3, 2)  # the older rule was in force then
    assert internship_limit_exceeded(course) == 8
