import secrets

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField, SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Regexp

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.inputs import whole_number


def request_key_field(required: bool = False) -> HiddenField:
    """A key made once per rendering of a form: the service that takes it does the work once, however
    often the same form is sent (a double tap, an answer lost and the form sent again)."""
    reload = _l("Reload the page and try again.")
    return HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[
        *([DataRequired(message=reload)] if required else []), Length(max=64, message=reload),
        Regexp(r"^[A-Za-z0-9_-]*$", message=reload)])


class EmptyForm(FlaskForm):
    """A one-button POST: still goes through a form so CSRF applies."""

    submit = SubmitField(_l("OK"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class CodeForm(FlaskForm):
    """The second login step: a code from her authenticator app, or one of her recovery codes."""

    code = StringField(_l("Code"), description=_l("The 6 digits your app shows now, or one of your recovery codes."),
                       validators=[DataRequired(message=_l("Write the code.")), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
    submit = SubmitField(_l("Log in"))


class EnrolForm(FlaskForm):
    code = StringField(_l("Code from the app"), validators=[DataRequired(message=_l("Write the code.")),
                                                             Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(_l("Turn on two-factor login"))


_NEW_PASSWORD = [DataRequired(message=_l("Choose a password.")),
                 Length(max=200, message=_l("At most 200 characters."))]


class NewPasswordForm(FlaskForm):
    """A new password, typed twice. The service checks length and the list of common passwords."""

    password = PasswordField(_l("New password"), description=_l(
        "At least 8 characters. A few words in a row are easy to remember and hard to guess."),
        validators=_NEW_PASSWORD, render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"), validators=[
        DataRequired(message=_l("Write the password again.")),
        EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    #: templates/auth/account.html shows it first


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class PasswordConfirmForm(FlaskForm):
    """A change that needs her password again (turning two-factor login off)."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Turn off two-factor login"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"),
        choices=[("da", "Dansk"), ("en", "English")],
        validators=[DataRequired(), AnyOf(["da", "en"])],
    )
    next = HiddenField()
    submit = SubmitField(_l("Change"))


class WholeNumberField(IntegerField):
    """An integer field that says what is wrong in the user's language."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        size = whole_number(text.removeprefix("-"))  # ASCII digits that fit an integer column
        if size is None:
            self.data = None
            raise ValueError(_l("Write a whole number."))
        self.data = -size if text.startswith("-") else size


class CodedNameForm(FlaskForm):
    """The fields every piece of reference data has: a code, a Danish and an English name.

    The service checks the code's form and that it is unique."""

    code = StringField(_l("Code"), description=_l("2-40 small letters, digits, - or _, e.g. straight_seams."),
                       validators=[DataRequired(message=_l("Write a code."))])
    name_da = StringField(_l("Name in Danish"), validators=[
        DataRequired(message=_l("Write the name in Danish.")), Length(max=120, message=_l("At most 120 characters."))])
    name_en = StringField(_l("Name in English"), validators=[Length(max=120, message=_l("At most 120 characters."))])


class SiteForm(FlaskForm):
    """A leader's own workshop; the slug is not here: it is printed on posters and QR codes."""

    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Write the workshop's name.")), Length(max=120, message=_l("At most 120 characters."))])
    address = StringField(_l("Address"), validators=[Length(max=200, message=_l("At most 200 characters."))])
    pickup_hours = StringField(_l("Pick-up hours for the webshop"), description=_l(
        "Shown to buyers on their order page and e-mail, e.g. Monday-Thursday 10-15. Empty: a general text."),
        validators=[Length(max=200, message=_l("At most 200 characters."))])
    capacity = WholeNumberField(_l("Course places"), validators=[
        InputRequired(message=_l("Write a whole number.")),
        NumberRange(min=1, max=500, message=_l("Between 1 and 500."))])
    #: Printed on the workshop's invoices (the service checks them).
    cvr = StringField(_l("CVR number"), validators=[Length(max=20, message=_l("At most 20 characters."))])
    bank_reg_no = StringField(_l("Bank registration number"), validators=[
        Length(max=20, message=_l("At most 20 characters."))])
    bank_account_no = StringField(_l("Bank account number"), validators=[
        Length(max=20, message=_l("At most 20 characters."))])
    require_two_factor = BooleanField(_l("Leaders must log in with a code from an app (two-factor login)"))
    submit = SubmitField(_l("Save"))


class AlsoLeadsForm(FlaskForm):
    """A leader of several workshops lets a leader of her own workshop lead one of the others too (or no longer)."""

    user = SelectField(_l("Leader of this workshop"), coerce=int)
    site = SelectField(_l("Also leads"), coerce=int)
    grant = SubmitField(_l("Add"))
    withdraw = SubmitField(_l("Withdraw"))


def show_domain_error(form: FlaskForm, error, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal (a DomainError) on the form field it names, or above the form.

    `aliases` maps a service's field name to the form's, where they differ.
    """
    name = (aliases or {}).get(error.field, error.field) if error.field else None
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]  # a tuple until the field is validated
    else:
        form.form_errors.append(error.message)


def saved(form: FlaskForm, action, message, aliases: dict[str, str] | None = None) -> bool:
    """A thin view's step after a valid form: run the service `action` and commit, saying `message`;
    or, when the service refuses, roll back and put its reason on the form. True when saved."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error, aliases)
        return False
    db.session.commit()
    flash(message, "success")
    return True
