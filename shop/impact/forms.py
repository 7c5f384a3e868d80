"""The impact page's period picker (a GET form: the period is in the address, so it can be shared)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from workshop.inputs import BoundedDateField

from .services import MAX_PERIOD_DAYS, PERIOD_KINDS, period_bounds

PERIOD_LABELS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year"), "custom": _l("From – to")}


class PeriodForm(FlaskForm):
    """Month, quarter or year holding a day, or any dates from–to."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    period = SelectField(_l("Period"), choices=[(kind, PERIOD_LABELS[kind]) for kind in PERIOD_KINDS],
                         default="month")
    day = BoundedDateField(_l("A day in the period"), validators=[Optional()])
    start = BoundedDateField(_l("From"), validators=[Optional()])
    end = BoundedDateField(_l("To"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.period.data != "custom":
            return True
        if self.start.data is None or self.end.data is None:
            self.start.errors.append(_l("Choose both dates."))
            return False
        if self.end.data < self.start.data:
            self.end.errors.append(_l("The end date cannot be before the start date."))
            return False
        if (self.end.data - self.start.data).days >= MAX_PERIOD_DAYS:
            self.end.errors.append(_l("Choose a period of at most ten years."))
            return False
        return True

    def bounds(self, today: date) -> tuple[date, date]:
        """(first day, last day) of the chosen period; call after `validate`."""
        if self.period.data == "custom":
            return self.start.data, self.end.data
        return period_bounds(self.period.data, self.day.data or today)
