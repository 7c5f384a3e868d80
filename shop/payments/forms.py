"""The leader's refund form: an amount in kroner ("120" or "95,50") and why."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from workshop.forms import request_key_field
from workshop.money import MoneyError, ore_from_kroner


class RefundForm(FlaskForm):
    """Field ids carry the payment's id (`refund-<id>-amount`), so a page can hold one form per payment."""

    amount = StringField(_l("Amount to give back (kr.)"), validators=[
        DataRequired(message=_l("Write the amount in kroner, e.g. 120 or 95,50.")),
        Length(max=20, message=_l("Write the amount in kroner, e.g. 120 or 95,50."))])
    reason = TextAreaField(_l("Why is the money given back?"), validators=[
        DataRequired(message=_l("Write why the money is given back.")),
        Length(max=300, message=_l("At most 300 characters."))])
    #: One key per filled-in form, so a double click refunds once.
    request_key = request_key_field(required=True)
    #: The page to go back to (checked to be on this site).
    next = HiddenField(validators=[Length(max=500)])
    submit = SubmitField(_l("Give the money back"))

    #: The amount in øre, once the form is valid.
    amount_ore: int | None = None

    def validate_amount(self, field):
        try:
            self.amount_ore = ore_from_kroner(field.data)
        except MoneyError:
            raise ValidationError(_l("Write the amount in kroner, e.g. 120 or 95,50.")) from None
        if self.amount_ore <= 0:
            raise ValidationError(_l("The amount must be more than 0 kr."))


def refund_form(online_payment_id: int, next_url: str | None = None) -> RefundForm:
    """The refund form of one payment: blank to show (with the page to go back to), or, without
    `next_url`, as posted."""
    form = RefundForm() if next_url is None else RefundForm(formdata=None, next=next_url)
    for field in form:
        field.id = field.label.field_id = f"refund-{online_payment_id}-{field.name}"
    return form
