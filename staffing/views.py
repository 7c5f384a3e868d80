"""Staffing pages: validate a form, call one service, commit once, redirect (PRG) or render.

Leaders and staff work in their own site (404 for another site's people). Accommodations,
logbook notes, agreements, follow-ups and the progress report are for leaders (and the
trainee herself where it is hers); every read of health data is audited by the service.
"""
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.forms import EmptyForm, saved, show_domain_error
from workshop.inputs import iso_date
from workshop.models import Role
from workshop.registry import start_panels_for
from workshop.security import role_required
from workshop.timeutil import local_today
from workshop.downloads import download

from . import availability, courses, followups, logbook, privacy, progress, services
from .forms import (
    AccommodationForm,
    AgreementForm,
    CourseForm,
    CourseStatusForm,
    EraseForm,
    ExceptionForm,
    FollowUpForm,
    KindChangeForm,
    LogbookForm,
    NewPersonForm,
    PaceForm,
    PersonForm,
    SkillLevelForm,
    SlotForm,
    StepForm,
)
from .labels import (
    ATTENDANCE_ICONS,
    ATTENDANCE_LABELS,
    ATTENDANCE_SHORT,
    COURSE_OUTCOME_LABELS,
    COURSE_STATUS_LABELS,
    FEELINGS,
    PERSON_KIND_LABELS,
    PHASE_LABELS,
    SKILL_LEVELS,
    STEPS,
    WEEKDAYS,
)
from .models import Attendance, Course, CourseOutcome, CourseStatus, PersonKind

blueprint = Blueprint("staffing", __name__, url_prefix="/people")

LEADER, STAFF, TRAINEE = Role.LEADER, Role.STAFF, Role.TRAINEE


@blueprint.context_processor
def labels():
    return {
        "person_kind_labels": PERSON_KIND_LABELS, "course_status_labels": COURSE_STATUS_LABELS,
        "course_outcome_labels": COURSE_OUTCOME_LABELS, "phase_labels": PHASE_LABELS,
        "attendance_labels": ATTENDANCE_LABELS, "attendance_short": ATTENDANCE_SHORT,
        "attendance_icons": ATTENDANCE_ICONS, "feelings": FEELINGS, "weekdays": WEEKDAYS,
        "skill_levels": SKILL_LEVELS, "steps": STEPS, "empty_form": EmptyForm(),
    }


def _person(person_id: int):
    try:
        return services.person_visible_to(current_user, person_id)
    except NotFound:
        abort(404)


def _course(person, course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or course.person_id != person.id:
        abort(404)
    return course




def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- People --------------------------------------------------------------------------------------


@blueprint.route("/")
@role_required(LEADER, STAFF)
def people():
    """The people at the workshop now; `?show=former` those who have left, so nobody is lost."""
    site, today = current_user.site, local_today()
    former = request.args.get("show") == "former"
    return render_template("staffing/people.html", people=services.people_at_site(site, today, former=former),
                           former=former, counts=services.people_counts(site, today),
                           capacity=courses.site_capacity(site), current_course=courses.current_course, today=today)


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(LEADER, STAFF)
def new_person():
    form = _person_form(NewPersonForm, since=local_today())
    if form.validate_on_submit():
        try:
            person = services.create_person(current_user.site, _person_data(form), PersonKind(form.kind.data),
                                            form.since.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was created.", name=person.name), "success")
            return redirect(url_for("staffing.person", person_id=person.id))
    return render_template("staffing/person_form.html", form=form, person=None), _status(form)


def _person_form(form_class, **data):
    """The person form; staff get it without her login, as linking one is a leader's act."""
    form = form_class(**data)
    if current_user.role != LEADER:
        del form.user_email
    return form


def _person_data(form) -> services.PersonData:
    return services.PersonData(name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or "",
                               languages=form.languages.data or "",
                               user_email=(form.user_email.data or "") if "user_email" in form else None)


@blueprint.route("/<int:person_id>")
@role_required(LEADER, STAFF)
def person(person_id: int):
    return _person_page(_person(person_id))


@blueprint.route("/<int:person_id>/edit", methods=["GET", "POST"])
@role_required(LEADER, STAFF)
def edit_person(person_id: int):
    person = _person(person_id)
    form = _person_form(PersonForm, obj=person, user_email=person.user.email if person.user else "")
    if form.validate_on_submit():
        if saved(form, lambda: services.update_person(person, _person_data(form), current_user), _("Saved.")):
            return redirect(url_for("staffing.person", person_id=person.id))
    return render_template("staffing/person_form.html", form=form, person=person), _status(form)


def _person_page_with_error(person, form_name: str, form):
    """Re-render the person page with one of its small forms showing its errors (400)."""
    return _person_page(person, **{form_name: form}), 400


def _person_page(person, **forms):
    """The person page; `forms` replaces the page's small forms (to show their errors)."""
    today = local_today()
    course = courses.current_course(person)
    skill_form = forms.get("skill_form") or SkillLevelForm(since=today)
    skill_form.skill.choices = [(skill.id, skill.name) for skill in services.all_skills()]
    # Only leaders see her follow-ups' notes (health data): the read is audited.
    notes = followups.read_followups(person, current_user, "person page") if current_user.role == LEADER else []
    db.session.commit()  # the audit row
    return render_template(
        "staffing/person.html", person=person, course=course, today=today,
        phase=courses.phase_on(course, today) if course else None,
        phases=courses.phase_schedule(course) if course else [],
        skills=services.current_skill_levels(person), pace=services.current_pace(person),
        step=services.current_step(person), agreement=followups.agreement_for(person),
        followups=notes, next_followup=followups.next_followup_date(person),
        attendance=(logbook.attendance_counts(person, course.start_date, today, current_user)
                    if course and course.start_date else None),
        kind_form=forms.get("kind_form") or KindChangeForm(since=today), skill_form=skill_form,
        pace_form=forms.get("pace_form") or PaceForm(since=today),
        step_form=forms.get("step_form") or StepForm(since=today),
    )


@blueprint.route("/<int:person_id>/kind", methods=["POST"])
@role_required(LEADER)
def change_kind(person_id: int):
    person = _person(person_id)
    form = KindChangeForm()
    if form.validate_on_submit():
        if saved(form, lambda: services.change_kind(person, PersonKind(form.kind.data), form.since.data,
                                                    form.note.data or ""), _("The role was changed.")):
            return redirect(url_for("staffing.person", person_id=person.id))
    return _person_page_with_error(person, "kind_form", form)


@blueprint.route("/<int:person_id>/skills", methods=["POST"])
@role_required(LEADER, STAFF)
def add_skill(person_id: int):
    person = _person(person_id)
    form = SkillLevelForm()
    skills = {skill.id: skill for skill in services.all_skills()}
    form.skill.choices = [(skill.id, skill.name) for skill in skills.values()]
    return _add_dated_value(person, form, "skill_form", lambda: services.add_skill_level(
        person, skills[form.skill.data], form.level.data, form.since.data, form.note.data or ""))


@blueprint.route("/<int:person_id>/pace", methods=["POST"])
@role_required(LEADER, STAFF)
def add_pace(person_id: int):
    person = _person(person_id)
    form = PaceForm()
    return _add_dated_value(person, form, "pace_form", lambda: services.add_pace(
        person, form.percent.data, form.since.data, form.note.data or ""))


@blueprint.route("/<int:person_id>/step", methods=["POST"])
@role_required(LEADER, STAFF)
def add_step(person_id: int):
    person = _person(person_id)
    form = StepForm()
    return _add_dated_value(person, form, "step_form", lambda: services.add_progression_step(
        person, form.step.data, form.since.data, form.note.data or ""))


def _add_dated_value(person, form, form_name: str, save):
    """Skills, pace and staircase steps: a new dated row in her history, from the person page."""
    if form.validate_on_submit():
        if saved(form, save, _("Saved.")):
            return redirect(url_for("staffing.person", person_id=person.id, _anchor="skills"))
    return _person_page_with_error(person, form_name, form)


# --- Courses ---------------------------------------------------------------------------------------


def _course_data(form) -> courses.CourseData:
    return courses.CourseData(
        referral_date=form.referral_date.data, case_reference=form.case_reference.data or "",
        target_group=form.target_group.data or "", start_date=form.start_date.data, planned_end=form.planned_end.data,
        weekly_minutes=form.weekly_hours.data or 0, assessment_weeks=form.assessment_weeks.data,
        development_weeks=form.development_weeks.data, internship_weeks=form.internship_weeks.data,
    )


@blueprint.route("/<int:person_id>/courses/new", methods=["GET", "POST"])
@role_required(LEADER)
def new_course(person_id: int):
    person = _person(person_id)
    site = current_user.site
    form = CourseForm(referral_date=local_today(), weekly_hours=12 * 60)
    if form.validate_on_submit():
        over = courses.referral_would_exceed(site)
        try:
            course = courses.refer(person, _course_data(form), current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The course was created."), "success")
            _warn_if_internship_too_long(course)
            if over:
                capacity = courses.site_capacity(site)
                flash(_("Warning: the workshop is now over its capacity (%(used)d of %(capacity)d places).",
                        used=capacity.used, capacity=capacity.capacity), "warning")
            return redirect(url_for("staffing.person", person_id=person.id))
    return render_template("staffing/course_form.html", form=form, person=person, course=None,
                           capacity=courses.site_capacity(site),
                           over_capacity=courses.referral_would_exceed(site)), _status(form)


@blueprint.route("/<int:person_id>/courses/<int:course_id>", methods=["GET", "POST"])
@role_required(LEADER)
def edit_course(person_id: int, course_id: int):
    person = _person(person_id)
    course = _course(person, course_id)
    form = CourseForm(obj=course, weekly_hours=course.weekly_minutes)
    status_form = CourseStatusForm(day=local_today())
    if form.validate_on_submit():
        if saved(form, lambda: courses.update_course(course, _course_data(form)), _("Saved.")):
            _warn_if_internship_too_long(course)
            return redirect(url_for("staffing.person", person_id=person.id))
    return _course_page(person, course, form, status_form), _status(form)


def _warn_if_internship_too_long(course) -> None:
    limit = courses.internship_limit_exceeded(course)
    if limit is not None:
        flash(_("Warning: the internship phase is %(weeks)d weeks. The rule for this target group allows "
                "at most %(limit)d weeks.", weeks=course.internship_weeks, limit=limit), "warning")


def _course_page(person, course, form, status_form):
    status_form.status.choices = [(status.value, COURSE_STATUS_LABELS[status])
                                  for status in courses.TRANSITIONS[course.status]]
    return render_template("staffing/course_form.html", form=form, person=person, course=course,
                           status_form=status_form, phases=courses.phase_schedule(course),
                           capacity=courses.site_capacity(current_user.site), over_capacity=False)


@blueprint.route("/<int:person_id>/courses/<int:course_id>/status", methods=["POST"])
@role_required(LEADER)
def course_status(person_id: int, course_id: int):
    person = _person(person_id)
    course = _course(person, course_id)
    status_form = CourseStatusForm()
    if status_form.validate_on_submit():
        if saved(status_form, lambda: courses.change_status(
                course, CourseStatus(status_form.status.data), current_user, status_form.day.data,
                CourseOutcome(status_form.outcome.data) if status_form.outcome.data else None,
                status_form.reason.data or "", status_form.note.data or ""), _("The status was changed.")):
            return redirect(url_for("staffing.person", person_id=person.id))
    form = CourseForm(obj=course, weekly_hours=course.weekly_minutes)
    return _course_page(person, course, form, status_form), 400


# --- Availability --------------------------------------------------------------------------------------


@blueprint.route("/<int:person_id>/availability", methods=["GET", "POST"])
@role_required(LEADER, STAFF)
def availability_page(person_id: int):
    person = _person(person_id)
    slot_form, exception_form = SlotForm(prefix="slot"), ExceptionForm(prefix="exception", day=local_today())
    if request.method == "POST":
        form = slot_form if "slot-weekday" in request.form else exception_form
        def add():
            if form is slot_form:
                availability.add_slot(person, form.weekday.data, form.start.data, form.end.data)
            else:
                availability.add_exception(person, form.day.data, form.kind.data == "extra", form.start.data,
                                           form.end.data, form.reason.data or "")

        if form.validate_on_submit() and saved(form, add, _("Saved.")):
            return redirect(url_for("staffing.availability_page", person_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("staffing/availability.html", person=person, slot_form=slot_form,
                           exception_form=exception_form, today=local_today()), status


@blueprint.route("/<int:person_id>/availability/slots/<int:slot_id>/delete", methods=["POST"])
@role_required(LEADER, STAFF)
def delete_slot(person_id: int, slot_id: int):
    person = _person(person_id)
    if EmptyForm().validate_on_submit():
        try:
            availability.remove_slot(person, slot_id)
        except DomainError:
            abort(404)
        db.session.commit()
        flash(_("The time was removed."), "success")
    return redirect(url_for("staffing.availability_page", person_id=person.id))


@blueprint.route("/<int:person_id>/availability/exceptions/<int:exception_id>/delete", methods=["POST"])
@role_required(LEADER, STAFF)
def delete_exception(person_id: int, exception_id: int):
    person = _person(person_id)
    if EmptyForm().validate_on_submit():
        try:
            availability.remove_exception(person, exception_id)
        except DomainError:
            abort(404)
        db.session.commit()
        flash(_("The change was removed."), "success")
    return redirect(url_for("staffing.availability_page", person_id=person.id))


# --- Accommodations: leaders and herself; every read is audited ---------------------------------


@blueprint.route("/<int:person_id>/accommodations")
@role_required(LEADER, TRAINEE)
def accommodations(person_id: int):
    person = _person(person_id)
    accommodation = services.read_accommodation(person, current_user, why="accommodations page")
    db.session.commit()  # the audit row
    return render_template("staffing/accommodations.html", person=person, accommodation=accommodation)


ACCOMMODATION_ALIASES = {"max_minutes_per_day": "max_hours_per_day", "earliest_start_minute": "earliest_start"}


@blueprint.route("/<int:person_id>/accommodations/edit", methods=["GET", "POST"])
@role_required(LEADER)
def edit_accommodations(person_id: int):
    person = _person(person_id)
    form = AccommodationForm()
    if form.validate_on_submit():
        data = services.AccommodationData(
            max_lift_kg=form.max_lift_kg.data, max_standing_minutes=form.max_standing_minutes.data,
            earliest_start_minute=form.earliest_start.data, max_minutes_per_day=form.max_hours_per_day.data,
            break_every_minutes=form.break_every_minutes.data, needs_quiet=form.needs_quiet.data,
            needs_seated=form.needs_seated.data, note=form.note.data or "",
        )
        if saved(form, lambda: services.save_accommodation(person, data, current_user), _("Saved."),
                 ACCOMMODATION_ALIASES):
            return redirect(url_for("staffing.accommodations", person_id=person.id))
    elif not form.is_submitted():
        current = services.read_accommodation(person, current_user, why="changing accommodations")
        db.session.commit()  # the audit row
        if current is not None:
            form = AccommodationForm(
                obj=current, earliest_start=current.earliest_start_minute, max_hours_per_day=current.max_minutes_per_day)
    return render_template("staffing/accommodations_form.html", form=form, person=person), _status(form)


# --- Logbook ---------------------------------------------------------------------------------------------


def _logbook_form(person, day: date, entry) -> LogbookForm:
    """The saved day, or a blank day with her usual hours for that weekday already chosen."""
    if entry is None:
        return LogbookForm(minutes_worked=logbook.usual_minutes(person, day))
    return LogbookForm(obj=entry, attendance=entry.attendance.value)


def _save_logbook(person, day: date, form):
    data = logbook.LogbookData(
        attendance=Attendance(form.attendance.data), minutes_worked=form.minutes_worked.data or 0,
        break_minutes=form.break_minutes.data or 0, left_early_reason=form.left_early_reason.data or "",
        worked_on=form.worked_on.data or "", feeling=form.feeling.data, note=form.note.data or "",
    )
    logbook.save_entry(person, day, data, current_user, local_today())


def _logbook_day(person, day: date, template: str, done_url: str, **context):
    """GET shows the day's form; POST saves it (and its ledger minutes) or re-renders with 400."""
    entry = logbook.entry_for(person, day)
    form = LogbookForm() if request.method == "POST" else _logbook_form(person, day, entry)
    if form.validate_on_submit():
        thanks = _("Your logbook is saved. Thank you!") if current_user.role == TRAINEE else _("Saved.")
        if saved(form, lambda: _save_logbook(person, day, form), thanks):
            return redirect(done_url)
    elif entry is not None and request.method == "GET":
        # The form shows her note: health data.
        logbook.record_read(person, current_user, why="logbook day", day=day.isoformat())
        db.session.commit()
    return render_template(template, form=form, person=person, day=day, entry=entry, today=local_today(),
                           skill_names=[skill.name for skill in services.all_skills()], **context), _status(form)


@blueprint.route("/<int:person_id>/logbook")
@role_required(LEADER, TRAINEE)
def logbook_list(person_id: int):
    person = _person(person_id)
    rows = logbook.read_entries(person, current_user, why="logbook list")
    db.session.commit()  # the audit row
    return render_template("staffing/logbook_list.html", person=person, entries=rows, today=local_today(),
                           timedelta_week=timedelta(days=logbook.TRAINEE_DAYS_BACK))


@blueprint.route("/<int:person_id>/logbook/<day>", methods=["GET", "POST"])
@role_required(LEADER, TRAINEE)
def logbook_day(person_id: int, day: str):
    person = _person(person_id)
    parsed = iso_date(day)
    if parsed is None:
        abort(404)
    return _logbook_day(person, parsed, "staffing/logbook_form.html",
                        url_for("staffing.logbook_list", person_id=person.id))


@blueprint.route("/me", methods=["GET", "POST"])
@role_required(TRAINEE)
def my_page():
    """The trainee's start page: today's logbook in big buttons, and links to her own things."""
    person = services.person_for_user(current_user)
    if person is None:
        return render_template("staffing/my_page.html", person=None, form=None)
    return _logbook_day(person, local_today(), "staffing/my_page.html", url_for("staffing.my_page"),
                        step=services.current_step(person))


# --- Agreement and follow-ups ------------------------------------------------------------------------------


@blueprint.route("/<int:person_id>/agreement", methods=["GET", "POST"])
@role_required(LEADER)
def agreement(person_id: int):
    person = _person(person_id)
    if request.method == "POST":
        current = followups.agreement_for(person)
    else:  # the form shows her accommodations and aids
        current = followups.read_agreement(person, current_user, "agreement form")
        db.session.commit()  # the audit row
    form = AgreementForm(obj=current, hours_per_day=current.minutes_per_day if current else None,
                         weekly_hours=current.weekly_minutes if current else None)
    if form.validate_on_submit():
        data = followups.AgreementData(
            work_functions=form.work_functions.data or "", training_goals=form.training_goals.data or "",
            next_goal=form.next_goal.data or "", minutes_per_day=form.hours_per_day.data,
            weekly_minutes=form.weekly_hours.data, paid_hours_review_date=form.paid_hours_review_date.data,
            accommodations_and_aids=form.accommodations_and_aids.data or "", support=form.support.data or "",
            duration_weeks=form.duration_weeks.data, followups_planned=form.followups_planned.data,
            next_followup_date=form.next_followup_date.data,
        )
        if saved(form, lambda: followups.save_agreement(person, data, current_user), _("The agreement is saved.")):
            return redirect(url_for("staffing.person", person_id=person.id, _anchor="agreement"))
    return render_template("staffing/agreement_form.html", form=form, person=person), _status(form)


@blueprint.route("/<int:person_id>/followups/new", methods=["GET", "POST"])
@role_required(LEADER)
def new_followup(person_id: int):
    person = _person(person_id)
    form = FollowUpForm(held_on=local_today(), next_followup_date=local_today() + timedelta(days=7))  # weekly
    if form.validate_on_submit():
        data = followups.FollowUpData(
            held_on=form.held_on.data, attendance=form.attendance.data or "",
            tasks_and_ability=form.tasks_and_ability.data or "", motivation=form.motivation.data or "",
            accommodations_and_wellbeing=form.accommodations_and_wellbeing.data or "",
            both_views=form.both_views.data or "", next_followup_date=form.next_followup_date.data,
        )
        if saved(form, lambda: followups.record_followup(person, data, current_user, local_today()),
                 _("The follow-up is saved.")):
            return redirect(url_for("staffing.person", person_id=person.id, _anchor="followups"))
    previous = followups.read_followups(person, current_user, "follow-up form")[:1]
    db.session.commit()  # the audit row
    return render_template("staffing/followup_form.html", form=form, person=person,
                           previous=previous), _status(form)


# --- Progress report and the start page ----------------------------------------------------------------------


@blueprint.route("/<int:person_id>/report")
@role_required(LEADER)
def progress_report(person_id: int):
    person = _person(person_id)
    report = progress.build(person, current_user, local_today())
    db.session.commit()  # the audit row for the accommodations it shows
    return render_template("staffing/progress_report.html", report=report, today=local_today())


@blueprint.route("/dashboard")
@role_required(LEADER, STAFF)
def dashboard():
    site, today = current_user.site, local_today()
    due = followups.due_followups(site, today) if current_user.role == LEADER else []
    return render_template("staffing/dashboard.html", due=due, present=logbook.present_today(site.id, today),
                           capacity=courses.site_capacity(site), today=today,
                           panels=start_panels_for(current_app, current_user))


# --- Her rights over her data (GDPR) -------------------------------------------------------------


@blueprint.route("/<int:person_id>/privacy")
@role_required(LEADER)
def privacy_page(person_id: int):
    return _privacy_page(_person(person_id), EraseForm())


def _privacy_page(person, form, status: int = 200):
    """Export, audit trail and erasure; the trail shows who read her health data (not the data itself)."""
    return render_template("staffing/privacy/page.html", person=person, form=form,
                           reads=privacy.audit_rows(privacy.health_data_reads(person)[:20])), status


@blueprint.route("/<int:person_id>/audit.csv")
@role_required(LEADER)
def audit_trail_csv(person_id: int):
    """Her audit trail (who read or changed what about her, when and why) as CSV; the download is logged."""
    person = _person(person_id)
    body = privacy.audit_trail_csv(person, current_user)
    db.session.commit()
    return download(body, f"revisionsspor-{person.id}-{local_today().isoformat()}.csv")


@blueprint.post("/<int:person_id>/export")
@role_required(LEADER)
def export_data(person_id: int):
    """A ZIP with all her data (the download itself is logged)."""
    person = _person(person_id)
    body = privacy.export_zip(person, current_user)
    db.session.commit()
    return download(body, f"persondata-{person.id}-{local_today().isoformat()}.zip", "application/zip")


@blueprint.post("/<int:person_id>/erase")
@role_required(LEADER)
def erase_person(person_id: int):
    person = _person(person_id)
    form = EraseForm()
    if form.validate_on_submit() and saved(form, lambda: privacy.erase(person, current_user),
                                           _("The person is erased. Her hours stay in the statistics.")):
        return redirect(url_for("staffing.person", person_id=person.id))
    return _privacy_page(person, form, 400)
