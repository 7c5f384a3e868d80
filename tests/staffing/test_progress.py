"""The progress report: planned vs achieved hours, attendance, skills, pace, needs (audited), steps, goals."""
from datetime import date, timedelta

from sqlalchemy import select

from staffing import followups, logbook, progress, services
from staffing.ledger import book_minutes
from staffing.logbook import LogbookData
from staffing.models import Attendance, HoursKind, Skill
from workshop.extensions import db
from workshop.models import AuditEntry

from .conftest import TODAY


def test_planned_hours_are_weekly_hours_times_weeks(make_person, make_course):
    course = make_course(make_person(), start=date(2026, 9, 7), weekly_hours=12)
    assert progress.planned_minutes(course, date(2026, 9, 7), date(2026, 9, 20)) == 2 * 12 * 60
    assert progress.planned_minutes(course, date(2026, 9, 7), date(2026, 9, 6)) == 0


def test_report_sums_the_ledger_and_counts_the_logbook(trainee, leader, make_course):
    person = trainee.person
    make_course(person, start=TODAY - timedelta(days=13), weekly_hours=4)
    logbook.save_entry(person, TODAY - timedelta(days=1), LogbookData(Attendance.PRESENT, 120), leader, TODAY)
    logbook.save_entry(person, TODAY, LogbookData(Attendance.SICK), leader, TODAY)
    book_minutes(person, TODAY - timedelta(days=3), 60, HoursKind.TRAINING, activity="meeting")
    book_minutes(person, TODAY - timedelta(days=30), 60, HoursKind.TRAINING)  # before the course
    skill = Skill(code="sew", name_da="Syning", name_en="Sewing")
    services.add_skill_level(person, skill, 2, TODAY)
    services.add_skill_level(person, Skill(code="cut", name_da="Tilskæring", name_en="Cutting"), 1, TODAY)
    services.add_pace(person, 60, TODAY)
    services.add_progression_step(person, 1, TODAY - timedelta(days=13))
    services.add_progression_step(person, 2, TODAY)
    followups.save_agreement(person, followups.AgreementData(training_goals="Sy en pose", next_goal="Broderi"), leader)

    report = progress.build(person, leader, TODAY)

    assert report.planned_minutes == 8 * 60 and report.achieved_minutes == 180 and report.achieved_percent == 38
    assert report.attendance[Attendance.PRESENT] == 1 and report.attendance[Attendance.SICK] == 1
    assert [row.skill.code for row in report.mastered] == ["sew"]
    assert report.pace.percent == 60 and [row.step for row in report.steps] == [1, 2]
    assert report.agreement.next_goal == "Broderi"
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "accommodations.read")).all()
    assert [(row.user_id, row.object_id) for row in audit] == [(leader.id, person.id)]


def test_report_without_a_course_is_empty_not_an_error(trainee, leader):
    report = progress.build(trainee.person, leader, TODAY)
    assert report.course is None and report.planned_minutes == 0 and report.achieved_percent is None
