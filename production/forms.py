from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from workshop.inputs import BoundedDateField
from workshop.money import MoneyError, ore_from_kroner

#: Bootstrap icons a leader can choose as an operation's pictogram.
PICTOGRAMS = (
    "scissors", "pencil", "stars", "flower1", "thermometer-half", "check2-circle", "box-seam", "rulers", "bag",
    "bandaid", "person-standing-dress", "brush", "palette", "tag", "heart", "gift", "hand-index", "gear",
    "lightning", "droplet", "star", "flag", "key", "handbag",
)
LEVELS_0_2 = [(0, _l("0 - none")), (1, _l("1 - some")), (2, _l("2 - a lot"))]


class KronerField(StringField):
    """An amount in kroner ("45" or "45,50"), kept as øre in `data`."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = ore_from_kroner(valuelist[0])
            except MoneyError:
                raise ValueError(_l("Write an amount in kroner, e.g. 45,50.")) from None
            if self.data < 0:
                raise ValueError(_l("An amount cannot be below 0."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data // 100},{self.data % 100:02d}"


class OperationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_da = StringField(_l("Name in Danish"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=120)])
    skill_id = SelectField(_l("Skill"), coerce=int, validators=[InputRequired()])
    min_skill_level = SelectField(_l("Lowest skill level"), coerce=int, choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")])
    lift_kg = IntegerField(_l("Lifting (kg)"), default=0, validators=[InputRequired(), NumberRange(0, 100)])
    standing_minutes = IntegerField(_l("Standing (minutes at a time, 0 = seated)"), default=0,
                                    validators=[InputRequired(), NumberRange(0, 600)])
    fine_motor = SelectField(_l("Fine motor work"), coerce=int, choices=LEVELS_0_2)
    concentration = SelectField(_l("Concentration"), coerce=int, choices=LEVELS_0_2)
    noisy = BooleanField(_l("Noisy"))
    pictogram = SelectField(_l("Pictogram"), choices=[(name, name) for name in PICTOGRAMS])
    submit = SubmitField(_l("Save"))


class ProductForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_da = StringField(_l("Name in Danish"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])
    material_cost_ore = KronerField(_l("Material cost per piece (kr.)"), validators=[InputRequired()])
    unit_price_ore = KronerField(_l("Price per piece excl. VAT (kr.)"), validators=[InputRequired()])
    sold_in_retail = BooleanField(_l("Sold in the shop"))
    is_prototype = BooleanField(_l("Prototype"))
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class RoutingStepForm(FlaskForm):
    operation_id = SelectField(_l("Operation"), coerce=int, validators=[InputRequired()])
    seconds_per_unit = IntegerField(_l("Seconds per piece"), validators=[InputRequired(), NumberRange(1, 86_400)])
    setup_minutes = IntegerField(_l("Set-up (minutes)"), default=0, validators=[InputRequired(), NumberRange(0, 600)])
    submit = SubmitField(_l("Add step"))


class StepTimeForm(FlaskForm):
    seconds_per_unit = IntegerField(_l("Seconds per piece"), validators=[InputRequired(), NumberRange(1, 86_400)])
    setup_minutes = IntegerField(_l("Set-up (minutes)"), validators=[InputRequired(), NumberRange(0, 600)])
    submit = SubmitField(_l("Save"))


class MoveStepForm(FlaskForm):
    direction = SelectField(choices=[("up", "up"), ("down", "down")])
    submit = SubmitField(_l("Move"))


class VariantForm(FlaskForm):
    label = StringField(_l("Variant (size, colour)"), validators=[DataRequired(), Length(max=80)])
    submit = SubmitField(_l("Add variant"))


class WorkOrderForm(FlaskForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[InputRequired()])
    variant_id = SelectField(_l("Variant"), coerce=int, default=0)
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(1, 100_000)])
    due_date = BoundedDateField(_l("Due date"), validators=[InputRequired()])
    source_kind = SelectField(_l("Why"), choices=[("restock", _l("Restock the shop")), ("internal", _l("Internal job"))])
    source_label = StringField(_l("What it is for"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create work order"))


class TaskStatusForm(FlaskForm):
    status = SelectField(_l("New status"), validators=[InputRequired()])
    submit = SubmitField(_l("Change"))


class ReworkForm(FlaskForm):
    quantity = IntegerField(_l("Pieces to redo"), validators=[InputRequired(), NumberRange(1, 100_000)])
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Send back for rework"))


class StopForm(FlaskForm):
    quantity = IntegerField(_l("Pieces made"), default=0, validators=[InputRequired(), NumberRange(0, 100_000)])
    submit = SubmitField(_l("Stop"))


class RecordForm(FlaskForm):
    minutes = IntegerField(_l("Minutes worked"), validators=[InputRequired(), NumberRange(1, 720)])
    quantity = IntegerField(_l("Pieces made"), default=0, validators=[InputRequired(), NumberRange(0, 100_000)])
    #: Shown to leaders only: more minutes than the shop floor finds plausible, or paid past her limits.
    override_reason = StringField(_l("Leader's reason for more minutes or paid hours"),
                                  validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))
