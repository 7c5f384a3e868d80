"""Forms for the hours ledger, employment, rules, the payroll export and the import."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from workshop.forms import WholeNumberField
from workshop.inputs import BoundedDateField

from .ledger import ACTIVITIES, MAX_MINUTES_PER_ENTRY
from .models import EmploymentKind, HoursKind
from .rules import RULES


class HoursField(DecimalField):
    """A number of hours; accepts a decimal comma (6,5) as well as a point."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = Decimal(valuelist[0].strip().replace(",", "."))
            if not self.data.is_finite():  # NaN cannot even be compared with the range
                raise InvalidOperation
        except InvalidOperation as error:
            self.data = None
            raise ValueError(_l("Write a number of hours, e.g. 2 or 2,5.")) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(Decimal(self.data).normalize(), "f").replace(".", ",")




HOURS_KIND_LABELS = {HoursKind.TRAINING: _l("Training"), HoursKind.PAID: _l("Paid")}
ACTIVITY_LABELS = {
    "production": _l("Production"), "meeting": _l("Meeting"), "danish_lesson": _l("Danish lesson"),
    "cleaning": _l("Cleaning"), "other": _l("Other"), "repair": _l("Repair"),
}
EMPLOYMENT_KIND_LABELS = {
    EmploymentKind.SMALL_JOB: _l("Small job (paid hours)"),
    EmploymentKind.FLEXJOB: _l("Flex job"),
    EmploymentKind.HYBRID: _l("Hybrid placement"),
}


class BookingForm(FlaskForm):
    person_id = SelectField(_l("Person"), coerce=int, validators=[InputRequired()])
    work_date = BoundedDateField(_l("Date"), validators=[InputRequired(message=_l("Choose a date."))])
    minutes = WholeNumberField(_l("Minutes"), validators=[
        InputRequired(message=_l("Write the number of minutes.")),
        NumberRange(1, MAX_MINUTES_PER_ENTRY, message=_l("Minutes must be between 1 and 720."))])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in HOURS_KIND_LABELS.items()],
                       default=HoursKind.PAID.value)
    activity = SelectField(_l("Activity"), choices=[(a, ACTIVITY_LABELS[a]) for a in ACTIVITIES])
    reference = StringField(_l("Reference (optional)"), validators=[Optional(), Length(max=200)])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])
    override_reason = StringField(
        _l("Reason to pass her limit (leader only)"), validators=[Optional(), Length(max=300)],
        description=_l("Leave empty. Only fill in if the hours must be booked past her weekly maximum of paid hours "
                            "or the socialt frikort cap."))
    submit = SubmitField(_l("Book hours"))


class CorrectionForm(FlaskForm):
    note = StringField(_l("Why is the entry corrected?"), validators=[
        DataRequired(message=_l("Write why the entry is corrected.")), Length(max=300)])
    new_minutes = WholeNumberField(
        _l("Right number of minutes (empty: cancel the entry)"),
        validators=[Optional(), NumberRange(1, MAX_MINUTES_PER_ENTRY, message=_l("Minutes must be between 1 and 720."))])
    override_reason = StringField(_l("Reason to pass her limit (leader only)"),
                                  validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save correction"))


class EmploymentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in EMPLOYMENT_KIND_LABELS.items()])
    hourly_wage = StringField(_l("Hourly wage (kr.)"), validators=[
        DataRequired(message=_l("Write the hourly wage.")), Length(max=20)])
    min_weekly_hours = HoursField(_l("Minimum paid hours a week"), default=0, validators=[
        InputRequired(message=_l("Write a number of hours.")), NumberRange(0, 60, message=_l("Between 0 and 60 hours."))])
    max_weekly_hours = HoursField(_l("Maximum paid hours a week"), validators=[
        InputRequired(message=_l("Write a number of hours.")), NumberRange(0, 60, message=_l("Between 0 and 60 hours."))])
    start_date = BoundedDateField(_l("Start date"), validators=[InputRequired(message=_l("Choose a date."))])
    end_date = BoundedDateField(_l("End (optional)"), validators=[Optional()])
    has_frikort = BooleanField(_l("Has a socialt frikort"))
    submit = SubmitField(_l("Add employment"))


class EndEmploymentForm(FlaskForm):
    end_date = BoundedDateField(_l("Last day"), validators=[InputRequired(message=_l("Choose a date."))])
    submit = SubmitField(_l("End employment"))


class RuleForm(FlaskForm):
    name = SelectField(_l("Rule"), choices=[(name, kind.label) for name, kind in RULES.items()])
    scope = StringField(_l("Target group (only for rules per target group; empty: everyone)"),
                        validators=[Optional(), Length(max=60)])
    value = StringField(_l("Value (kroner, weeks or %)"), validators=[
        DataRequired(message=_l("Write a value.")), Length(max=20)])
    effective_from = BoundedDateField(_l("In force from"), validators=[InputRequired(message=_l("Choose a date."))])
    note = StringField(_l("Note, e.g. the source"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add value"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])
    check = SubmitField(_l("Check the file (nothing is saved)"))
    submit = SubmitField(_l("Import"))
