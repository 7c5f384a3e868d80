"""Courses: phases and their dates, capacity (a warning), status changes with history."""
from datetime import date

import pytest

from staffing import courses
from staffing.courses import CourseData, Phase
from staffing.models import CourseOutcome, CourseStatus
from workshop.errors import DomainError

START = date(2026, 9, 7)  # a Monday


def test_default_phases_are_6_7_and_13_weeks_one_after_another(make_person, make_course):
    course = make_course(make_person(), start=START)
    schedule = courses.phase_schedule(course)
    assert [(period.phase, period.start, period.end) for period in schedule] == [
        (Phase.ASSESSMENT, date(2026, 9, 7), date(2026, 10, 18)),
        (Phase.DEVELOPMENT, date(2026, 10, 19), date(2026, 12, 6)),
        (Phase.INTERNSHIP, date(2026, 12, 7), date(2027, 3, 7)),
    ]


@pytest.mark.parametrize("day, phase", [
    (date(2026, 9, 6), None),  # before the start
    (date(2026, 9, 7), Phase.ASSESSMENT),
    (date(2026, 10, 18), Phase.ASSESSMENT),
    (date(2026, 10, 19), Phase.DEVELOPMENT),
    (date(2026, 12, 7), Phase.INTERNSHIP),
    (date(2027, 3, 7), Phase.INTERNSHIP),
    (date(2027, 3, 8), None),  # after the last phase
])
def test_phase_on_any_day(make_person, make_course, day, phase):
    course = make_course(make_person(), start=START)
    found = courses.phase_on(course, day)
    assert (found.phase if found else None) == phase


def test_edited_phase_lengths_and_planned_end_cut_the_schedule(make_person, make_course):
    course = make_course(make_person(), start=START, planned_end=date(2026, 11, 29))
    course.assessment_weeks, course.development_weeks = 2, 0
    schedule = courses.phase_schedule(course)
    assert [(period.phase, period.end) for period in schedule] == [
        (Phase.ASSESSMENT, date(2026, 9, 20)),
        (Phase.INTERNSHIP, date(2026, 11, 29)),  # 13 weeks cut at the planned end
    ]
    assert courses.phase_on(course, date(2026, 12, 1)) is None


def test_a_course_without_start_has_no_phase(make_person):
    course = courses.refer(make_person(), CourseData(referral_date=START), None)
    assert courses.phase_schedule(course) == [] and courses.phase_on(course, START) is None


def test_capacity_counts_referred_and_active_courses_only(make_site, make_person, make_course):
    site = make_site(capacity=2)
    make_course(make_person(site=site))
    courses.refer(make_person(site=site), CourseData(referral_date=START), None)
    finished = make_course(make_person(site=site))
    courses.change_status(finished, CourseStatus.COMPLETED, None, date(2026, 11, 1), CourseOutcome.SMALL_JOB)
    make_course(make_person(site=make_site()))  # another site
    capacity = courses.site_capacity(site)
    assert (capacity.used, capacity.capacity, capacity.full) == (2, 2, True)


def test_referral_over_capacity_is_a_warning_not_a_block(make_site, make_person, make_course):
    site = make_site(capacity=1)
    assert courses.referral_would_exceed(site) is False
    make_course(make_person(site=site))
    assert courses.referral_would_exceed(site) is True
    courses.refer(make_person(site=site), CourseData(referral_date=START), None)  # still allowed
    assert courses.site_capacity(site).used == 2


def test_status_changes_keep_history_with_who_and_from_to(make_person, make_user):
    leader = make_user()
    course = courses.refer(make_person(), CourseData(referral_date=START), leader)
    courses.change_status(course, CourseStatus.ACTIVE, leader, date(2026, 9, 14))
    courses.change_status(course, CourseStatus.INTERRUPTED, leader, date(2026, 10, 1), CourseOutcome.NONE,
                          reason="Flyttede")
    assert [(row.from_status, row.to_status) for row in course.status_history] == [
        (None, "referred"), ("referred", "active"), ("active", "interrupted")]
    assert all(row.changed_by_id == leader.id for row in course.status_history)
    assert course.start_date == date(2026, 9, 14) and course.actual_end == date(2026, 10, 1)
    assert course.outcome == CourseOutcome.NONE and course.interruption_reason == "Flyttede"


@pytest.mark.parametrize("status, outcome, reason, field", [
    (CourseStatus.COMPLETED, None, "", "outcome"),
    (CourseStatus.INTERRUPTED, CourseOutcome.NONE, "", "reason"),
    (CourseStatus.REFERRED, None, "", "status"),
])
def test_ending_a_course_needs_outcome_and_reason(make_person, make_course, status, outcome, reason, field):
    course = make_course(make_person())
    with pytest.raises(DomainError) as error:
        courses.change_status(course, status, None, date(2026, 11, 1), outcome, reason)
    assert error.value.field == field
    assert course.status == CourseStatus.ACTIVE


def test_a_finished_course_cannot_be_reopened(make_person, make_course):
    course = make_course(make_person())
    courses.change_status(course, CourseStatus.COMPLETED, None, date(2026, 11, 1), CourseOutcome.EDUCATION)
    with pytest.raises(DomainError):
        courses.change_status(course, CourseStatus.ACTIVE, None, date(2026, 11, 2))


@pytest.mark.parametrize("changes, field", [
    ({"start_date": date(2026, 9, 1), "referral_date": date(2026, 9, 5)}, "start_date"),
    ({"start_date": START, "planned_end": START}, "planned_end"),
    ({"planned_end": date(2027, 1, 1)}, "start_date"),
    ({"weekly_minutes": 0}, "weekly_hours"),
    ({"internship_weeks": 53}, "internship_weeks"),
])
def test_bad_course_data_is_refused(make_person, changes, field):
    data = CourseData(referral_date=START)
    for name, value in changes.items():
        setattr(data, name, value)
    with pytest.raises(DomainError) as error:
        courses.refer(make_person(), data, None)
    assert error.value.field == field


def test_one_running_course_at_a_time(make_person, make_course):
    person = make_person()
    make_course(person)
    with pytest.raises(DomainError):
        courses.refer(person, CourseData(referral_date=START), None)
