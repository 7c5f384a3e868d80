"""Forms for a leader's set-up of the shop: the repair price list and business customers."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from production.forms import KronerField
from workshop.forms import CodedNameForm, WholeNumberField

from .models import CustomerKind

CUSTOMER_KIND_LABELS = {
    CustomerKind.BUSINESS: _l("Business"),
    CustomerKind.INSTITUTION: _l("Institution (museum, school, municipality)"),
    CustomerKind.PRIVATE: _l("Private person"),
}


def _row_id(value) -> int:
    """A posted id as a number; anything else becomes 0, which the service refuses in the user's language."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 10 else 0


class RepairTypeForm(CodedNameForm):
    """The service checks the ranges, the code and the operation against the site's own data."""

    price_ore = KronerField(_l("Price (kr.)"), validators=[InputRequired(message=_l("Write the price."))])
    standard_minutes = WholeNumberField(_l("Standard time (minutes)"), validators=[
        InputRequired(message=_l("Write the minutes the repair takes."))])
    operation_id = SelectField(_l("Operation"), coerce=_row_id, validate_choice=False, description=_l(
        "The work in production; its skill decides who can do it."))
    submit = SubmitField(_l("Save the repair"))


class CompanyForm(FlaskForm):
    """A company's own details: the leader's customer form and the registration from the login page."""

    company_name = StringField(_l("Company"), validators=[
        DataRequired(message=_l("Write the company's name.")), Length(max=160, message=_l("At most 160 characters."))])
    cvr = StringField(_l("CVR number"), validators=[Length(max=20, message=_l("A CVR number has 8 digits."))])
    ean = StringField(_l("EAN number (public institutions only)"),
                      validators=[Length(max=20, message=_l("An EAN number has 13 digits."))])
    billing_address = TextAreaField(_l("Address for the invoice"), validators=[
        Length(max=300, message=_l("At most 300 characters."))])
    delivery_address = TextAreaField(_l("Delivery address (if another)"), validators=[
        Length(max=300, message=_l("At most 300 characters."))])
    vat_exempt = BooleanField(_l("We do not pay VAT"))


class CustomerForm(CompanyForm):
    kind = RadioField(_l("Kind"), choices=[(kind.value, label) for kind, label in CUSTOMER_KIND_LABELS.items()],
                      default=CustomerKind.BUSINESS.value, validate_choice=False,
                      validators=[InputRequired(message=_l("Choose the kind of customer."))])
    contact_name = StringField(_l("Contact person"), validators=[
        Length(max=120, message=_l("At most 120 characters."))])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), Email(message=_l("Write a valid e-mail address.")),
        Length(max=254, message=_l("At most 254 characters."))])
    phone = TelField(_l("Phone"), validators=[Length(max=40, message=_l("At most 40 characters."))])
    submit = SubmitField(_l("Save the customer"))
