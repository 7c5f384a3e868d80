"""Login, logout, language, the start page and the leader's workshop: its details and who else leads it."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from . import auth, services
from .auth_views import after_password
from .errors import DomainError
from .extensions import db, limiter
from .forms import AlsoLeadsForm, EmptyForm, LanguageForm, LoginForm, SiteForm, saved
from .models import Role, Site, User
from .readiness import readiness
from .registry import get_registry
from .security import (
    local_path, login_address_and_email_key, login_address_key, login_email_key, login_failed, role_required,
)

blueprint = Blueprint("workshop", __name__)


def _login_limit(setting: str):
    return lambda: current_app.config[setting]


@blueprint.route("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("workshop.login"))
    start_endpoint = get_registry(current_app).start_pages.get(current_user.role)
    if start_endpoint:
        return redirect(url_for(start_endpoint))
    return render_template("workshop/home.html")


@blueprint.route("/login", methods=["GET", "POST"])
# Only failed attempts count, three ways (see the rate limit keys in workshop/security.py).
@limiter.limit(_login_limit("LOGIN_RATE_LIMIT"), key_func=login_address_and_email_key, methods=["POST"],
               deduct_when=login_failed)
@limiter.limit(_login_limit("LOGIN_ACCOUNT_RATE_LIMIT"), key_func=login_email_key, methods=["POST"],
               deduct_when=login_failed)
@limiter.limit(_login_limit("LOGIN_ADDRESS_RATE_LIMIT"), key_func=login_address_key, methods=["POST"],
               deduct_when=login_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("workshop.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            response = after_password(user, form.next.data)
            db.session.commit()
            return response
    status = 400 if form.is_submitted() else 200
    return render_template("workshop/login.html", form=form), status


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        services.end_sessions(current_user._get_current_object())  # copies of her cookie stop working too
        db.session.commit()
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("workshop.login"))


@blueprint.route("/language", methods=["POST"])
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        flash(_("That language is not available."), "danger")
        return redirect(url_for("workshop.home")), 303
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        services.set_user_locale(current_user, form.locale.data)
        db.session.commit()
    return redirect(local_path(form.next.data) or url_for("workshop.home"))


@blueprint.route("/audit")
@role_required(Role.LEADER)
def audit_log():
    action = request.args.get("action") or None
    entries = services.audit_entries(action=action, site=current_user.site)
    return render_template("workshop/audit.html", entries=entries, action=action)


@blueprint.route("/site", methods=["GET", "POST"])
@role_required(Role.LEADER)
def site_settings():
    """The leader's own workshop: name, address, the webshop's pick-up hours, course places, the CVR and
    bank account for invoices, and whether its leaders must use two-factor login."""
    site = current_user.site
    form = SiteForm(obj=site)

    def save():
        services.update_site(site, form.name.data, form.capacity.data, form.address.data)
        services.update_site_pickup_hours(site, form.pickup_hours.data)
        services.update_site_invoicing(site, form.cvr.data, form.bank_reg_no.data, form.bank_account_no.data)
        auth.set_two_factor_rule(site, form.require_two_factor.data)

    if form.validate_on_submit() and saved(form, save, _("The workshop's details are saved.")):
        return redirect(url_for("workshop.site_settings"))
    return _site_page(form, _also_leads_form(formdata=None))


def _also_leads_form(**kwargs) -> AlsoLeadsForm | None:
    """The form for the leaders of her own site and her other sites; None when she leads only her own."""
    other_sites = services.sites_led_by(current_user)[1:]
    if not other_sites:
        return None
    form = AlsoLeadsForm(prefix="lead", **kwargs)
    form.user.choices = [(user.id, f"{user.name} ({user.email})") for user in services.leaders_at(current_user.site)
                         if user.id != current_user.id]
    form.site.choices = [(site.id, site.name) for site in other_sites]
    return form


def _site_page(form: SiteForm, lead_form: AlsoLeadsForm | None):
    leaders = ([(leader, services.sites_led_by(leader)) for leader in services.leaders_at(current_user.site)]
               if lead_form is not None else [])
    status = 400 if form.errors or (lead_form is not None and lead_form.errors) else 200
    return render_template("workshop/site.html", form=form, site=current_user.site, lead_form=lead_form,
                           leaders=leaders), status


@blueprint.route("/site/leaders", methods=["POST"])
@role_required(Role.LEADER)
def site_leaders():
    """A leader of several workshops lets a leader of her own workshop lead one of the others too, or no longer."""
    form = _also_leads_form()
    if form is None:
        abort(403)
    if form.validate_on_submit():
        user, site = db.session.get(User, form.user.data), db.session.get(Site, form.site.data)
        if form.withdraw.data:
            change = services.withdraw_also_leads
            message = _("%(name)s no longer leads %(site)s.", name=user.name, site=site.name)
        else:
            change = services.grant_also_leads
            message = _("%(name)s now leads %(site)s too.", name=user.name, site=site.name)
        if saved(form, lambda: change(user, site, actor=current_user), message):
            return redirect(url_for("workshop.site_settings"))
    return _site_page(SiteForm(obj=current_user.site, formdata=None), form)


@blueprint.route("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}


@blueprint.route("/readyz")
def ready():
    """200 when the database and Redis answer and the migrations are at head; else 503 saying which failed."""
    is_ready, checks = readiness()
    return checks, 200 if is_ready else 503
