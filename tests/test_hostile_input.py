"""A guard against the next 500 (issue 17): every route, as anonymous and each role, with hostile values.

The demo data gives real ids. For each route the crawl sends: its address with ids beyond the
column's range; each query parameter its module reads and each field of the forms it renders or
posts to, one at a time, set to each hostile value (the other fields keep their own values); and a
JSON body. A 500 fails the test. Runs on SQLite and PostgreSQL like every test.
"""
import inspect
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import select

from workshop.cli import seed_demo
from workshop.extensions import db
from workshop.models import Role, User

HOSTILE = ["", "x" * 100_000, "²", "a\x00b", str(10**30), "1e309", "0001-01-01", "9999-12-31", "-1", str(2**63)]
#: Sampled, to keep the run short: each query parameter gets these ...
QUERY_VALUES = ["²", str(10**30), "0001-01-01", "9999-12-31", "9999-W52", "x" * 100_000]
#: ... and each form field these on its own, with the form's other fields as the page filled them
#: (every field also gets every HOSTILE value at once with all the others).
FIELD_VALUES = ["1e309", str(10**30), "9999-12-31", "²"]
LOGINS = {Role.LEADER: "leder@ishoj.example", Role.STAFF: "personale@ishoj.example",
          Role.TRAINEE: "deltager01@ishoj.example", Role.CUSTOMER: "kunde@tekstilservice.example"}
#: Routes the crawl leaves alone: logging out ends the crawl's own session; optimising starts a process.
SKIPPED = {"static", "bootstrap.static", "workshop.logout", "planner.optimise"}

#: 500s that belong to other engineers' findings of issue 17; the lead removes them after merging.
KNOWN = [
    (re.compile(r"JSON body"), "issue 17, finding 6 (JSON bodies): another engineer's fix"),
    (re.compile(r"\x00|a%00b"), "issue 17, finding 6 (NUL bytes on PostgreSQL): another engineer's fix"),
    (re.compile(r"^POST /people/\d+/edit "), "issue 17, finding 1 (staffing person edit): another engineer's fix"),
    (re.compile(r"^POST /floor/"), "issue 17, finding 2 (shop-floor record): another engineer's fix"),
    (re.compile(r"^POST /webhooks/stripe"), "issue 17, finding 12 (Stripe webhook): another engineer's fix"),
]


class _Forms(HTMLParser):
    """The forms of a page: [(method, action, {field: value})]."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").lower(), attrs.get("action") or "", {}))
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            fields = self.forms[-1][2]
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs and attrs["name"] in fields:
                return
            fields.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "option" and self.forms and self.forms[-1][2] is not None:
            pass


def _forms(html: str, page: str) -> list[tuple[str, str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [(method, urlsplit(action).path or urlsplit(page).path, fields) for method, action, fields in parser.forms]


def _query_names(view) -> set[str]:
    """The query parameters a view's module reads (request.args.get("name") or request.args["name"])."""
    source = inspect.getsource(sys.modules[inspect.unwrap(view).__module__])
    return set(re.findall(r"request\.args(?:\.get\(|\[)\"([a-z_]+)\"", source)) | {"next"}


def _real_ids() -> dict[str, int]:
    """A real id for each `<int:...>` argument: the lowest id of the table it names."""
    ids = {}
    for table in db.metadata.sorted_tables:
        if "id" in table.c:
            lowest = db.session.scalar(select(table.c.id).order_by(table.c.id).limit(1))
            singular = table.name.removesuffix("s").removesuffix("ie") + ("y" if table.name.endswith("ies") else "")
            ids[singular.split("_")[-1] + "_id"] = lowest
            ids[singular + "_id"] = lowest
    ids.update(day=0, plan_id=ids.get("plan_id") or 1)
    return ids


def _address(rule, ids: dict[str, int], beyond: int | None = None) -> str | None:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if converter in ("IdConverter", "IntegerConverter"):
            values[name] = beyond if beyond is not None else ids.get(name) or 1
        else:
            values[name] = {"slug": "ishoj", "day": "2026-12-01", "token": "x" * 32}.get(name, "x")
    return rule.build(values, append_unknown=False)[1]


def _log_in(client, role):
    with client.session_transaction() as session:
        session.clear()
        if role is not None:
            session["_user_id"] = str(db.session.scalar(select(User.id).where(User.email == LOGINS[role])))
            session["_fresh"] = True


def _crawl(app, client, role) -> list[str]:
    """Every route as `role`; returns "METHOD path field=value: status" for each 500."""
    errors: list[str] = []
    ids = _real_ids()
    forms: dict[str, dict[str, str]] = {}

    def send(method: str, path: str, label: str, **kwargs):
        _log_in(client, role)
        try:
            response = client.open(path, method=method, **kwargs)
        except Exception as error:  # even the 500 page failed
            errors.append(f"{method} {path} {label}: {error!r}"[:300])
            return None
        if response.status_code >= 500:
            errors.append(f"{method} {path} {label}: {response.status_code}")
        return response

    rules = sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED),
                   key=lambda rule: rule.rule)
    # First every page with real ids, to collect the forms (also the POST-only routes' forms, on other pages).
    for rule in rules:
        if "GET" in rule.methods:
            path = _address(rule, ids)
            response = send("GET", path, "plain")
            if response is not None and response.status_code == 200 and response.mimetype == "text/html":
                for method, action, fields in _forms(response.get_data(as_text=True), path):
                    forms.setdefault(f"{method} {action}", {}).update(fields)
    for rule in rules:
        path = _address(rule, ids)
        view = app.view_functions[rule.endpoint]
        for beyond in (2**31, 2**63):
            if any(type(rule._converters[name]).__name__ == "IdConverter" for name in rule.arguments):
                send("GET" if "GET" in rule.methods else "POST", _address(rule, ids, beyond), f"id {beyond}")
        if "GET" in rule.methods:
            fields = {**{name: "" for name in _query_names(view)}, **forms.get(f"get {path}", {})}
            for name in fields:
                for value in QUERY_VALUES:
                    send("GET", f"{path}?{urlencode({name: value})}", f"{name}={value[:20]!r}")
        if "POST" in rule.methods:
            fields = {key: value for key, value in forms.get(f"post {path}", {}).items() if key != "csrf_token"}
            send("POST", path, "JSON body", data="[1]", content_type="application/json")
            for value in HOSTILE:
                send("POST", path, f"every field={value[:20]!r}", data={name: value for name in fields or ["field"]})
            for name in fields:
                for value in FIELD_VALUES:
                    send("POST", path, f"{name}={value[:20]!r}", data={**fields, name: value})
    return errors


@pytest.fixture
def demo(app):
    app.config["REPAIRS_BOOKING_RATE_LIMIT"] = "100000 per minute"
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to count, not an exception in the test
    app.test_cli_runner().invoke(seed_demo)
    yield
    app.config.pop("REPAIRS_BOOKING_RATE_LIMIT", None)
    app.config.pop("PROPAGATE_EXCEPTIONS", None)


@pytest.mark.parametrize("role", [None, Role.LEADER, Role.STAFF, Role.TRAINEE, Role.CUSTOMER],
                         ids=["anonymous", "leader", "staff", "trainee", "customer"])
def test_no_route_answers_hostile_input_with_a_500(app, client, demo, role):
    errors = _crawl(app, client, role)
    unknown = [error for error in errors if not any(pattern.search(error) for pattern, _reason in KNOWN)]
    assert not unknown, "\n".join(unknown[:60])
    if errors:
        reasons = sorted({reason for error in errors for pattern, reason in KNOWN if pattern.search(error)})
        pytest.xfail("; ".join(reasons) + f" ({len(errors)} requests)")
