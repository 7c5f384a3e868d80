"""Forms on the invoice pages: a leader registers a bank transfer; a customer pays online."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from workshop.inputs import BoundedDateField
from workshop.money import MoneyError, ore_from_kroner


def kroner_amount(zero_allowed: bool = False):
    """A validator of an amount in kroner ("1.234,50"): more than 0 (or 0 and more); its øre go into `field.ore`."""
    def check(_form, field) -> None:
        try:
            field.ore = ore_from_kroner(field.data or "")
        except MoneyError:
            raise ValidationError(_l("Write the amount in kroner, e.g. 1.234,50.")) from None
        if zero_allowed and field.ore < 0:
            raise ValidationError(_l("Write an amount of 0 kr. or more."))
        if not zero_allowed and field.ore <= 0:
            raise ValidationError(_l("The amount must be more than 0."))
    return check


class BankTransferForm(FlaskForm):
    amount = StringField(_l("Amount (kr.)"), validators=[
        DataRequired(message=_l("Write the amount.")), Length(max=20, message=_l("At most 20 characters.")), kroner_amount()])
    paid_on = BoundedDateField(_l("Paid on"), validators=[InputRequired(message=_l("Choose a day."))])
    reference = StringField(_l("Reference from the bank"), validators=[
        DataRequired(message=_l("Write the reference from the bank statement.")),
        Length(max=120, message=_l("At most 120 characters."))])
    submit = SubmitField(_l("Register payment"))


class PayOnlineForm(FlaskForm):
    """One button: the amount is what is due, computed on the server; nothing in the form counts."""

    submit = SubmitField(_l("Pay by card"))
