"""Why she was away is health data: staff see only present and absent days (issue 17, finding 10)."""
from datetime import timedelta

import pytest

from staffing import logbook
from staffing.logbook import LogbookData
from staffing.models import Attendance
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture
def four_days(trainee, leader, make_course):
    """Her course started ten days ago; she was sick, present, left early and away."""
    today = local_today()
    make_course(trainee.person, start=today - timedelta(days=10))
    for days_ago, data in ((4, LogbookData(Attendance.SICK)), (3, LogbookData(Attendance.PRESENT, 60)),
                           (2, LogbookData(Attendance.LEFT_EARLY, 60, left_early_reason="Ondt i ryggen")),
                           (1, LogbookData(Attendance.ABSENT))):
        logbook.save_entry(trainee.person, today - timedelta(days=days_ago), data, leader, today)
    db.session.commit()
    return trainee.person


def test_staff_see_present_and_absent_days_without_reasons(client, login, make_user, site, four_days):
    login(client, make_user(Role.STAFF, site=site))
    page = client.get(f"/people/{four_days.id}").get_data(as_text=True)
    assert "Logbog siden start" in page and "Mødt 2 · Fravær 2" in page
    assert "Syg" not in page and "Gik tidligt" not in page


def test_leaders_still_see_why(client, login, leader, four_days):
    login(client, leader)
    page = client.get(f"/people/{four_days.id}").get_data(as_text=True)
    assert "Mødt 1 · Gik tidligt 1 · Syg 1 · Fravær 1" in page


def test_the_counts_by_reason_are_for_her_sites_leader_and_herself(trainee, leader, make_user, four_days):
    start, end = local_today() - timedelta(days=10), local_today()
    by_reason = {Attendance.PRESENT: 1, Attendance.LEFT_EARLY: 1, Attendance.SICK: 1, Attendance.ABSENT: 1}
    assert logbook.attendance_counts(four_days, start, end, leader) == by_reason
    assert logbook.attendance_counts(four_days, start, end, trainee) == by_reason
    for viewer in (make_user(Role.STAFF, site=four_days.site), make_user(Role.LEADER)):
        assert logbook.attendance_counts(four_days, start, end, viewer) == {Attendance.PRESENT: 2,
                                                                            Attendance.ABSENT: 2}


def test_the_start_page_tells_only_leaders_that_she_left_early(client, login, switch_to, trainee, leader, make_user,
                                                                site):
    logbook.save_entry(trainee.person, local_today(), LogbookData(Attendance.LEFT_EARLY, 60, left_early_reason="Ondt"),
                       leader, local_today())
    db.session.commit()
    login(client, make_user(Role.STAFF, site=site))
    page = client.get("/people/dashboard").get_data(as_text=True)
    assert "Amina A." in page and "Gik tidligt" not in page
    switch_to(client, leader)
    assert "Gik tidligt" in client.get("/people/dashboard").get_data(as_text=True)
