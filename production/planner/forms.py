from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from workshop.inputs import BoundedDateField


class PlanWeekForm(FlaskForm):
    week = BoundedDateField(_l("Week (any day in it)"), validators=[DataRequired()])
    budget_hours = IntegerField(_l("Paid hours budget"), default=0,
                                validators=[InputRequired(), NumberRange(min=0, max=2000)])
    submit = SubmitField(_l("Plan the week"))


class ReplanForm(FlaskForm):
    budget_hours = IntegerField(_l("Paid hours budget"), validators=[InputRequired(), NumberRange(min=0, max=2000)])
    submit = SubmitField(_l("Plan again"))
