"""The app factory: a short list of configure steps."""
import importlib
import logging

from flask import Flask, current_app, has_request_context, render_template, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli
from .config import PROJECT_ROOT, build_config
from .extensions import babel, bootstrap, cache, csrf, db, limiter, login_manager, migrate, talisman
from .i18n import current_locale_name, install_template_gettext, memoized_per_locale
from .inputs import IdConverter
from .models import Role, User
from .money import kroner
from .observability import configure_observability
from .static_files import configure_static_files
from .registry import add_nav_link, menu_for
from .security import FormRequest, end_expired_session, keep_pages_private, refuse_nul_characters, talisman_options
from .timeutil import minutes_to_hhmm, to_local
from .auth_views import blueprint as auth_blueprint
from .auth_views import require_two_factor_enrolment
from .views import blueprint as core_blueprint

log = logging.getLogger(__name__)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(build_config(app.instance_path))
    app.config.update(overrides or {})
    app.url_map.converters["int"] = IdConverter  # before any route is added
    configure_observability(app)
    configure_database_session(app)
    configure_extensions(app)
    configure_security(app)
    configure_templates(app)
    configure_static_files(app)
    configure_errors(app)
    app.register_blueprint(core_blueprint)
    app.register_blueprint(auth_blueprint)
    add_nav_link(app, _l("Workshop details"), "workshop.site_settings", {Role.LEADER}, icon="house-gear", order=80,
                 group="setup")
    cli.register(app)
    load_domain_packages(app)
    return app


def configure_database_session(app: Flask) -> None:
    """Timestamps are stored as UTC: make every PostgreSQL session speak UTC, whatever the server's zone."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c timezone=UTC"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Copenhagen")
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "workshop.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Flask-Babel caches the locale on the app context, which can outlive one
    # request (tests, CLI); each request must choose its own language.
    app.before_request(refresh)


def configure_security(app: Flask) -> None:
    app.request_class = FormRequest
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client's address and scheme as the trusted proxies tell them (rate limits, secure cookies).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(end_expired_session)
    app.before_request(require_two_factor_enrolment)
    app.before_request(refuse_nul_characters)
    # Security headers on every response, error pages too. keep_pages_private is registered
    # first because Flask runs after_request functions last-registered first: it sees Talisman's headers.
    app.after_request(keep_pages_private)
    talisman.init_app(app, **talisman_options(app.config))


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The active user whose session token this is (User.get_id); None leaves the visitor anonymous."""
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.is_active else None


@event.listens_for(Engine, "connect")
def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def select_locale() -> str:
    """The user's saved choice, then this browser's choice, then Danish."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs speak Danish
        return "da"
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    if session.get("locale") in supported:
        return session["locale"]
    return "da"


def percent_class(percent) -> str:
    """A progress bar's width as a class of static/css/stitchwork.css, 0 to 100 (no inline style under the CSP)."""
    return f"pct-{max(0, min(100, round(percent or 0)))}"


def configure_templates(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=memoized_per_locale(lambda ore: format_currency(kroner(ore or 0), "DKK")),
        localtime=memoized_per_locale(lambda moment, fmt="short": format_datetime(to_local(moment), fmt)
                                      if moment else ""),
        localdate=memoized_per_locale(lambda day, fmt="medium": format_date(day, fmt) if day else ""),
        hhmm=minutes_to_hhmm,
        hours=memoized_per_locale(lambda minutes: format_decimal((minutes or 0) / 60, format="#,##0.#")),
        percent_class=percent_class,
        number=lambda value: format_decimal(value or 0),
    )

    drawn_menus: dict[tuple, Markup] = {}

    @app.template_global()
    def main_menu() -> Markup:
        """The top bar's links for the signed-in role. They come from code, not data: each process draws
        them once per role, language and page (a leader's page draws some sixty links and icons)."""
        if not current_user.is_authenticated:
            return Markup("")
        key = (current_user.role, current_locale_name(), request.endpoint)
        if key not in drawn_menus:
            drawn_menus[key] = Markup(render_template("_nav_menu.html", nav_menu=menu_for(app, current_user.role),
                                                      active_endpoint=request.endpoint))
        return drawn_menus[key]

    @app.context_processor
    def navigation():
        links = []
        if current_user.is_authenticated:
            links = [link for entry in menu_for(app, current_user.role) for link in getattr(entry, "links", [entry])]
        return {
            "nav_links": links,
            # The language and logout forms are drawn by hand (a CSRF token and hidden fields): two
            # WTForms objects on every page cost more than the rest of the layout.
            # Never read from the request's body (which may be anything): error pages show them too.
            "language_next": request.full_path.rstrip("?"),
            "current_locale": select_locale(),
        }


def configure_errors(app: Flask) -> None:
    def page(template: str, status: int):
        return lambda error: (render_template(template, error=error), status)

    app.register_error_handler(400, page("errors/400.html", 400))
    app.register_error_handler(403, page("errors/403.html", 403))
    app.register_error_handler(404, page("errors/404.html", 404))
    app.register_error_handler(405, page("errors/405.html", 405))
    app.register_error_handler(429, page("errors/429.html", 429))
    app.register_error_handler(CSRFError, page("errors/csrf.html", 400))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/500.html"), 500


def load_domain_packages(app: Flask) -> None:
    """Load staffing, production and shop by name: the core never imports upward."""
    for name in app.config["DOMAIN_PACKAGES"]:
        importlib.import_module(name).init_app(app)
