from datetime import date, timedelta

from production.hours import hours_kind_for
from production.matching import PersonProfile, can_do, profile_for
from staffing.ledger import book_minutes
from staffing.models import HoursKind, SkillLevel
from workshop.extensions import db


def _profile(**fields):
    return PersonProfile(person_id=1, name="Amina", **fields)


def test_skill_level_must_reach_the_operations_minimum(make_operation):
    operation = make_operation(min_skill_level=2)
    assert can_do(_profile(skill_levels={operation.skill_id: 2}), operation) == (True, "")
    ok, reason = can_do(_profile(skill_levels={operation.skill_id: 1}), operation)
    assert not ok and "2" in reason
    assert not can_do(_profile(), operation)[0]  # never assessed counts as level 0
    assert can_do(_profile(), make_operation(min_skill_level=0))[0]


def test_accommodations_rule_out_lifting_standing_noise(make_operation):
    heavy = make_operation(lift_kg=12)
    standing = make_operation(standing_minutes=30)
    noisy = make_operation(noisy=True)
    seated = make_operation()
    assert not can_do(_profile(max_lift_kg=5), heavy)[0]
    assert can_do(_profile(max_lift_kg=12), heavy)[0]
    assert not can_do(_profile(max_standing_minutes=20), standing)[0]
    assert can_do(_profile(max_standing_minutes=45), standing)[0]
    assert not can_do(_profile(needs_seated=True), standing)[0]
    assert not can_do(_profile(needs_quiet=True), noisy)[0]
    for profile in (_profile(max_lift_kg=0), _profile(needs_seated=True), _profile(needs_quiet=True)):
        assert can_do(profile, seated) == (True, "")


def test_profile_reads_the_latest_levels_pace_and_accommodation(make_worker, make_operation, make_site):
    operation = make_operation(min_skill_level=2)
    person = make_worker(make_site(), [operation], level=1, pace=50, max_lift_kg=5, needs_quiet=True)
    person.skill_levels.append(SkillLevel(skill_id=operation.skill_id, level=3, since=date(2026, 6, 1)))
    profile = profile_for(person)
    assert profile.skill_levels[operation.skill_id] == 3 and profile.pace_percent == 50
    assert profile.max_lift_kg == 5 and profile.needs_quiet
    assert profile_for(person, date(2026, 1, 1)).skill_levels[operation.skill_id] == 1


def test_hours_are_paid_while_the_weekly_paid_maximum_is_not_reached(make_person, make_site):
    day = date(2026, 11, 18)  # a Wednesday
    trainee = make_person(make_site())
    assert hours_kind_for(trainee, day) == HoursKind.TRAINING
    worker = make_person(make_site(), employment_wage_ore=13_500)  # max 600 paid minutes a week
    assert hours_kind_for(worker, day) == HoursKind.PAID
    book_minutes(worker, day - timedelta(days=2), 590, HoursKind.PAID)  # Monday, same ISO week
    assert hours_kind_for(worker, day) == HoursKind.PAID
    book_minutes(worker, day, 10, HoursKind.PAID)
    assert hours_kind_for(worker, day) == HoursKind.TRAINING
    assert hours_kind_for(worker, day + timedelta(days=5)) == HoursKind.PAID  # next Monday: a new week
    worker.employments[0].end_date = date(2026, 11, 1)
    assert hours_kind_for(worker, date(2026, 11, 25)) == HoursKind.TRAINING


def _accepted_plan(site, monday, assignments, status="accepted"):
    from production.planner.models import Plan, PlanAssignment, PlanStatus

    plan = Plan(site_id=site.id, week_start=monday, method="instant", status=PlanStatus(status))
    plan.assignments = [PlanAssignment(person_id=person.id, task_id=task.id, day=day, start_minute=600,
                                       minutes=120, kind=kind) for person, task, day, kind in assignments]
    db.session.add(plan)
    db.session.flush()
    return plan


def test_an_accepted_plan_decides_paid_or_training(make_person, make_site, make_product):
    from production.models import SourceKind
    from production.planner.models import AssignmentKind
    from production.workorders import create_work_order, release_work_order

    site = make_site()
    day = date(2026, 11, 18)
    monday = day - timedelta(days=2)
    worker = make_person(site, employment_wage_ore=13_500)
    trainee = make_person(site)
    work_order = create_work_order(site, quantity=10, due_date=day + timedelta(days=7),
                                   source_kind=SourceKind.INTERNAL, source_label="Test", product=make_product())
    planned_task, other_task = release_work_order(work_order)[:2]
    _accepted_plan(site, monday, [(worker, planned_task, day, AssignmentKind.PAID),
                                  (trainee, planned_task, day, AssignmentKind.PAID)])

    assert hours_kind_for(worker, day, planned_task) == HoursKind.PAID
    assert hours_kind_for(worker, day, other_task) == HoursKind.TRAINING  # not paid work in the plan
    assert hours_kind_for(worker, day + timedelta(days=1), planned_task) == HoursKind.TRAINING  # another day
    assert hours_kind_for(trainee, day, planned_task) == HoursKind.TRAINING  # never paid without a wage
    assert hours_kind_for(worker, day + timedelta(days=7), other_task) == HoursKind.PAID  # no plan that week


def test_a_draft_plan_does_not_decide(make_person, make_site, make_product):
    from production.models import SourceKind
    from production.planner.models import AssignmentKind
    from production.workorders import create_work_order, release_work_order

    site = make_site()
    day = date(2026, 11, 18)
    worker = make_person(site, employment_wage_ore=13_500)
    task = release_work_order(create_work_order(site, quantity=5, due_date=day, source_kind=SourceKind.INTERNAL,
                                                source_label="Test", product=make_product()))[0]
    other = make_person(site)
    _accepted_plan(site, day - timedelta(days=2), [(other, task, day, AssignmentKind.TRAINING)], status="draft")
    assert hours_kind_for(worker, day, task) == HoursKind.PAID
