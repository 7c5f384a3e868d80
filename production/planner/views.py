"""Leader pages: plan the week, the week board, a person's day sheet; a trainee's own plan."""
from collections import defaultdict
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user

from production.planner import jobs, services
from production.planner.budget import suggest_budget
from production.planner.explain import explain
from production.planner.forms import PlanWeekForm, ReplanForm
from production.planner.models import PlanStatus, locked_day_set
from production.planner.source import build_instance
from staffing.services import read_accommodation
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import EmptyForm
from workshop.models import Role
from workshop.security import role_required
from workshop.timeutil import local_today, monday_of

blueprint = Blueprint("planner", __name__, url_prefix="/production/planner")


def _plan_or_404(plan_id: int):
    plan = services.site_plan(current_user.site_id, plan_id)
    if plan is None:
        abort(404)
    return plan


@blueprint.route("/", methods=["GET", "POST"])
@role_required(Role.LEADER)
def index():
    form = PlanWeekForm()
    valid = form.validate_on_submit()
    chosen = form.week.data if form.is_submitted() and form.week.data and not form.week.errors else None
    week = monday_of(chosen or local_today() + timedelta(days=7))  # a refused week: suggest for next week
    suggestion = suggest_budget(current_user.site_id, week)
    if not form.is_submitted():
        form.week.data = week
        form.budget_hours.data = suggestion.hours
    if valid:
        try:
            plan = services.make_instant_plan(current_user.site_id, form.week.data, form.budget_hours.data * 60,
                                              current_user)
        except DomainError as error:
            form.budget_hours.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("planner.board", plan_id=plan.id))
    status = 400 if form.errors else 200
    return render_template("production/planner/index.html", form=form, suggestion=suggestion,
                           plans=services.site_plans(current_user.site_id)), status


def _same_reasons_together(explanations, tasks) -> list[tuple[str, str, str, int]]:
    """(operation, order, reason, number of tasks): batches of one step share one line."""
    counts: dict[tuple[str, str, str], int] = {}
    for explanation in explanations:
        task = tasks[explanation.subject_id]
        key = (task.operation.name, task.order_label, explanation.message)
        counts[key] = counts.get(key, 0) + 1
    return [(*key, count) for key, count in counts.items()]


@blueprint.route("/<int:plan_id>")
@role_required(Role.LEADER)
def board(plan_id: int, replan_form=None, error=None, status=200):
    plan = _computing_or_given_up(plan_id)
    if plan.status == PlanStatus.FAILED:
        return render_template("production/planner/failed.html", plan=plan), status
    computing = plan.status == PlanStatus.COMPUTING
    explanations = {} if computing else _explanations(plan)  # while computing, the plan shown is not the last word
    days = [plan.week_start + timedelta(days=d) for d in range(5)]
    cells = defaultdict(list)
    people = {}
    for a in plan.assignments:
        cells[(a.person_id, a.day)].append(a)
        people[a.person_id] = a.person
    replan_form = replan_form or ReplanForm(budget_hours=plan.budget_minutes // 60)
    page = render_template("production/planner/board.html", plan=plan, days=days, cells=cells,
                           people=sorted(people.values(), key=lambda p: p.name), computing=computing,
                           **explanations,
                           form=EmptyForm(), replan_form=replan_form,
                           locked=locked_day_set(plan), draft=plan.status == PlanStatus.DRAFT,
                           error=error)
    db.session.commit()  # the audit of the accommodations the explanations read
    return page, status


def _explanations(plan) -> dict:
    """Why work or people got nothing in this plan, in plain words (from everyone's accommodations too: audited)."""
    instance = build_instance(plan.site_id, plan.week_start, budget_minutes=plan.budget_minutes)
    why = explain(instance, services.engine_plan(plan))
    services.audit_accommodations(plan, current_user, "week board", once=True)
    return {"why": why, "unplanned": _same_reasons_together(why["tasks"], instance.tasks_by_id())}


def _computing_or_given_up(plan_id: int):
    """The plan, failed by now if its job has long stopped answering."""
    plan = _plan_or_404(plan_id)
    if services.fail_if_stalled(plan, current_app.config["PLANNER_SECONDS"]):
        db.session.commit()
    return plan


@blueprint.route("/<int:plan_id>/progress")
@role_required(Role.LEADER)
def progress(plan_id: int):
    """What an open board polls while the plan is computing; a new version means a better plan to show."""
    plan = _computing_or_given_up(plan_id)
    response = jsonify(status=plan.status.value, progress=plan.progress, version=plan.version,
                       deadline_minutes_unplanned=plan.deadline_minutes_unplanned,
                       lowest_paid_minutes=plan.lowest_paid_minutes)
    response.cache_control.no_store = True
    return response


@blueprint.route("/<int:plan_id>/accept", methods=["POST"])
@role_required(Role.LEADER)
def accept(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.accept_plan(plan, current_user)
    except DomainError as error:
        db.session.rollback()
        return render_template("production/planner/error.html", message=error.message, plan=plan), 409
    db.session.commit()
    return redirect(url_for("planner.board", plan_id=plan.id))


@blueprint.route("/<int:plan_id>/sheet/<int:person_id>")
@role_required(Role.LEADER)
def sheet(plan_id: int, person_id: int):
    plan = _plan_or_404(plan_id)
    items = [a for a in plan.assignments if a.person_id == person_id]
    if not items:
        abort(404)
    read_accommodation(items[0].person, current_user, why="day sheet")  # her breaks come from it
    page = render_template("production/planner/sheet.html", plan=plan, person=items[0].person,
                           items=items, breaks=services.breaks_after(items))
    db.session.commit()  # the audit row
    return page


@blueprint.route("/mine")
@role_required(Role.TRAINEE)
def mine():
    person = services.person_of_user(current_user)
    today = local_today()
    items = services.accepted_assignments(person, monday_of(today)) if person else []
    return render_template("production/planner/mine.html", person=person, items=items, today=today,
                           breaks=services.breaks_after(items))


def _change(plan_id: int, change):
    """Validate the one-button form, run `change(plan)`, commit, and go to the plan it returns."""
    plan = _plan_or_404(plan_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = change(plan)
    except DomainError as error:
        db.session.rollback()
        return board(plan_id, error=error.message, status=409)
    if result is False:
        abort(404)
    db.session.commit()
    return redirect(url_for("planner.board", plan_id=(result.id if result is not None and result is not True else plan.id)))


@blueprint.route("/<int:plan_id>/assignments/<int:assignment_id>/pin", methods=["POST"])
@role_required(Role.LEADER)
def pin(plan_id: int, assignment_id: int):
    return _change(plan_id, lambda plan: True if services.toggle_pin(plan, assignment_id) else False)


@blueprint.route("/<int:plan_id>/assignments/<int:assignment_id>/forbid", methods=["POST"])
@role_required(Role.LEADER)
def forbid(plan_id: int, assignment_id: int):
    return _change(plan_id, lambda plan: services.forbid_and_replan(plan, assignment_id, current_user) or False)


@blueprint.route("/<int:plan_id>/days/<int:day>/lock", methods=["POST"])
@role_required(Role.LEADER)
def lock(plan_id: int, day: int):
    return _change(plan_id, lambda plan: services.toggle_lock(plan, day) or True)


@blueprint.route("/<int:plan_id>/replan", methods=["POST"])
@role_required(Role.LEADER)
def replan(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = ReplanForm()
    if form.validate_on_submit():
        try:
            new = services.make_instant_plan(plan.site_id, plan.week_start, form.budget_hours.data * 60,
                                             current_user, base=plan)
        except DomainError as error:
            db.session.rollback()
            form.budget_hours.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("planner.board", plan_id=new.id))
    return board(plan_id, replan_form=form, status=400)


@blueprint.route("/<int:plan_id>/optimise", methods=["POST"])
@role_required(Role.LEADER)
def optimise(plan_id: int):
    base = _plan_or_404(plan_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        plan = services.start_optimised(base, current_user)
    except DomainError as error:
        db.session.rollback()
        return board(plan_id, error=error.message, status=409)
    db.session.commit()
    jobs.launch(plan.id, base.id)
    return redirect(url_for("planner.board", plan_id=plan.id))
