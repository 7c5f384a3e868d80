"""Forms of the webshop (cart, checkout), the web-order list and the maker consents. Choices are filled in by the views."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workshop.forms import WholeNumberField

from .webshop import MAX_CART_QUANTITY

QUANTITY_MESSAGE = _l("Write a number from 1 to %(max)d.", max=MAX_CART_QUANTITY)


class CartForm(FlaskForm):
    """Add an item to the cart, or set its quantity (0 removes it)."""

    item = HiddenField(validators=[DataRequired(message=_l("Choose a product."))])
    quantity = WholeNumberField(_l("How many"), default=1,
                                validators=[InputRequired(message=QUANTITY_MESSAGE),
                                            NumberRange(min=0, max=MAX_CART_QUANTITY, message=QUANTITY_MESSAGE)])
    submit = SubmitField(_l("Put in cart"))


class CheckoutForm(FlaskForm):
    site_id = SelectField(_l("Pick up at"), coerce=int,
                          validators=[DataRequired(message=_l("Choose where you will pick up the items."))])
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Write your name.")),
                                                     Length(max=80, message=_l("At most 80 characters."))])
    email = StringField(_l("E-mail"), description=_l("We send the link to your order here."),
                        validators=[DataRequired(message=_l("Write your e-mail address.")),
                                    Length(max=254, message=_l("At most 254 characters."))],
                        render_kw={"autocomplete": "email", "inputmode": "email"})
    phone = StringField(_l("Phone"), validators=[DataRequired(message=_l("Write your phone number.")),
                                                 Length(max=40, message=_l("At most 40 characters."))],
                        render_kw={"autocomplete": "tel", "inputmode": "tel"})
    payment = RadioField(_l("Payment"), choices=[("at_pickup", _l("Pay when I pick it up")),
                                                 ("stripe", _l("Pay now with card"))],
                         default="at_pickup", validators=[DataRequired(message=_l("Choose how you will pay."))])
    submit = SubmitField(_l("Place order"))


class CollectForm(FlaskForm):
    method = SelectField(_l("She paid with"), validators=[DataRequired(message=_l("Choose how she paid."))])
    submit = SubmitField(_l("Collected"))


class ConsentForm(FlaskForm):
    person_id = SelectField(_l("Maker"), coerce=int, validators=[DataRequired(message=_l("Choose a person."))])
    given_on = DateField(_l("Signed on"), validators=[InputRequired(message=_l("Write the day she signed."))])
    submit = SubmitField(_l("Record consent"))
