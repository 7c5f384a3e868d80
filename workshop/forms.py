from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, Length


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
