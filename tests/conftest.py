"""Shared fixtures. Every test runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set. The schema is built by the real Alembic migrations."""
import os
import threading
from datetime import datetime

import pytest
import time_machine
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from tests.browser.axe import AxeChecker
from workshop import create_app
from workshop import services as core
from workshop.extensions import cache, db, limiter
from workshop.models import Role
from workshop.timeutil import LOCAL_ZONE

#: Every test starts at this moment unless it is marked `any_day`: Monday morning in
#: Copenhagen, before the workshop opens. The clock then runs on from there.
SUITE_NOW = datetime(2026, 11, 23, 8, 0, tzinfo=LOCAL_ZONE)

#: Awkward moments that tests marked `any_day` are run at too (their dates come from
#: the pinned today): month, year and leap-day ends, a Sunday, just after midnight
#: (UTC's date is still yesterday) and the night summer time ends in Copenhagen.
AWKWARD_MOMENTS = {
    "monday": datetime(2027, 3, 1, 9, 0, tzinfo=LOCAL_ZONE),
    "sunday": datetime(2027, 6, 13, 12, 0, tzinfo=LOCAL_ZONE),
    "after-midnight": datetime(2027, 6, 15, 0, 30, tzinfo=LOCAL_ZONE),
    "new-years-eve": datetime(2026, 12, 31, 23, 30, tzinfo=LOCAL_ZONE),
    "leap-day": datetime(2028, 2, 29, 23, 30, tzinfo=LOCAL_ZONE),
    "summer-time-ends": datetime(2027, 10, 31, 23, 30, tzinfo=LOCAL_ZONE),
}

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
TEST_PASSWORD = "a-long-test-password"


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every form POST (pass csrf=False to omit it)."""

    def open(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and kwargs.get("method", "GET") == "POST" and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return super().open(*args, **kwargs)

    def post(self, *args, csrf: bool = True, **kwargs):
        kwargs.setdefault("data", {})
        return self.open(*args, method="POST", csrf=csrf, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)


def worker_number() -> int:
    """0, or which pytest-xdist worker runs this process (gw0, gw1, ...): each gets its own databases."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _worker_database(url: str) -> str:
    """TEST_DATABASE_URL for the first worker, a database of its own for each other one; created if missing."""
    base = make_url(url)
    own = base.set(database=f"{base.database}_gw{worker_number()}") if worker_number() else base
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": own.database}).scalar():
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_generate_tests(metafunc):
    """Run each test marked `any_day` once at every awkward moment."""
    if metafunc.definition.get_closest_marker("any_day"):
        metafunc.parametrize("clock", list(AWKWARD_MOMENTS.values()), ids=list(AWKWARD_MOMENTS), indirect=True)


@pytest.fixture(autouse=True)
def clock(request):
    """The one pinned clock: no test depends on the day it runs (time-machine; it ticks on)."""
    with time_machine.travel(getattr(request, "param", SUITE_NOW), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    if request.param == "postgresql":
        url = _worker_database(os.environ["TEST_DATABASE_URL"])
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    app.test_client_class = CSRFClient
    with app.app_context():
        upgrade()
    app.config["DB_BACKEND"] = request.param
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves empty tables and the app's own settings behind."""
    saved_settings = dict(app.config)
    with app.app_context():
        yield
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
        cache.clear()  # kept fragments of pages (workshop/fragments.py) belong to the test that drew them
    for key in set(app.config) - set(saved_settings):
        del app.config[key]
    app.config.update(saved_settings)


def _empty_all_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            # orders <-> quotes refer to each other; let SQLite check the keys only at commit.
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
            for name in tables:
                connection.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def make_site():
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, name: str | None = None, capacity: int = 15):
        number = next(counter)
        return core.ensure_site(slug or f"site{number}", name or f"Værksted {number}", capacity)

    return make


@pytest.fixture
def make_user(make_site):
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.LEADER, site=None, email: str | None = None, name: str | None = None, locale="da"):
        number = next(counter)
        if site is None and role != Role.CUSTOMER:
            site = make_site()
        user = core.create_user(
            email or f"{role.value}{number}@test.example", name or f"{role.value.title()} {number}",
            TEST_PASSWORD, role, site, locale=locale,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login():
    """Log a client in by setting the session, without typing into the form."""

    def log_in(client: FlaskClient, user) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()  # her session token (see User.get_id)
            session["_fresh"] = True
        return client

    return log_in


@pytest.fixture
def client_as(client, make_user, login):
    """A client logged in as a new user of the given role: client_as(Role.LEADER)."""

    def make(role: Role, **kwargs):
        user = make_user(role, **kwargs)
        login(client, user)
        client.user = user
        return client

    return make


# --- Real browser ---------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: apt-get install chromium (see README)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _patient_browser_expectations():
    """The CI machine has two cores; give pages time rather than fail on load."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


def pytest_configure(config):
    config.addinivalue_line("markers", "axe_exclude(*selectors, reason): leave these CSS selectors (a third-party "
                                       "element we cannot fix) out of the axe-core check of this browser test")


AXE_CHECKER = pytest.StashKey()


@pytest.fixture
def page(page, request):
    """pytest-playwright's page, checked by axe-core: every page the test loads and the page it ends on
    must have no WCAG 2.2 A/AA violation (tests/browser/axe.py). Nothing to opt in. To leave out a
    third-party element that cannot be fixed, mark the test narrowly:
    @pytest.mark.axe_exclude("#stripe-frame", reason="Stripe's own widget")."""
    marker = request.node.get_closest_marker("axe_exclude")
    if marker and not marker.kwargs.get("reason"):
        pytest.fail("axe_exclude needs a reason=")
    checker = AxeChecker(page, list(marker.args) if marker else [])
    checker.watch()
    request.node.stash[AXE_CHECKER] = checker
    yield page
    checker.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test's body passed, check its last page and fail the test on any axe violation."""
    result = yield
    checker = item.stash.get(AXE_CHECKER, None)
    if checker is not None:
        checker.check()
        if checker.violations:
            pytest.fail(checker.report(), pytrace=False)
    return result


@pytest.fixture
def browser_login(live_server):
    """browser_login(page, user): log in through the real login form, as a person would."""
    from playwright.sync_api import expect

    def log_in(page, user) -> None:
        page.goto(live_server.url + "/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        expect(page).not_to_have_url(live_server.url + "/login")

    return log_in


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a free local port, in a thread, for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()


# --- Domain factories shared by the package tests --------------------------------


@pytest.fixture
def make_person(make_site):
    """make_person(site=..., name=..., employment_wage_ore=13500) -> staffing Person (flushed)."""
    from staffing.models import Employment, EmploymentKind, Person

    counter = iter(range(1, 10_000))

    def make(site=None, name=None, user=None, employment_wage_ore=None, **fields):
        from datetime import date

        person = Person(site=site or make_site(), name=name or f"Deltager {next(counter)}", user=user, **fields)
        if employment_wage_ore:
            person.employments.append(Employment(
                kind=EmploymentKind.SMALL_JOB, hourly_wage_ore=employment_wage_ore,
                min_weekly_minutes=0, max_weekly_minutes=600, start_date=date(2020, 1, 1),
            ))
        db.session.add(person)
        db.session.flush()
        return person

    return make


@pytest.fixture
def make_operation():
    from production.models import Operation
    from staffing.models import Skill

    counter = iter(range(1, 10_000))

    def make(code=None, min_skill_level=0, **demands):
        number = next(counter)
        skill = Skill(code=f"skill{number}", name_da=f"Færdighed {number}", name_en=f"Skill {number}")
        operation = Operation(code=code or f"op{number}", name_da=f"Operation {number}", name_en=f"Operation {number}",
                              skill=skill, min_skill_level=min_skill_level, **demands)
        db.session.add(operation)
        db.session.flush()
        return operation

    return make


@pytest.fixture
def make_product(make_operation):
    """make_product([(seconds_per_unit, setup_minutes), ...]) -> Product with one operation per step."""
    from production.models import Product, RoutingStep

    counter = iter(range(1, 10_000))

    def make(steps=((60, 0), (120, 0)), **fields):
        number = next(counter)
        product = Product(code=f"p{number}", name_da=f"Produkt {number}", name_en=f"Product {number}", **fields)
        for position, (seconds, setup) in enumerate(steps, start=1):
            product.routing.append(RoutingStep(position=position, operation=make_operation(),
                                               seconds_per_unit=seconds, setup_minutes=setup))
        db.session.add(product)
        db.session.flush()
        return product

    return make


def pytest_collection_modifyitems(items):
    """With several workers (make test), the browser tests run one after the other on one worker: two
    browsers and two live servers at once on two cores made pages slow enough to fail their checks."""
    for item in items:
        if item.get_closest_marker("browser") or "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("browser"))
