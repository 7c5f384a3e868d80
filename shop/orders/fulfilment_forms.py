"""The delivery form: a date, a note and one quantity per order line (0 to what is left)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from workshop.forms import WholeNumberField
from workshop.inputs import BoundedDateField
from workshop.timeutil import local_today

from .models import Order


class DeliveryForm(FlaskForm):
    delivered_on = BoundedDateField(_l("Delivery date"), default=local_today,
                                    validators=[InputRequired(message=_l("Choose a date."))])
    note = TextAreaField(_l("Note on the delivery note"), validators=[
        Length(max=500, message=_l("At most 500 characters."))])
    submit = SubmitField(_l("Record delivery"))

    def line_fields(self):
        """(order line id, its quantity field), in the order's line order."""
        return [(line_id, self[f"line_{line_id}"]) for line_id in self.line_ids]

    def quantities(self) -> dict[int, int]:
        return {line_id: field.data or 0 for line_id, field in self.line_fields()}


def delivery_form_for(order: Order, left: dict[int, int], **kwargs) -> DeliveryForm:
    """A delivery form with a quantity field per line, bounded by what is left to deliver."""

    class OrderDeliveryForm(DeliveryForm):
        line_ids = [line.id for line in order.lines]

    for line in order.lines:
        label = f"{line.product.name}" + (f" ({line.variant.label})" if line.variant else "")
        setattr(OrderDeliveryForm, f"line_{line.id}", WholeNumberField(
            label, default=0, description=_l("%(left)d left to deliver", left=left[line.id]),
            validators=[Optional(), NumberRange(min=0, max=left[line.id],
                                                message=_l("Between 0 and %(max)d."))]))
    return OrderDeliveryForm(**kwargs)
