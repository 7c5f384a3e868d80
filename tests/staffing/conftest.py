"""Staffing fixtures: a trainee with her own login, and a course for her."""
from datetime import date

import pytest

from staffing.courses import CourseData, change_status, refer
from staffing.models import CourseStatus
from workshop.extensions import db
from workshop.models import Role

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def site(make_site):
    return make_site(capacity=3)


@pytest.fixture
def leader(make_user, site):
    return make_user(Role.LEADER, site=site)


@pytest.fixture
def trainee(make_user, make_person, site):
    """A person with her own trainee login: trainee.user, trainee.person."""
    user = make_user(Role.TRAINEE, site=site, name="Amina A.")
    person = make_person(site=site, user=user, name="Amina A.")
    db.session.commit()
    user.person = person
    return user


@pytest.fixture
def make_course():
    """make_course(person, start=date, weeks=26, weekly_hours=12, active=True) -> Course (flushed)."""

    def make(person, start=date(2026, 9, 7), referral=None, weekly_hours=12, active=True, planned_end=None):
        data = CourseData(referral_date=referral or start, start_date=start, planned_end=planned_end,
                          weekly_minutes=weekly_hours * 60)
        course = refer(person, data, None)
        if active:
            change_status(course, CourseStatus.ACTIVE, None, start)
        db.session.flush()
        return course

    return make


@pytest.fixture
def switch_to(login):
    """Log the test client in as another user within one test (forgets Flask-Login's cached user)."""
    from flask import g

    def switch(client, user):
        g.pop("_login_user", None)
        return login(client, user)

    return switch
