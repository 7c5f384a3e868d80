"""Every answer under /api/ is JSON, errors too: {code, status, message, errors?}.

Errors raised in the API's views go through `json_error` (registered on its blueprint for each code,
so they win over the app's HTML error pages). Errors that happen before a view is chosen (an unknown
address, a wrong method, a NUL character refused for every page) come back from the app as HTML:
`json_error_bodies` rewrites those in place, keeping their status and headers.
"""
import json

from flask import Response, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

API_PATH = "/api/"
#: A clear message for each status when the error carries none of its own.
MESSAGES = {
    400: _l("The request could not be read. Check the address, the parameters and the JSON body."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("Your token does not give access to this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not take that method."),
    409: _l("Someone changed this at the same time. Try again."),
    413: _l("The request is too large."),
    415: _l("Send the body as JSON (Content-Type: application/json)."),
    422: _l("Some fields are not right. See errors."),
    429: _l("Too many requests. Wait a moment and try again."),
    500: _l("Something went wrong on our side. Try again later."),
}
HANDLED_CODES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429)


def payload(code: int, message: str | None = None, errors: dict | None = None) -> dict:
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"),
            "message": message or str(MESSAGES.get(code, MESSAGES[400 if code < 500 else 500]))}
    if errors:
        body["errors"] = errors
    return body


def json_error(error: HTTPException):
    """The API's own errors: webargs/flask-smorest `abort` passes message, errors and headers in `data`."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers = dict(data.get("headers") or {})
    return payload(error.code, data.get("message"), errors), error.code, headers


def json_error_bodies(response: Response) -> Response:
    """After every request: an error under /api/ that is not JSON gets a JSON body (status and headers kept)."""
    if not request.path.startswith(API_PATH) or response.status_code < 400 or response.is_json:
        return response
    response.set_data(json.dumps(payload(response.status_code)))
    response.mimetype = "application/json"
    return response


def answer_in_json(blueprint) -> None:
    """Call where the blueprint is made (before it is registered)."""
    for code in HANDLED_CODES:
        blueprint.register_error_handler(code, json_error)
