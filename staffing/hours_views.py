"""Hours ledger, employment, rules, payroll export, job centre report and import. Leaders only."""
import calendar
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.forms import saved, show_domain_error
from workshop.inputs import EARLIEST_DATE, LATEST_DATE, iso_date, whole_number
from workshop.models import Role
from workshop.money import MoneyError, ore_from_kroner
from workshop.security import role_required
from workshop.services import record_audit
from workshop.timeutil import local_today, monday_of
from workshop.downloads import download

from . import employment as employment_service
from . import importer, reports, rules
from .hours_forms import (
    ACTIVITY_LABELS,
    EMPLOYMENT_KIND_LABELS,
    HOURS_KIND_LABELS,
    BookingForm,
    CorrectionForm,
    EmploymentForm,
    EndEmploymentForm,
    ImportForm,
    RuleForm,
)
from .ledger import book_minutes, correct_entry, frikort_status, is_cancelled
from .models import EmploymentKind, HoursKind, LedgerEntry, Person

blueprint = Blueprint("hours", __name__, url_prefix="/hours")


class BadInput(Exception):
    """A query parameter that cannot be used: a 400 page that says what was wrong."""


@blueprint.errorhandler(BadInput)
def _bad_input(error: BadInput):
    return render_template("staffing/hours/problem.html", messages=[str(error)], back=request.path), 400

LABELS = dict(kind_labels=HOURS_KIND_LABELS, activity_labels=ACTIVITY_LABELS,
              employment_kind_labels=EMPLOYMENT_KIND_LABELS)


def _person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or person.site_id != current_user.site_id:
        abort(404)
    return person


def _people_choices() -> list[tuple[int, str]]:
    """Everyone the site has had (ten years: hundreds), as (id, name) rows without loading each person."""
    return [tuple(row) for row in db.session.execute(
        select(Person.id, Person.name).where(Person.site_id == current_user.site_id).order_by(Person.name))]




def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    day = iso_date(value)
    if day is None:
        raise BadInput(_("Write the date as YYYY-MM-DD, between 2000 and 2100."))
    return day


def _period_args(default_start: date, default_end: date) -> tuple[date, date]:
    start = _parse_day(request.args.get("from"), default_start)
    end = _parse_day(request.args.get("to"), default_end)
    if end < start:
        raise BadInput(_("The end date cannot be before the start date."))
    if (end - start).days > 400:
        raise BadInput(_("Choose a period of at most one year."))
    return start, end


def _month(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- Overview and a person's ledger ----------------------------------------------------


@blueprint.route("/")
@role_required(Role.LEADER)
def overview():
    period = request.args.get("period", "week")
    if period not in ("week", "month"):
        raise BadInput(_("Choose week or month."))
    day = _parse_day(request.args.get("day"), local_today())
    if period == "week":
        start = monday_of(day)
        end = start + timedelta(days=6)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    else:
        start, end = _month(day)
        previous, following = (start - timedelta(days=1)).replace(day=1), end + timedelta(days=1)
    rows = reports.site_hours(current_user.site, start, end)
    return render_template(
        "staffing/hours/overview.html", rows=rows, period=period, start=start, end=end, people=_people_choices(),
        previous=previous, following=following,
        totals=(sum(r.training_minutes for r in rows), sum(r.paid_minutes for r in rows),
                sum(r.paid_amount_ore for r in rows)),
    )


@blueprint.route("/person")
@role_required(Role.LEADER)
def find_person():
    """The person picker on the overview (a GET form) lands here."""
    person_id = whole_number(request.args.get("person"))
    if person_id is None:
        raise BadInput(_("Choose a person."))
    return redirect(url_for("hours.person_ledger", person_id=_person(person_id).id))


@blueprint.route("/person/<int:person_id>")
@role_required(Role.LEADER)
def person_ledger(person_id: int):
    person = _person(person_id)
    start, end = _period_args(*_month(local_today()))
    entries = reports.person_entries(person, start, end)
    cancelled = {entry.id for entry in entries if entry.minutes > 0 and is_cancelled(entry)}
    return render_template(
        "staffing/hours/person.html", person=person, entries=entries, sums=reports.sum_entries(entries),
        start=start, end=end, cancelled=cancelled, frikort=frikort_status(person, local_today()),
        end_form=EndEmploymentForm(formdata=None, end_date=local_today()), today=local_today(), **LABELS,
    )


@blueprint.route("/book", methods=["GET", "POST"])
@role_required(Role.LEADER)
def book():
    form = BookingForm()
    form.person_id.choices = _people_choices()
    if request.method == "GET":
        form.work_date.data = local_today()
        form.person_id.data = whole_number(request.args.get("person"))
    if form.validate_on_submit():
        person = _person(form.person_id.data)
        booked = _("%(minutes)d minutes booked for %(name)s.", minutes=form.minutes.data, name=person.name)
        if saved(form, lambda: book_minutes(person, form.work_date.data, form.minutes.data, HoursKind(form.kind.data),
                                            activity=form.activity.data, reference=form.reference.data or "",
                                            actor=current_user, note=form.note.data or "",
                                            override_reason=form.override_reason.data or ""), booked):
            status = frikort_status(person, form.work_date.data)
            if status is not None and status.warning and status.cap_ore:
                flash(_("%(name)s has now earned %(share)s %% of the socialt frikort cap for %(year)d.",
                        name=person.name, share=str(status.share_percent).replace(".", ","), year=status.year),
                      "warning")
            return redirect(url_for("hours.person_ledger", person_id=person.id,
                                    **{"from": _month(form.work_date.data)[0].isoformat(),
                                       "to": _month(form.work_date.data)[1].isoformat()}))
    status = 400 if form.is_submitted() else 200
    return render_template("staffing/hours/book.html", form=form), status


@blueprint.route("/entry/<int:entry_id>/correct", methods=["GET", "POST"])
@role_required(Role.LEADER)
def correct(entry_id: int):
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.site_id != current_user.site_id:
        abort(404)
    form = CorrectionForm()
    if form.validate_on_submit():
        if saved(form, lambda: correct_entry(entry, current_user, form.note.data, new_minutes=form.new_minutes.data or 0,
                                             override_reason=form.override_reason.data or ""),
                 _("The correction is booked as a new entry.")):
            return redirect(url_for("hours.person_ledger", person_id=entry.person_id,
                                    **{"from": _month(entry.work_date)[0].isoformat(),
                                       "to": _month(entry.work_date)[1].isoformat()}))
    status = 400 if form.is_submitted() else 200
    return render_template("staffing/hours/correct.html", form=form, entry=entry, **LABELS), status


# --- Employment -----------------------------------------------------------------------


@blueprint.route("/person/<int:person_id>/employment", methods=["GET", "POST"])
@role_required(Role.LEADER)
def add_employment(person_id: int):
    person = _person(person_id)
    form = EmploymentForm()
    if request.method == "GET":
        form.start_date.data = local_today()
    if form.validate_on_submit():
        try:
            wage = ore_from_kroner(form.hourly_wage.data)
        except MoneyError:
            form.hourly_wage.errors = [*form.hourly_wage.errors, _("Write an amount in kroner, e.g. 135,50.")]
        else:
            try:
                employment_service.add_employment(
                    person, EmploymentKind(form.kind.data), wage, round(form.min_weekly_hours.data * 60),
                    round(form.max_weekly_hours.data * 60), form.start_date.data, form.end_date.data,
                    form.has_frikort.data,
                )
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(_("The employment is saved."), "success")
                return redirect(url_for("hours.person_ledger", person_id=person.id))
    status = 400 if form.is_submitted() else 200
    return render_template("staffing/hours/employment.html", form=form, person=person, **LABELS), status


@blueprint.route("/employment/<int:employment_id>/end", methods=["POST"])
@role_required(Role.LEADER)
def end_employment(employment_id: int):
    try:
        employment = employment_service.employment_at_site(current_user.site, employment_id)
    except NotFound:
        abort(404)
    form = EndEmploymentForm()
    if form.validate_on_submit():
        if saved(form, lambda: employment_service.end_employment(employment, form.end_date.data),
                 _("The employment ends on %(day)s.", day=form.end_date.data.strftime("%d-%m-%Y"))):
            return redirect(url_for("hours.person_ledger", person_id=employment.person_id))
    messages = [str(m) for errors in form.errors.values() for m in errors] + [str(m) for m in form.form_errors]
    return render_template("staffing/hours/problem.html", messages=messages,
                           back=url_for("hours.person_ledger", person_id=employment.person_id)), 400


# --- Payroll export ---------------------------------------------------------------------


@blueprint.route("/payroll")
@role_required(Role.LEADER)
def payroll():
    start, end = _period_args(*_month(local_today()))
    lines = reports.payroll_lines(current_user.site, start, end)
    return render_template("staffing/hours/payroll.html", lines=lines, start=start, end=end,
                           total_minutes=sum(line.minutes for line in lines),
                           total_ore=sum(line.amount_ore for line in lines))


@blueprint.route("/payroll.csv")
@role_required(Role.LEADER)
def payroll_csv():
    start, end = _period_args(*_month(local_today()))
    body = reports.payroll_csv(current_user.site, start, end)
    # Wages leave the system here: keep a trace of who exported which period.
    record_audit(current_user, "payroll.export", site=current_user.site, start=start.isoformat(), end=end.isoformat())
    db.session.commit()
    filename = f"loentimer-{current_user.site.slug}-{start.isoformat()}-{end.isoformat()}.csv"
    return download(body, filename)


# --- Rules ------------------------------------------------------------------------------


@blueprint.route("/rules", methods=["GET", "POST"])
@role_required(Role.LEADER)
def rules_page():
    form = RuleForm()
    if form.validate_on_submit():
        kind = rules.RULES[form.name.data]
        value = _parse_rule_value(form, kind.unit)
        if value is not None:
            if saved(form, lambda: rules.add_rule_value(form.name.data, value, form.effective_from.data, current_user,
                                                        scope=form.scope.data or "", note=form.note.data or ""),
                     _("The new value is saved. Earlier values are kept as history.")):
                return redirect(url_for("hours.rules_page"))
    status = 400 if form.is_submitted() else 200
    return render_template("staffing/hours/rules.html", form=form, rows=rules.all_rule_values(),
                           rule_kinds=rules.RULES, unit_labels=rules.UNIT_LABELS, today=local_today(),
                           in_force={row.id for row in _rows_in_force()}), status


def _rows_in_force():
    seen = set()
    for row in rules.all_rule_values():
        key = (row.name, row.scope)
        if key not in seen and row.effective_from <= local_today():
            seen.add(key)
            yield row


def _parse_rule_value(form: RuleForm, unit: str) -> int | None:
    text = form.value.data.strip()
    try:
        if unit == "ore":
            return ore_from_kroner(text)
        return int(text)
    except (MoneyError, ValueError):
        form.value.errors = [*form.value.errors, _("Write a whole number (kroner may have øre: 42.766,00).")]
        return None


# --- Job centre year statistics --------------------------------------------------------------


@blueprint.route("/jobcentre")
@role_required(Role.LEADER)
def jobcentre():
    year = whole_number(request.args.get("year", str(local_today().year)), EARLIEST_DATE.year, LATEST_DATE.year)
    if year is None:
        raise BadInput(_("Choose a year between 2000 and 2100."))
    stats = reports.year_statistics(current_user.site, year)
    return render_template("staffing/hours/jobcentre.html", stats=stats, year=year)


# --- Import -----------------------------------------------------------------------------


@blueprint.route("/import", methods=["GET", "POST"])
@role_required(Role.LEADER)
def import_people():
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        dry_run = not form.submit.data
        result = importer.import_people(current_user.site, form.file.data.read(), dry_run=dry_run)
        if result.ok and result.written:
            db.session.commit()
            flash(_("Imported: %(people)d new people and %(courses)d courses.",
                    people=result.new_people, courses=result.new_courses), "success")
            return redirect(url_for("staffing.people"))
        db.session.rollback()
        status = 200 if result.ok else 400
    elif form.is_submitted():
        status = 400
    return render_template("staffing/hours/import.html", form=form, result=result,
                           columns=importer.IMPORT_COLUMNS), status


