"""Her own account (password, log out everywhere, two-factor login), the second login step and
the password reset by e-mail. Thin views: the rules are in workshop/auth.py."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from . import auth
from .errors import DomainError
from .extensions import db, limiter
from .forms import (
    ChangePasswordForm, CodeForm, EmptyForm, EnrolForm, ForgotPasswordForm, NewPasswordForm, PasswordConfirmForm,
    show_domain_error,
)
from .models import User
from .security import (
    local_path, pending_login_key, public_form_limit, reset_address_key, reset_email_key, two_factor_address_key,
)
from .timeutil import utcnow

blueprint = Blueprint("auth", __name__)

#: How long the second login step waits for the code after the password was right.
PENDING_LOGIN_SECONDS = 300


def _config(name: str):
    return lambda: current_app.config[name]


def _not_redirected(response) -> bool:
    return response.status_code not in (302, 303)


# --- Logging in: the step after the password ------------------------------------------------------


def _fresh_session() -> None:
    """Nothing from before the login carries over into the logged-in session (no session fixation)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def complete_login(user: User) -> None:
    _fresh_session()
    login_user(user)
    session["locale"] = user.locale


def after_password(user: User, next_path: str | None):
    """The response once her password was right: logged in, or first asked for her two-factor code."""
    if user.has_two_factor:
        _fresh_session()
        session["pending_login"] = {"token": user.session_token, "at": int(utcnow().timestamp()),
                                    "next": local_path(next_path) or ""}
        return redirect(url_for("auth.login_code"))
    complete_login(user)
    if auth.must_enrol(user):
        flash(_("Your workshop requires two-factor login. Set it up now."), "info")
        return redirect(url_for("auth.two_factor"))
    return redirect(local_path(next_path) or url_for("workshop.home"))


def _pending_user() -> User | None:
    pending = session.get("pending_login") or {}
    if not pending.get("token") or int(utcnow().timestamp()) - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        return None
    user = db.session.scalar(select(User).where(User.session_token == pending["token"]))
    return user if user is not None and user.is_active and user.has_two_factor else None


@blueprint.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_config("TWO_FACTOR_RATE_LIMIT"), key_func=pending_login_key, methods=["POST"],
               deduct_when=_not_redirected)
@limiter.limit(_config("LOGIN_ADDRESS_RATE_LIMIT"), key_func=two_factor_address_key, methods=["POST"],
               deduct_when=_not_redirected)
def login_code():
    user = _pending_user()
    if user is None:
        session.pop("pending_login", None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("workshop.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if auth.check_second_factor(user, form.code.data):
            next_path = session["pending_login"].get("next")
            complete_login(user)
            db.session.commit()
            return redirect(local_path(next_path) or url_for("workshop.home"))
        db.session.commit()  # the failed try stays in the audit log
        form.code.errors.append(_("That code is not right. Try again."))
    return render_template("auth/login_code.html", form=form), 400 if form.is_submitted() else 200


def require_two_factor_enrolment():
    """Before every request: a leader whose workshop requires two-factor login sets it up first."""
    if (current_user.is_authenticated and request.endpoint not in ENROL_ALLOWED
            and not (request.endpoint or "").endswith("static") and auth.must_enrol(current_user)):
        return redirect(url_for("auth.two_factor"))
    return None


#: What a leader may open before she has set up the two-factor login her workshop requires.
ENROL_ALLOWED = {"auth.two_factor", "workshop.logout", "workshop.change_language", "workshop.health",
                 "workshop.ready"}


# --- Her account -------------------------------------------------------------------------------


def _account_page(status: int = 200, **forms):
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("disable_form", PasswordConfirmForm(formdata=None))
    return render_template("auth/account.html", end_form=EmptyForm(formdata=None),
                           may_use_two_factor=auth.may_use_two_factor(current_user), **forms), status


@blueprint.route("/account")
@login_required
def account():
    return _account_page()


@blueprint.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            auth.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            complete_login(user)  # a new token ended every login; this one goes on, freshly
            flash(_("Your new password is saved. You are logged out on your other devices."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(400, password_form=form)


@blueprint.route("/account/log-out-everywhere", methods=["POST"])
@login_required
def log_out_everywhere():
    if EmptyForm().validate_on_submit():
        auth.end_sessions_everywhere(current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash(_("You are logged out on all your devices, also this one."), "info")
    return redirect(url_for("workshop.login"))


@blueprint.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    user = current_user._get_current_object()
    if not auth.may_use_two_factor(user) or user.has_two_factor:
        return redirect(url_for("auth.account"))
    secret = session.get("totp_pending") or auth.new_totp_secret()
    session["totp_pending"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = auth.enable_two_factor(user, secret, form.code.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            session.pop("totp_pending", None)
            return render_template("auth/recovery_codes.html", codes=codes)
    return render_template("auth/two_factor.html", form=form, secret=secret,
                           qr=auth.totp_qr_data_uri(user, secret)), 400 if form.errors else 200


@blueprint.route("/account/two-factor/off", methods=["POST"])
@login_required
def two_factor_off():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            auth.disable_two_factor(current_user._get_current_object(), form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Two-factor login is turned off."), "info")
            return redirect(url_for("auth.account"))
    return _account_page(400, disable_form=form)


# --- A new password by e-mail --------------------------------------------------------------------


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_config("PASSWORD_RESET_RATE_LIMIT"), key_func=reset_address_key, methods=["POST"])
@limiter.limit(_config("PASSWORD_RESET_RATE_LIMIT"), key_func=reset_email_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        auth.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has a login.
        flash(_("If the address has a login, we have sent it a link to choose a new password. "
                "Look in your e-mail."), "info")
        return redirect(url_for("workshop.login"), 303)
    return render_template("auth/forgot.html", form=form), 400 if form.is_submitted() else 200


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@public_form_limit
def reset_password(token: str):
    g.token_page = True  # no Referer with the secret link, no cached copy (security.keep_pages_private)
    try:
        auth.valid_reset(token)
    except DomainError as error:
        return render_template("auth/reset_gone.html", message=error.message), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            auth.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your new password is saved. Log in with it."), "success")
            return redirect(url_for("workshop.login"), 303)
    return render_template("auth/reset.html", form=form), 400 if form.is_submitted() else 200
