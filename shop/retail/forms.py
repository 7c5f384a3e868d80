"""Forms of the stock page. The item choices (and the other workshops) are filled in by the view."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workshop.forms import WholeNumberField, request_key_field
from ..orders.invoice_forms import kroner_amount

from .stock import MAX_QUANTITY

ITEM_REQUIRED = _l("Choose a product.")


class LevelsForm(FlaskForm):
    item = SelectField(_l("Product"), validators=[DataRequired(message=ITEM_REQUIRED)])
    min_level = WholeNumberField(_l("Minimum"), description=_l("Below this a restock is proposed (0 = never)."),
                                 validators=[InputRequired(message=_l("Write a whole number.")),
                                             NumberRange(min=0, max=MAX_QUANTITY,
                                                         message=_l("Between 0 and 100000."))])
    target_level = WholeNumberField(_l("Target"), description=_l("A restock fills up to this."),
                                    validators=[InputRequired(message=_l("Write a whole number.")),
                                                NumberRange(min=0, max=MAX_QUANTITY,
                                                            message=_l("Between 0 and 100000."))])
    submit = SubmitField(_l("Save levels"))


class AdjustForm(FlaskForm):
    item = SelectField(_l("Product"), validators=[DataRequired(message=ITEM_REQUIRED)])
    quantity = WholeNumberField(_l("Change in number"), description=_l("E.g. 3 found, or -2 broken."),
                                validators=[InputRequired(message=_l("Write a whole number.")),
                                            NumberRange(min=-MAX_QUANTITY, max=MAX_QUANTITY,
                                                        message=_l("Between -100000 and 100000."))])
    reason = StringField(_l("Reason"), validators=[DataRequired(message=_l("Write why the stock is adjusted.")),
                                                   Length(max=300, message=_l("At most 300 characters."))])
    submit = SubmitField(_l("Adjust stock"))


class MoveForm(FlaskForm):
    item = SelectField(_l("Product"), validators=[DataRequired(message=ITEM_REQUIRED)])
    to_site_id = SelectField(_l("To workshop"), coerce=int,
                             validators=[InputRequired(message=_l("Choose another workshop to move the items to."))])
    quantity = WholeNumberField(_l("Number"), validators=[InputRequired(message=_l("Write a whole number.")),
                                                          NumberRange(min=1, max=MAX_QUANTITY,
                                                                      message=_l("Between 1 and 100000."))])
    reason = StringField(_l("Note"), validators=[Length(max=300, message=_l("At most 300 characters."))])
    submit = SubmitField(_l("Move items"))


class RestockForm(FlaskForm):
    """One click on a proposal: the server works the quantity out again."""

    item = HiddenField(validators=[DataRequired(message=ITEM_REQUIRED)])
    submit = SubmitField(_l("Create restock work order"))


# --- The till -----------------------------------------------------------------------------------

PAYMENT_LABELS = {"cash": _l("Cash"), "card_terminal": _l("Card terminal"), "mobilepay": _l("MobilePay")}


class BasketForm(FlaskForm):
    """Set how many of one item the basket holds (0 takes it out)."""

    item = HiddenField(validators=[DataRequired(message=ITEM_REQUIRED)])
    quantity = WholeNumberField(_l("How many"), default=1, validators=[
        InputRequired(message=_l("Write a whole number.")),
        NumberRange(min=0, max=999, message=_l("Write a number from 0 to %(max)d.", max=999))])


class SellForm(FlaskForm):
    #: Sending the same form again never makes a second receipt.
    request_key = request_key_field()
    payment_method = RadioField(_l("The customer pays with"), choices=list(PAYMENT_LABELS.items()),
                                validators=[InputRequired(message=_l("Choose how the customer pays."))])
    submit = SubmitField(_l("Sell"))


class ReturnForm(FlaskForm):
    """Items back against a receipt; the quantities per line are read by the view (one field per line)."""

    reason = StringField(_l("Why do the items come back?"), validators=[
        DataRequired(message=_l("Write why the items come back.")), Length(max=300, message=_l("At most 300 characters."))])
    payment_method = RadioField(_l("Money back as"), choices=list(PAYMENT_LABELS.items()),
                                validators=[InputRequired(message=_l("Choose how the money goes back."))])
    #: Sending the same form again never gives the money back twice.
    request_key = request_key_field()
    submit = SubmitField(_l("Return the items"))


class CloseDayForm(FlaskForm):
    float_amount = StringField(_l("Change in the drawer this morning (kr.)"), default="500,00", validators=[
        DataRequired(message=_l("Write the amount.")), Length(max=20, message=_l("At most 20 characters.")),
        kroner_amount(zero_allowed=True)])
    counted_cash = StringField(_l("Cash counted in the drawer now (kr.)"), validators=[
        DataRequired(message=_l("Write the amount.")), Length(max=20, message=_l("At most 20 characters.")),
        kroner_amount(zero_allowed=True)])
    submit = SubmitField(_l("Close the day"))
