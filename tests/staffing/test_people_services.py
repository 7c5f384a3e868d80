"""People: role history, linking a login, accommodations (audited health data), dated skills, pace and steps."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from staffing import services
from staffing.courses import change_status
from staffing.models import CourseOutcome, CourseStatus, PersonKind, Skill
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Role


def _audit_rows(action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_create_person_starts_her_history(make_site, make_user):
    site = make_site()
    person = services.create_person(site, services.PersonData(name=" Leyla K. ", languages="farsi, dansk"),
                                    PersonKind.TRAINEE, date(2026, 1, 5), make_user(Role.LEADER, site=site))
    assert person.name == "Leyla K." and person.kind == PersonKind.TRAINEE
    assert [(row.kind, row.since) for row in person.kind_history] == [(PersonKind.TRAINEE, date(2026, 1, 5))]


def test_a_new_kind_is_appended_and_becomes_current(make_person):
    person = make_person()
    person.kind_history  # noqa: B018 - load
    services.change_kind(person, PersonKind.TRAINEE, date(2026, 1, 1))
    services.change_kind(person, PersonKind.SMALL_JOB, date(2026, 6, 1), "3 timer om ugen")
    services.change_kind(person, PersonKind.FLEXJOB, date(2026, 10, 1))
    assert person.kind == PersonKind.FLEXJOB
    assert [row.kind for row in person.kind_history] == [PersonKind.TRAINEE, PersonKind.SMALL_JOB, PersonKind.FLEXJOB]


def test_kind_history_cannot_go_back_in_time_or_repeat(make_person):
    person = make_person()
    services.change_kind(person, PersonKind.SMALL_JOB, date(2026, 6, 1))
    with pytest.raises(DomainError) as error:
        services.change_kind(person, PersonKind.FLEXJOB, date(2026, 5, 1))
    assert error.value.field == "since"
    with pytest.raises(DomainError):
        services.change_kind(person, PersonKind.SMALL_JOB, date(2026, 7, 1))


def test_login_link_must_be_a_free_login_at_the_same_site(make_person, make_user, make_site):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    user = make_user(Role.TRAINEE, site=site)
    person = make_person(site=site)
    services.update_person(person, services.PersonData(name=person.name, user_email=user.email.upper()), leader)
    assert person.user_id == user.id
    with pytest.raises(DomainError) as error:
        services.update_person(make_person(site=site), services.PersonData(name="X", user_email=user.email), leader)
    assert error.value.field == "user_email"
    with pytest.raises(DomainError):
        services.update_person(make_person(site=site), services.PersonData(
            name="Y", user_email=make_user(Role.TRAINEE).email), leader)


def test_reading_accommodations_writes_an_audit_row(make_person, make_user):
    leader = make_user(Role.LEADER)
    person = make_person(site=leader.site)
    services.save_accommodation(person, services.AccommodationData(max_lift_kg=5, needs_seated=True), leader)
    accommodation = services.read_accommodation(person, leader)
    assert accommodation.max_lift_kg == 5 and accommodation.needs_seated
    rows = _audit_rows("accommodations.read")
    assert [(row.user_id, row.object_type, row.object_id) for row in rows] == [(leader.id, "Person", person.id)]


def test_the_person_herself_may_read_her_accommodations(make_person, make_user):
    user = make_user(Role.TRAINEE)
    person = make_person(site=user.site, user=user)
    assert services.read_accommodation(person, user) is None
    assert len(_audit_rows("accommodations.read")) == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE])
def test_staff_and_other_trainees_may_not_read_accommodations(make_person, make_user, role):
    user = make_user(role)
    person = make_person(site=user.site)
    with pytest.raises(DomainError):
        services.read_accommodation(person, user)
    assert _audit_rows("accommodations.read") == []


def test_a_leader_of_another_site_may_not_read_accommodations(make_person, make_user):
    with pytest.raises(DomainError):
        services.read_accommodation(make_person(), make_user(Role.LEADER))


def test_accommodation_values_are_checked(make_person, make_user):
    leader = make_user(Role.LEADER)
    with pytest.raises(DomainError) as error:
        services.save_accommodation(make_person(site=leader.site), services.AccommodationData(max_lift_kg=80), leader)
    assert error.value.field == "max_lift_kg"


def _skill(code="sew"):
    skill = Skill(code=code, name_da=code, name_en=code)
    db.session.add(skill)
    return skill


def test_a_new_skill_level_appends_history_and_the_latest_counts(make_person):
    person = make_person()
    sew, cut = _skill("sew"), _skill("cut")
    services.add_skill_level(person, sew, 1, date(2026, 9, 1))
    services.add_skill_level(person, cut, 0, date(2026, 9, 1))
    services.add_skill_level(person, sew, 2, date(2026, 10, 1), "Syr lige sømme alene")
    assert len(person.skill_levels) == 3
    assert {row.skill.code: row.level for row in services.current_skill_levels(person)} == {"sew": 2, "cut": 0}
    with pytest.raises(DomainError):
        services.add_skill_level(person, sew, 4, date(2026, 10, 2))


def test_pace_and_step_keep_dated_history(make_person):
    person = make_person()
    services.add_pace(person, 50, date(2026, 9, 1))
    services.add_pace(person, 70, date(2026, 10, 1))
    services.add_progression_step(person, 1, date(2026, 9, 1))
    services.add_progression_step(person, 2, date(2026, 10, 15), "Del af produktionen")
    assert [row.percent for row in person.pace_history] == [50, 70]
    assert services.current_pace(person).percent == 70
    assert services.current_step(person).step == 2 and services.current_step(person).note == "Del af produktionen"
    with pytest.raises(DomainError):
        services.add_pace(person, 300, date(2026, 11, 1))
    with pytest.raises(DomainError):
        services.add_progression_step(person, 5, date(2026, 11, 1))


# --- Current and former people ------------------------------------------------------


def test_former_people_are_those_marked_former_with_no_course_place_or_job_left(make_site, make_person, make_course):
    site, today = make_site(), date(2026, 11, 2)
    here = make_person(site=site, name="Aisha", kind=PersonKind.TRAINEE)  # no course yet: she is coming
    left = make_person(site=site, name="Birgit", kind=PersonKind.FORMER)
    back = make_person(site=site, name="Cecilie", kind=PersonKind.FORMER)  # referred again
    make_course(back, start=date(2026, 12, 1), active=False)
    paid = make_person(site=site, name="Dorte", kind=PersonKind.FORMER, employment_wage_ore=13_500)
    paid.employments[0].end_date = today  # her last day is today
    ended = make_person(site=site, name="Ellen", kind=PersonKind.FORMER, employment_wage_ore=13_500)
    ended.employments[0].end_date = today - timedelta(days=1)
    completed = make_person(site=site, name="Fatma", kind=PersonKind.FORMER)
    change_status(make_course(completed, start=date(2025, 1, 6)), CourseStatus.COMPLETED, None, date(2025, 7, 4),
                  outcome=CourseOutcome.ORDINARY_JOB)
    make_person(name="Elsewhere", kind=PersonKind.FORMER)  # another site
    db.session.flush()
    assert services.people_at_site(site, today) == [here, back, paid]
    assert services.people_at_site(site, today, former=True) == [left, ended, completed]
    assert services.people_counts(site, today) == services.PeopleCounts(current=3, former=3)
    assert services.people_at_site(site, today + timedelta(days=1), former=True) == [left, paid, ended, completed]
