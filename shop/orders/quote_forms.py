"""Forms for quotes and proofs: the leader's quote, her acceptance, a proof and the answer to it."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from production.forms import KronerField
from workshop.forms import WholeNumberField
from workshop.inputs import BoundedDateField


class LinePriceForm(Form):
    """One line's unit price (kroner, excl. VAT) and why it differs from the list price."""

    unit_price = KronerField(_l("Unit price (kr., excl. VAT)"), validators=[InputRequired(message=_l("Write a price."))])
    reason = StringField(_l("Reason for the price"), validators=[Length(max=200, message=_l("At most 200 characters."))])


class QuoteForm(FlaskForm):
    lines = FieldList(FormField(LinePriceForm), max_entries=20)
    deposit_percent = WholeNumberField(_l("Deposit (%)"), validators=[
        InputRequired(message=_l("Write a whole number.")), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))])
    payment_terms_days = WholeNumberField(_l("Payment terms (days)"), validators=[
        InputRequired(message=_l("Write a whole number.")), NumberRange(min=0, max=60, message=_l("Between 0 and 60."))])
    valid_until = BoundedDateField(_l("Valid until"), validators=[InputRequired(message=_l("Choose a date."))])
    promised_date = BoundedDateField(_l("Promised delivery date"), validators=[
        InputRequired(message=_l("Choose a date."))])
    message = TextAreaField(_l("Message to the customer"), validators=[
        Length(max=2000, message=_l("At most 2000 characters."))])
    order_version = HiddenField()
    preview = SubmitField(_l("Show the prices again"))
    send = SubmitField(_l("Send the quote"))


class AcceptForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Write your name.")), Length(max=120, message=_l("At most 120 characters."))])
    confirm = BooleanField(_l("I accept the quote for my company"), validators=[
        DataRequired(message=_l("Tick the box to say yes."))])
    submit = SubmitField(_l("Accept the quote"))


class ProofDecisionForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Write your name.")), Length(max=120, message=_l("At most 120 characters."))])
    comment = TextAreaField(_l("What should we change?"), validators=[
        Length(max=1000, message=_l("At most 1000 characters."))])
    approve = SubmitField(_l("Approve the proof"))
    changes = SubmitField(_l("Ask for changes"))


class ProofUploadForm(FlaskForm):
    image = FileField(_l("Picture (PNG or JPEG)"), validators=[FileRequired(message=_l("Choose a picture."))])
    note = TextAreaField(_l("Note to the customer"), validators=[Length(max=1000, message=_l("At most 1000 characters."))])
    submit = SubmitField(_l("Upload the proof"))
