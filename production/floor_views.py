"""The shop-floor view for the people doing the work: big buttons, pictograms, one tap to start and stop."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from staffing.models import Person, PersonKind
from staffing.services import person_for_user
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import EmptyForm
from workshop.models import Role
from workshop.security import role_required
from workshop.timeutil import local_today

from . import floor
from .forms import RecordForm, StopForm
from .models import Task, WorkSession
from .views import fail

blueprint = Blueprint("floor", __name__, url_prefix="/floor")
FLOOR_ROLES = (Role.TRAINEE, Role.STAFF, Role.LEADER)


def _person_or_404(person_id: int) -> Person:
    """A trainee only reaches herself; staff and leaders reach the people of their site."""
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if current_user.role == Role.TRAINEE:
        if person.user_id != current_user.id:
            abort(404)
    elif person.site_id != current_user.site_id:
        abort(404)
    return person


def _task_or_404(person: Person, task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or task.site_id != person.site_id:
        abort(404)
    return task


@blueprint.route("/")
@role_required(*FLOOR_ROLES)
def index():
    if current_user.role == Role.TRAINEE:
        person = person_for_user(current_user)
        if person is None:
            abort(404)
        return redirect(url_for(".person", person_id=person.id))
    people = list(db.session.scalars(select(Person).where(
        Person.site_id == current_user.site_id, Person.kind.not_in((PersonKind.FORMER, PersonKind.STAFF)),
    ).order_by(Person.name)))
    working = set(db.session.scalars(select(WorkSession.person_id).where(WorkSession.stopped_at.is_(None))))
    return render_template("production/floor_people.html", people=people, working=working)


def _render(person: Person, stop_form=None, record_forms=None, status: int = 200):
    tasks = floor.tasks_for_today(person)
    running = floor.running_session(person)
    forms = {task.id: RecordForm(prefix=f"r{task.id}") for task, _mine in tasks}
    forms.update(record_forms or {})
    if running is not None and running.task_id not in forms:
        forms[running.task_id] = RecordForm(prefix=f"r{running.task_id}")
    shown = {task.id for task, _mine in tasks}
    # A refused form for a task not on her list (not hers, or finished) shows its reason at the top.
    unlisted = [form for task_id, form in (record_forms or {}).items() if task_id not in shown]
    return render_template(
        "production/floor.html", person=person, tasks=tasks, running=running, today=local_today(),
        unlisted_forms=unlisted,
        running_minutes=floor.elapsed_minutes(running) if running else 0,
        stop_form=stop_form or StopForm(), record_forms=forms, start_form=EmptyForm(),
    ), status


@blueprint.route("/people/<int:person_id>")
@role_required(*FLOOR_ROLES)
def person(person_id: int):
    return _render(_person_or_404(person_id))


@blueprint.route("/people/<int:person_id>/tasks/<int:task_id>/start", methods=["POST"])
@role_required(*FLOOR_ROLES)
def start(person_id: int, task_id: int):
    person = _person_or_404(person_id)
    task = _task_or_404(person, task_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        floor.start_work(person, task, current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _render(_person_or_404(person_id), status=409)
    return redirect(url_for(".person", person_id=person.id))


@blueprint.route("/people/<int:person_id>/stop", methods=["POST"])
@role_required(*FLOOR_ROLES)
def stop(person_id: int):
    person = _person_or_404(person_id)
    form = StopForm()
    if form.validate_on_submit():
        try:
            records = floor.stop_work(person, form.quantity.data, current_user)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            if records:
                flash(_("Saved: %(minutes)d minutes and %(pieces)d pieces.",
                        minutes=sum(record.minutes for record in records),
                        pieces=sum(record.quantity for record in records)), "success")
            return redirect(url_for(".person", person_id=person.id))
    return _render(_person_or_404(person_id), stop_form=form, status=400)


@blueprint.route("/people/<int:person_id>/tasks/<int:task_id>/record", methods=["POST"])
@role_required(*FLOOR_ROLES)
def record(person_id: int, task_id: int):
    person = _person_or_404(person_id)
    task = _task_or_404(person, task_id)
    form = RecordForm(prefix=f"r{task.id}")
    if form.validate_on_submit():
        try:
            floor.record_manually(person, task, form.minutes.data, form.quantity.data, current_user,
                                  override_reason=form.override_reason.data or "")
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Saved: %(minutes)d minutes and %(pieces)d pieces.", minutes=form.minutes.data,
                    pieces=form.quantity.data), "success")
            return redirect(url_for(".person", person_id=person.id))
    return _render(_person_or_404(person_id), record_forms={task_id: form}, status=400)
