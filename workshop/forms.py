from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, Length

from workshop.errors import DomainError
from workshop.extensions import db


class EmptyForm(FlaskForm):
    """A one-button POST: still goes through a form so CSRF applies."""

    submit = SubmitField(_l("OK"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"),
        choices=[("da", "Dansk"), ("en", "English")],
        validators=[DataRequired(), AnyOf(["da", "en"])],
    )
    next = HiddenField()
    submit = SubmitField(_l("Change"))


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
