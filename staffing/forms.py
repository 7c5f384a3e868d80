"""Forms for people, courses, availability, needs, skills, the logbook, agreements and follow-ups."""
import re
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, NumberRange, Optional

from workshop.forms import CodedNameForm
from workshop.inputs import BoundedDateField

from .availability import parse_hhmm
from .labels import (
    ATTENDANCE_LABELS,
    COURSE_OUTCOME_LABELS,
    COURSE_STATUS_LABELS,
    FEELINGS,
    PERSON_KIND_LABELS,
    SKILL_LEVELS,
    STEPS,
    WEEKDAYS,
)
from .models import PersonKind


def parse_hours(text: str) -> int:
    """'4', '4,5', '4.5' or '4:30' hours (at most a week's) → minutes."""
    text = text.strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,3}([.:][0-9]{1,2})?", text):  # also refuses 1e309, nan and '²'
        raise ValueError
    if ":" in text:
        hours, minutes = text.split(":", 1)
        if int(minutes) >= 60:  # "4:75" is no time
            raise ValueError
        value = int(hours) * 60 + int(minutes)
    else:
        value = round(float(text) * 60)
    if value > MAX_HOURS_TYPED * 60:
        raise ValueError
    return value


#: No field asks for more hours than a week has.
MAX_HOURS_TYPED = 168


class HoursField(StringField):
    """Hours typed as text ("4", "4,5" or "4:30"); `data` is minutes (int) or None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_hours(valuelist[0])
            except ValueError as error:
                raise ValueError(_l("Write hours as a number, e.g. 4 or 4,5.")) from error

    def process_data(self, value):
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        hours, minutes = divmod(self.data, 60)
        return f"{hours}" if not minutes else f"{hours}:{minutes:02d}"


class TimeOfDayField(StringField):
    """A time of day as "9:30"; `data` is minutes from midnight or None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"type": "time"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_hhmm(valuelist[0])
            if self.data is None:
                raise ValueError(_l("Write a time like 9:30."))

    def process_data(self, value):
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data // 60:02d}:{self.data % 60:02d}"


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


def max_length(unbound_field) -> int:
    """The most characters a form field takes (its Length rule), for other readers of the same value."""
    return next(rule.max for rule in unbound_field.kwargs["validators"] if isinstance(rule, Length))


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"inputmode": "tel"})
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    languages = StringField(_l("Languages"), validators=[Optional(), Length(max=200)],
                            description=_l("Comma separated, e.g. arabisk, dansk"))
    user_email = EmailField(_l("Her login (e-mail)"), validators=[Optional(), Email(), Length(max=254)],
                            description=_l("Optional: links the person to an existing login at this workshop."))
    submit = SubmitField(_l("Save"))


class NewPersonForm(PersonForm):
    kind = SelectField(_l("Role"), choices=_choices(PERSON_KIND_LABELS), default=PersonKind.TRAINEE.value)
    since = BoundedDateField(_l("From date"), validators=[InputRequired()])
    submit = SubmitField(_l("Create"))


class KindChangeForm(FlaskForm):
    kind = SelectField(_l("New role"), choices=_choices(PERSON_KIND_LABELS))
    since = BoundedDateField(_l("From date"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Change role"))


class CourseForm(FlaskForm):
    referral_date = BoundedDateField(_l("Referral date"), validators=[InputRequired()])
    case_reference = StringField(_l("Job centre case reference"), validators=[Optional(), Length(max=60)])
    target_group = StringField(_l("Target group"), validators=[Optional(), Length(max=60)],
                               description=_l("E.g. Aktivitetsparat, Jobparat, Ressourceforløb"))
    start_date = BoundedDateField(_l("Start"), validators=[Optional()])
    planned_end = BoundedDateField(_l("Planned end"), validators=[Optional()])
    weekly_hours = HoursField(_l("Hours per week"), validators=[InputRequired()])
    assessment_weeks = IntegerField(_l("Assessment (weeks)"), default=6, validators=[InputRequired(), NumberRange(0, 52)])
    development_weeks = IntegerField(_l("Development (weeks)"), default=7, validators=[InputRequired(), NumberRange(0, 52)])
    internship_weeks = IntegerField(_l("Internship (weeks)"), default=13, validators=[InputRequired(), NumberRange(0, 52)])
    submit = SubmitField(_l("Save"))


class CourseStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=_choices(COURSE_STATUS_LABELS))
    day = BoundedDateField(_l("Date"), validators=[InputRequired()])
    outcome = SelectField(_l("Outcome"), choices=[("", "—")] + _choices(COURSE_OUTCOME_LABELS),
                          validators=[Optional()], description=_l("Needed when the course ends."))
    reason = StringField(_l("Reason for interruption"), validators=[Optional(), Length(max=300)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Change status"))


class SlotForm(FlaskForm):
    weekday = SelectField(_l("Weekday"), choices=list(enumerate(WEEKDAYS)), coerce=int)
    start = TimeOfDayField(_l("From"), validators=[InputRequired()])
    end = TimeOfDayField(_l("To"), validators=[InputRequired()])
    submit = SubmitField(_l("Add time"))


class ExceptionForm(FlaskForm):
    day = BoundedDateField(_l("Date"), validators=[InputRequired()])
    kind = RadioField(_l("What"), choices=[("away", _l("Away")), ("extra", _l("Extra hours"))], default="away")
    start = TimeOfDayField(_l("From"), validators=[Optional()], description=_l("Only for extra hours."))
    end = TimeOfDayField(_l("To"), validators=[Optional()], description=_l("Only for extra hours."))
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add change"))


NEEDS_NOT_DIAGNOSES = _l("Write what she needs at work, never a diagnosis or an illness.")


class AccommodationForm(FlaskForm):
    max_lift_kg = IntegerField(_l("Max lifting (kg)"), validators=[Optional(), NumberRange(0, 50)])
    max_standing_minutes = IntegerField(_l("Max standing at a time (minutes)"), validators=[Optional(), NumberRange(0, 600)])
    earliest_start = TimeOfDayField(_l("Cannot start before"), validators=[Optional()])
    max_hours_per_day = HoursField(_l("Max hours per day"), validators=[Optional()])
    break_every_minutes = IntegerField(_l("Break every (minutes)"), validators=[Optional(), NumberRange(10, 480)])
    needs_quiet = BooleanField(_l("Needs a quiet place"))
    needs_seated = BooleanField(_l("Needs seated work"))
    note = TextAreaField(_l("Other needs and aids"), validators=[Optional(), Length(max=500)],
                         description=NEEDS_NOT_DIAGNOSES)
    submit = SubmitField(_l("Save"))


class SkillForm(CodedNameForm):
    submit = SubmitField(_l("Save the skill"))


class SkillLevelForm(FlaskForm):
    skill = SelectField(_l("Skill"), coerce=int)
    level = SelectField(_l("Level"), choices=list(SKILL_LEVELS.items()), coerce=int)
    since = BoundedDateField(_l("Date"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add skill level"))


class PaceForm(FlaskForm):
    percent = IntegerField(_l("Pace (percent of standard)"), validators=[InputRequired(), NumberRange(5, 200)])
    since = BoundedDateField(_l("Date"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add pace"))


class StepForm(FlaskForm):
    step = SelectField(_l("Step"), choices=list(STEPS.items()), coerce=int)
    since = BoundedDateField(_l("Date"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add step"))


MINUTE_CHOICES = [(0, "0")] + [(minutes, f"{minutes // 60}:{minutes % 60:02d}") for minutes in range(30, 8 * 60 + 1, 30)]
BREAK_CHOICES = [(minutes, f"{minutes} min") for minutes in (0, 10, 15, 20, 30, 45, 60, 90)]


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class LogbookForm(FlaskForm):
    attendance = RadioField(_l("Were you here today?"), choices=_choices(ATTENDANCE_LABELS), validators=[InputRequired()])
    minutes_worked = SelectField(_l("Hours worked"), choices=MINUTE_CHOICES, coerce=int, default=0)
    break_minutes = SelectField(_l("Breaks"), choices=BREAK_CHOICES, coerce=int, default=0)
    left_early_reason = StringField(_l("Why did you leave early?"), validators=[Optional(), Length(max=200)])
    worked_on = StringField(_l("What did you work on?"), validators=[Optional(), Length(max=300)])
    feeling = RadioField(_l("How did you feel afterwards?"), choices=[(key, label) for key, (_face, label) in FEELINGS.items()],
                         coerce=_optional_int, validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))


class AgreementForm(FlaskForm):
    work_functions = TextAreaField(_l("Work functions"), validators=[Optional(), Length(max=2000)])
    training_goals = TextAreaField(_l("Training goals"), validators=[Optional(), Length(max=2000)])
    next_goal = StringField(_l("Next goal"), validators=[Optional(), Length(max=300)])
    hours_per_day = HoursField(_l("Hours per day"), validators=[Optional()])
    weekly_hours = HoursField(_l("Hours per week"), validators=[Optional()])
    paid_hours_review_date = BoundedDateField(_l("Paid hours next discussed"), validators=[Optional()])
    accommodations_and_aids = TextAreaField(_l("Accommodations and aids"), validators=[Optional(), Length(max=2000)],
                                            description=NEEDS_NOT_DIAGNOSES)
    support = StringField(_l("Support and mentor"), validators=[Optional(), Length(max=300)])
    duration_weeks = IntegerField(_l("Duration (weeks)"), validators=[Optional(), NumberRange(1, 104)])
    followups_planned = IntegerField(_l("Number of follow-ups"), validators=[Optional(), NumberRange(0, 100)])
    next_followup_date = BoundedDateField(_l("Next follow-up"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class FollowUpForm(FlaskForm):
    held_on = BoundedDateField(_l("Date"), validators=[InputRequired()])
    attendance = TextAreaField(_l("Attendance"), validators=[Optional(), Length(max=2000)])
    tasks_and_ability = TextAreaField(_l("Tasks and work ability"), validators=[Optional(), Length(max=2000)])
    motivation = TextAreaField(_l("Motivation"), validators=[Optional(), Length(max=2000)])
    accommodations_and_wellbeing = TextAreaField(_l("Accommodations and quality of life"),
                                                 validators=[Optional(), Length(max=2000)])
    both_views = TextAreaField(_l("Both sides' view"), validators=[Optional(), Length(max=2000)])
    next_followup_date = BoundedDateField(_l("Next follow-up"), validators=[Optional()])
    submit = SubmitField(_l("Save follow-up"))



class EraseForm(FlaskForm):
    """Erasing a person cannot be undone: the leader types the word to confirm it."""

    confirm = StringField(_l("Type ERASE to confirm"), validators=[
        DataRequired(message=_l("Type ERASE to confirm.")),
        AnyOf(["ERASE", "SLET"], message=_l("Type ERASE to confirm."))])
    submit = SubmitField(_l("Erase the person"))
