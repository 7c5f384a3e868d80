"""Forms for repair booking (public), the front desk and drop-off slots.

Choice fields do not check their choices here: the services check every value
against the site's own data and say what is wrong in the resident's language.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.forms import request_key_field
from workshop.inputs import BoundedDateField, whole_number

from .catalogue import GARMENT_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def id_list(values) -> list[int]:
    """Ids from checkbox values; anything that is not a number becomes -1 (refused by the service)."""
    return [-1 if (number := whole_number(value)) is None else number for value in values or []]


class BookingForm(FlaskForm):
    garment = RadioField(_l("What is it?"), choices=[(kind.value, label) for kind, label in GARMENT_LABELS.items()],
                         validate_choice=False, validators=[InputRequired(message=_l("Choose the kind of garment."))])
    repairs = MultiCheckboxField(_l("What should we do?"), coerce=str, validate_choice=False)
    slot = RadioField(_l("When will you bring it?"), coerce=str, validate_choice=False,
                      validators=[InputRequired(message=_l("Choose a time to bring the garment."))])
    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Write your name.")), Length(max=80, message=_l("At most 80 characters."))])
    phone = TelField(_l("Phone"), validators=[
        DataRequired(message=_l("Write your phone number.")), Length(max=30, message=_l("At most 30 characters."))])
    email = EmailField(_l("E-mail (optional)"), validators=[
        Optional(), Length(max=254, message=_l("At most 254 characters."))])
    consent = BooleanField(_l("You may send me an SMS or e-mail about this repair."), validators=[
        DataRequired(message=_l("Please accept that we may contact you about the repair."))])
    #: One key per filled-in form, so a double tap books once.
    request_key = request_key_field()
    submit = SubmitField(_l("Book"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Ticket number, QR code or phone"), validators=[Length(max=300)])


class ReceiveForm(FlaskForm):
    repairs = MultiCheckboxField(_l("Repairs"), coerce=str, validate_choice=False)
    price = StringField(_l("Price in kroner (empty: the price list)"),
                        validators=[Length(max=20, message=_l("At most 20 characters."))])
    damage_note = TextAreaField(_l("Damage or notes"), validators=[
        Length(max=300, message=_l("At most 300 characters."))])
    submit = SubmitField(_l("Receive the garment"))


class WalkInForm(ReceiveForm):
    """A resident walks in: the desk fills in her ticket and receives the garment at once."""

    garment = RadioField(_l("Garment"), choices=[(kind.value, label) for kind, label in GARMENT_LABELS.items()],
                         validate_choice=False, validators=[InputRequired(message=_l("Choose the kind of garment."))])
    name = StringField(_l("The resident's name"), validators=[
        DataRequired(message=_l("Write the resident's name.")), Length(max=80, message=_l("At most 80 characters."))])
    phone = TelField(_l("Phone"), validators=[
        DataRequired(message=_l("Write the resident's phone number.")),
        Length(max=30, message=_l("At most 30 characters."))])
    email = EmailField(_l("E-mail (optional)"), validators=[
        Optional(), Length(max=254, message=_l("At most 254 characters."))])
    locale = RadioField(_l("Messages in"), choices=[("da", "Dansk"), ("en", "English")], default="da",
                        validate_choice=False)
    consent = BooleanField(_l("I asked, and the resident says yes: we may send her an SMS or e-mail about "
                              "this repair."), validators=[DataRequired(message=_l(
                                  "Ask the resident if we may send her an SMS or e-mail about the repair, "
                                  "and tick the box."))])
    #: One key per filled-in form, so a double click makes one ticket.
    request_key = request_key_field()
    submit = SubmitField(_l("Make the ticket"))


class CollectForm(FlaskForm):
    method = RadioField(_l("Paid with"), validate_choice=False,
                        validators=[InputRequired(message=_l("Choose how the customer paid."))])
    amount = StringField(_l("Amount in kroner (empty: the ticket's price)"),
                         validators=[Length(max=20, message=_l("At most 20 characters."))])
    submit = SubmitField(_l("Paid and collected"))


class NoteForm(FlaskForm):
    note = StringField(_l("Note"), validators=[Length(max=300, message=_l("At most 300 characters."))])
    #: "overdue" sends the leader back to the overdue list.
    back = HiddenField()
    submit = SubmitField(_l("OK"))


class SlotForm(FlaskForm):
    day = BoundedDateField(_l("Day"), validators=[InputRequired(message=_l("Choose a day."))])
    start = TimeField(_l("From"), validators=[InputRequired(message=_l("Choose a time."))])
    end = TimeField(_l("To"), validators=[InputRequired(message=_l("Choose a time."))])
    capacity = IntegerField(_l("Garments"), default=4, validators=[
        InputRequired(message=_l("Write a number.")),
        NumberRange(min=1, max=50, message=_l("Between 1 and 50."))])
    submit = SubmitField(_l("Add the time"))


class LookupPhoneForm(FlaskForm):
    """A resident asks for her tickets: her phone number first."""

    phone = TelField(_l("Your phone number"), validators=[
        DataRequired(message=_l("Write your phone number.")), Length(max=30, message=_l("At most 30 characters."))])
    submit = SubmitField(_l("Send me a code"))


class LookupCodeForm(FlaskForm):
    """Then the code we sent her."""

    code = StringField(_l("The code"), validators=[
        DataRequired(message=_l("Write the code.")), Length(max=20, message=_l("At most 20 characters."))])
    submit = SubmitField(_l("Show my repairs"))


class EraseResidentForm(FlaskForm):
    """Erasing a resident's name and contact cannot be undone: the leader types the word to confirm it."""

    confirm = StringField(_l("Type ERASE to confirm"), validators=[
        DataRequired(message=_l("Type ERASE to confirm.")),
        AnyOf(["ERASE", "SLET"], message=_l("Type ERASE to confirm."))])
    submit = SubmitField(_l("Erase the resident"))
