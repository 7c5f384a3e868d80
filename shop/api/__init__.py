"""The JSON API (/api/v1/, OpenAPI 3 at /api/v1/openapi.json) and the page where a user makes her tokens.

It sits on top: it reads the shop's services (repairs, orders, impact), which read production and staffing.
"""
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_smorest import Api

from workshop.extensions import csrf
from workshop.inputs import IdConverter
from workshop.models import Role
from workshop.registry import add_nav_link

from . import errors
from . import models  # noqa: F401 - registers the table
from .cli import api_cli
from .schemas import ErrorSchema
from .token_views import blueprint as tokens_blueprint
from .views import blueprint as api_blueprint

API_SETTINGS = {
    "API_TITLE": "Stitchwork API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class StitchworkApi(Api):
    """flask-smorest's Api without its app-wide error handler: the HTML pages keep theirs,
    and the API's errors are made JSON by `errors.register`."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = StitchworkApi(app, spec_kwargs={"info": {
        "description": "Book clothing repairs and follow tickets (no login); follow a company's orders "
                       "(business customers and leaders); the impact figures of a workshop (leaders). "
                       "Make a token under 'API tokens' in your account and send it as "
                       "`Authorization: Bearer <token>`."}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_converter(IdConverter, lambda _converter: {"type": "integer", "minimum": 1,
                                                             "maximum": 2**31 - 1})
    api.register_blueprint(api_blueprint)
    csrf.exempt(api_blueprint)  # no cookies are read here: a token is sent with every request
    app.after_request(errors.json_error_bodies)
    app.register_blueprint(tokens_blueprint)
    app.cli.add_command(api_cli)
    add_nav_link(app, _l("API tokens"), "api_tokens.index", {Role.CUSTOMER}, icon="key", order=40)
    add_nav_link(app, _l("API tokens"), "api_tokens.index", {Role.LEADER}, icon="key", order=89, group="setup")
