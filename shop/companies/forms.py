"""Forms for company accounts: registration, invitation, joining by a link, a leader's decision."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..forms import CompanyForm, _row_id

_EMAIL = [DataRequired(message=_l("Write an e-mail address.")), Email(message=_l("Write a valid e-mail address.")),
          Length(max=254, message=_l("At most 254 characters."))]
_NAME = [DataRequired(message=_l("Write your name.")), Length(max=120, message=_l("At most 120 characters."))]
_PASSWORD = [DataRequired(message=_l("Choose a password.")), Length(max=200, message=_l("At most 200 characters."))]


class RegistrationForm(CompanyForm):
    name = StringField(_l("Your name"), validators=_NAME)
    email = EmailField(_l("Your e-mail"), validators=_EMAIL)
    password = PasswordField(_l("Choose a password (at least 8 characters)"), validators=_PASSWORD)
    submit = SubmitField(_l("Register the company"))


class InvitationForm(FlaskForm):
    email = EmailField(_l("Your colleague's e-mail"), validators=_EMAIL)
    submit = SubmitField(_l("Send the invitation"))


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"), validators=_NAME)
    password = PasswordField(_l("Choose a password (at least 8 characters)"), validators=_PASSWORD)
    submit = SubmitField(_l("Join the company"))


class DecisionForm(FlaskForm):
    customer_id = SelectField(_l("Customer record"), coerce=_row_id, validate_choice=False)
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))
