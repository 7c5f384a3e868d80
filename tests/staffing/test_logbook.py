"""The logbook books worked minutes in the ledger; changes are corrections, never edits."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from staffing import logbook
from staffing.availability import add_slot
from staffing.ledger import correct_entry, minutes_worked
from staffing.logbook import LogbookData
from staffing.models import Attendance, HoursKind, LedgerEntry
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Role

from .conftest import TODAY

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment


def _ledger(person):
    return list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.person_id == person.id)
                                   .order_by(LedgerEntry.id)))


def test_a_present_day_books_training_minutes(trainee):
    person = trainee.person
    entry = logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180, 15, worked_on="Juleposer",
                                                          feeling=4), trainee, TODAY)
    [booked] = _ledger(person)
    assert (booked.minutes, booked.kind, booked.activity, booked.work_date) == (180, HoursKind.TRAINING, "logbook", TODAY)
    assert booked.reference == f"logbook:{entry.id}" and booked.created_by_id == trainee.id
    assert entry.ledger_entry_id == booked.id and entry.entered_by_id == trainee.id
    assert minutes_worked(person, TODAY, TODAY) == 180


def test_changing_the_minutes_corrects_the_ledger_with_new_entries(trainee, leader):
    person = trainee.person
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180), trainee, TODAY)
    logbook.save_entry(person, TODAY, LogbookData(Attendance.LEFT_EARLY, 120, left_early_reason="Lægetid"), leader, TODAY)
    logbook.save_entry(person, TODAY, LogbookData(Attendance.LEFT_EARLY, 90, left_early_reason="Lægetid"), leader, TODAY)
    rows = _ledger(person)
    assert [row.minutes for row in rows] == [180, -180, 120, -120, 90]
    assert rows[1].corrects_id == rows[0].id and rows[3].corrects_id == rows[2].id
    assert minutes_worked(person, TODAY, TODAY) == 90
    assert logbook.entry_for(person, TODAY).ledger_entry_id == rows[4].id


def test_same_minutes_again_books_nothing_new(trainee):
    logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.PRESENT, 180, feeling=3), trainee, TODAY)
    logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.PRESENT, 180, feeling=5), trainee, TODAY)
    assert [row.minutes for row in _ledger(trainee.person)] == [180]
    assert logbook.entry_for(trainee.person, TODAY).feeling == 5


def test_sick_after_present_cancels_the_minutes(trainee):
    person = trainee.person
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180), trainee, TODAY)
    entry = logbook.save_entry(person, TODAY, LogbookData(Attendance.SICK, 180, worked_on="x"), trainee, TODAY)
    assert entry.minutes_worked == 0 and entry.worked_on == "" and entry.ledger_entry_id is None
    assert [row.minutes for row in _ledger(person)] == [180, -180]
    assert minutes_worked(person, TODAY, TODAY) == 0


def test_sick_or_absent_books_nothing(trainee):
    logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.ABSENT), trainee, TODAY)
    assert _ledger(trainee.person) == []


@pytest.mark.parametrize("data, field", [
    (LogbookData(Attendance.PRESENT, 0), "minutes_worked"),
    (LogbookData(Attendance.LEFT_EARLY, 60), "left_early_reason"),
    (LogbookData(Attendance.PRESENT, 60, break_minutes=300), "break_minutes"),
    (LogbookData(Attendance.PRESENT, 60, feeling=6), "feeling"),
])
def test_bad_entries_are_refused(trainee, data, field):
    with pytest.raises(DomainError) as error:
        logbook.save_entry(trainee.person, TODAY, data, trainee, TODAY)
    assert error.value.field == field


def test_no_future_days_and_a_trainee_only_a_week_back(trainee, leader):
    person = trainee.person
    with pytest.raises(DomainError):
        logbook.save_entry(person, TODAY + timedelta(days=1), LogbookData(Attendance.ABSENT), trainee, TODAY)
    with pytest.raises(DomainError):
        logbook.save_entry(person, TODAY - timedelta(days=8), LogbookData(Attendance.ABSENT), trainee, TODAY)
    logbook.save_entry(person, TODAY - timedelta(days=8), LogbookData(Attendance.ABSENT), leader, TODAY)


def test_only_herself_or_a_leader_of_her_site_may_write(trainee, make_user, make_person):
    other = make_user(Role.TRAINEE, site=trainee.site)
    with pytest.raises(DomainError):
        logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.ABSENT), other, TODAY)
    for user in (make_user(Role.STAFF, site=trainee.site), make_user(Role.LEADER)):
        with pytest.raises(DomainError):
            logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.ABSENT), user, TODAY)


def test_reading_the_logbook_is_audited_and_limited(trainee, leader, make_user):
    logbook.save_entry(trainee.person, TODAY, LogbookData(Attendance.PRESENT, 60, note="Træt"), trainee, TODAY)
    assert [entry.note for entry in logbook.read_entries(trainee.person, leader)] == ["Træt"]
    logbook.read_entries(trainee.person, trainee)
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "logbook.read")).all()
    assert sorted(row.user_id for row in rows) == sorted([leader.id, trainee.id])
    with pytest.raises(DomainError):
        logbook.read_entries(trainee.person, make_user(Role.STAFF, site=trainee.site))


def test_attendance_counts_and_present_today(trainee, leader, make_person):
    person = trainee.person
    other = make_person(site=trainee.site, name="Zahra B.")
    logbook.save_entry(person, TODAY - timedelta(days=2), LogbookData(Attendance.SICK), leader, TODAY)
    logbook.save_entry(person, TODAY - timedelta(days=1), LogbookData(Attendance.PRESENT, 60), leader, TODAY)
    logbook.save_entry(person, TODAY, LogbookData(Attendance.LEFT_EARLY, 60, left_early_reason="Barn"), leader, TODAY)
    logbook.save_entry(other, TODAY, LogbookData(Attendance.ABSENT), leader, TODAY)
    counts = logbook.attendance_counts(person, TODAY - timedelta(days=7), TODAY, leader)
    assert counts == {Attendance.PRESENT: 1, Attendance.LEFT_EARLY: 1, Attendance.SICK: 1, Attendance.ABSENT: 0}
    assert [entry.person.name for entry in logbook.present_today(trainee.site_id, TODAY)] == ["Amina A."]


def test_usual_minutes_come_from_her_weekly_pattern(make_person):
    person = make_person()
    add_slot(person, TODAY.weekday(), 9 * 60, 11 * 60 + 50)
    add_slot(person, TODAY.weekday(), 13 * 60, 14 * 60)
    assert logbook.usual_minutes(person, TODAY) == 240  # 170 + 60 = 230, in half hours
    assert logbook.usual_minutes(person, TODAY + timedelta(days=1)) == 0


def test_a_booking_already_cancelled_on_the_ledger_is_not_cancelled_twice(trainee):
    person = trainee.person
    entry = logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180), trainee, TODAY)
    correct_entry(entry.ledger_entry, None, "Fejlbooket")
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 120), trainee, TODAY)
    assert [row.minutes for row in _ledger(person)] == [180, -180, 120]
    assert minutes_worked(person, TODAY, TODAY) == 120


def test_a_booking_replaced_on_the_ledger_is_what_a_later_edit_corrects(trainee, leader):
    person = trainee.person
    entry = logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180), trainee, TODAY)
    correct_entry(entry.ledger_entry, leader, "Var her kun 2 timer", new_minutes=120)
    # an edit that leaves the minutes alone leaves the leader's correction alone
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 180, feeling=2), trainee, TODAY)
    assert minutes_worked(person, TODAY, TODAY) == 120
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 150), trainee, TODAY)
    assert [row.minutes for row in _ledger(person)] == [180, -180, 120, -120, 150]
    assert minutes_worked(person, TODAY, TODAY) == 150
    # saving the replaced amount again books nothing new
    logbook.save_entry(person, TODAY, LogbookData(Attendance.PRESENT, 150, feeling=4), trainee, TODAY)
    assert minutes_worked(person, TODAY, TODAY) == 150 and len(_ledger(person)) == 5
