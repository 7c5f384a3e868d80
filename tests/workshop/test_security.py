"""Regression tests for the security findings of issue 17 (3, 5, 6, 11, 13) that the core owns."""
import time
from datetime import timedelta

import pytest
import time_machine
from flask import g

from tests.conftest import TEST_PASSWORD
from workshop import create_app
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today, utcnow


def _log_in(client, user, password=TEST_PASSWORD, **kwargs):
    g.pop("_login_user", None)
    return client.post("/login", data={"email": user.email, "password": password}, **kwargs)


def _get(client, url):
    g.pop("_login_user", None)  # the test's app context outlives each request; Flask-Login caches the user on it
    return client.get(url)


def _copied_cookie(app, client):
    """Another browser holding a copy of this client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _goes_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- Finding 3: the server ends a session ---------------------------------------------------------


@pytest.fixture
def leader_logged_in(app, client, make_user):
    """(leader, her client, a copy of her session cookie in another client)."""
    leader = make_user(Role.LEADER)
    assert _log_in(client, leader).status_code == 302
    thief = _copied_cookie(app, client)
    assert _get(thief, "/audit").status_code == 200
    return leader, client, thief


def test_a_session_cookie_copied_before_logout_no_longer_works(leader_logged_in):
    _leader, client, thief = leader_logged_in
    g.pop("_login_user", None)
    client.post("/logout")
    assert _goes_to_login(_get(thief, "/audit"))


def test_logging_out_ends_the_login_on_every_device(app, leader_logged_in):
    leader, client, _thief = leader_logged_in
    phone = app.test_client()
    _log_in(phone, leader)
    g.pop("_login_user", None)
    phone.post("/logout")
    assert _goes_to_login(_get(client, "/audit"))


def test_a_password_change_ends_every_session(leader_logged_in):
    leader, client, thief = leader_logged_in
    leader.set_password("another-long-password")
    db.session.commit()
    assert _goes_to_login(_get(thief, "/audit"))
    assert _goes_to_login(_get(client, "/audit"))
    assert _log_in(client, leader, "another-long-password").status_code == 302
    assert _get(client, "/audit").status_code == 200


def test_a_deactivated_account_is_logged_out_and_stays_so_when_reactivated(leader_logged_in):
    leader, _client, thief = leader_logged_in
    leader.is_active_account = False
    db.session.commit()
    assert _goes_to_login(_get(thief, "/audit"))
    leader.is_active_account = True
    db.session.commit()
    assert _goes_to_login(_get(thief, "/audit"))


def test_a_cookie_holding_only_the_user_id_is_refused(app, make_user):
    leader = make_user(Role.LEADER)
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["_user_id"] = str(leader.id)
    assert _goes_to_login(_get(forged, "/audit"))


def test_a_leader_is_logged_out_after_30_idle_minutes(leader_logged_in):
    _leader, client, _thief = leader_logged_in
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert _get(client, "/audit").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert _get(client, "/audit").status_code == 200  # she was busy: still logged in
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        assert _goes_to_login(_get(client, "/audit"))


def test_a_busy_leader_logs_in_again_after_12_hours(leader_logged_in):
    _leader, client, _thief = leader_logged_in
    start = utcnow()
    for minutes in range(25, 12 * 60, 25):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert _get(client, "/audit").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert _goes_to_login(_get(client, "/audit"))


def test_staff_stay_logged_in_through_a_long_break_but_not_for_weeks(app, client, make_user):
    staff = make_user(Role.STAFF)
    _log_in(client, staff)
    start = utcnow()
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        assert not _goes_to_login(_get(client, "/"))
    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert _goes_to_login(_get(client, "/"))


def test_a_csrf_token_expires_after_12_hours(client_as):
    client = client_as(Role.STAFF)
    token = client.csrf_token()
    with time_machine.travel(utcnow() + timedelta(hours=11), tick=False):
        assert client.post("/language", data={"locale": "en", "csrf_token": token}).status_code == 302
    with time_machine.travel(utcnow() + timedelta(hours=13), tick=False):
        response = client.post("/language", data={"locale": "da", "csrf_token": token})
    assert response.status_code == 400 and "formularen udløbet" in response.get_data(as_text=True)


@pytest.mark.parametrize("name, value", [
    ("LEADER_IDLE_MINUTES", "0"), ("LEADER_SESSION_HOURS", "many"), ("SESSION_DAYS", "-1"),
    ("TRUSTED_PROXIES", "-1"), ("TRUSTED_PROXIES", "one"),
])
def test_bad_session_and_proxy_settings_stop_the_start(monkeypatch, tmp_path, name, value):
    from workshop.config import ConfigError, build_config

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        build_config(str(tmp_path))


def test_session_settings_come_from_the_environment(monkeypatch, tmp_path):
    from workshop.config import build_config

    for name, value in {"LEADER_IDLE_MINUTES": "15", "LEADER_SESSION_HOURS": "8", "SESSION_DAYS": "3",
                        "TRUSTED_PROXIES": "1"}.items():
        monkeypatch.setenv(name, value)
    config = build_config(str(tmp_path))
    assert (config["LEADER_IDLE_MINUTES"], config["LEADER_SESSION_HOURS"], config["TRUSTED_PROXIES"]) == (15, 8, 1)
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(days=3)


# --- Finding 5: no open redirect -----------------------------------------------------------------

HOSTILE_NEXT = [
    "/\t/evil.example/phish", "/\n/evil.example", "/\r\n/x", " //evil.example", "/\\evil.example",
    "\\\\evil.example", "https://evil.example/", "//evil.example", "javascript:alert(1)",
    "/ /evil.example", "http:/evil.example", "evil.example", "/\u2028/evil.example",
]


def test_the_login_link_from_the_probe_does_not_leave_the_site(client, make_user):
    user = make_user(Role.LEADER)
    page = client.get("/login?next=/%09/evil.example/phish").get_data(as_text=True)
    assert 'value="/\t/evil.example/phish"' in page  # the form carries it on, as the probe saw
    response = client.post("/login?next=/%09/evil.example/phish",
                           data={"email": user.email, "password": TEST_PASSWORD, "next": "/\t/evil.example/phish"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_login_goes_home_for_a_next_that_is_not_a_path_here(client, make_user, next_url):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "next": next_url})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_the_language_form_goes_home_for_a_next_that_is_not_a_path_here(client, next_url):
    response = client.post("/language", data={"locale": "en", "next": next_url})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("next_url, location", [
    ("/people/", "/people/"), ("/hours/?day=2026-12-04&person=3", "/hours/?day=2026-12-04&person=3"),
    ("/r/ishøj", "/r/ish%C3%B8j"), ("/login", "/login"),
])
def test_a_path_on_this_site_is_followed(client, next_url, location):
    response = client.post("/language", data={"locale": "en", "next": next_url})
    assert response.status_code == 302 and response.headers["Location"] == location


def test_the_language_form_on_a_page_returns_to_that_page(client):
    client.get("/login?next=/audit")
    response = client.post("/language", data={"locale": "en", "next": "/login?next=/audit"})
    assert response.headers["Location"] == "/login?next=/audit"


# --- Finding 6: bodies a form cannot read are a 4xx ----------------------------------------------

JSON_BODIES = ["[1]", '"s"', "{broken", "1e999", '{"email": 1, "password": [1], "locale": {"a": 1}}']


@pytest.mark.parametrize("url", ["/login", "/language", "/logout", "/no/such/page", "/people/new", "/r/ishoj"])
@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_is_a_4xx_for_anyone(client, url, body):
    response = client.post(url, data=body, content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("url, status", [("/login", 400), ("/language", 303), ("/no/such/page", 404)])
@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_with_a_valid_csrf_token_is_answered_like_an_empty_form(client, url, status, body):
    response = client.post(url, data=body, content_type="application/json",
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == status


@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_from_a_logged_in_user_is_answered_like_an_empty_form(client_as, body):
    client = client_as(Role.LEADER)
    response = client.post("/people/new", data=body, content_type="application/json",
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 400 and "Navn" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_field_is_refused_with_a_clear_message(client_as):
    client = client_as(Role.LEADER)
    response = client.post("/people/new", data={"name": "Ami\x00na", "kind": "trainee",
                                                "since": local_today().isoformat()})
    assert response.status_code == 400
    assert "et tegn, som ikke kan gemmes" in response.get_data(as_text=True)
    assert "Ami" not in client.get("/people/").get_data(as_text=True)


def test_a_nul_character_in_the_address_is_refused(client_as):
    client = client_as(Role.LEADER)
    assert client.get("/audit?action=a%00b").status_code == 400
    assert client.get("/r/ish%00oj").status_code == 400
    assert client.get("/t/abc%00def").status_code == 400


@pytest.mark.parametrize("target", ["/\x00/x", "/people/\x00", "/\x00"])
def test_a_next_with_a_nul_character_is_not_followed(target):
    from workshop.security import local_path

    assert local_path(target) is None


def test_a_nul_character_on_the_login_form_is_a_400(client, make_user):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email + "\x00", "password": TEST_PASSWORD})
    assert response.status_code == 400


# --- Finding 11: login time does not tell who has an account -------------------------------------


def _fastest_login(client, email, tries=5):
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        assert client.post("/login", data={"email": email, "password": "wrong-password"}).status_code == 400
        times.append(time.perf_counter() - start)
    return min(times)  # the least disturbed run: other work on the machine only adds time


def test_an_unknown_email_takes_as_long_as_a_wrong_password(client, make_user):
    user = make_user(Role.LEADER)
    known = _fastest_login(client, user.email)
    unknown = _fastest_login(client, "nobody@test.example")
    assert unknown > known / 2


def test_a_deactivated_account_answers_like_a_wrong_password(client, make_user):
    user = make_user(Role.LEADER)
    user.is_active_account = False
    db.session.commit()
    response = _log_in(client, user)
    assert response.status_code == 400 and "Forkert e-mail eller adgangskode" in response.get_data(as_text=True)


# --- Finding 13: rate limits behind a proxy and per e-mail ---------------------------------------


def _proxy_app(trusted: int):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t" * 32, "TRUSTED_PROXIES": trusted})

    @app.route("/client-address")
    def client_address():
        from flask import request

        return request.remote_addr

    return app


def test_a_trusted_proxy_gives_the_clients_address():
    client = _proxy_app(1).test_client()
    response = client.get("/client-address", headers={"X-Forwarded-For": "203.0.113.7"},
                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.get_data(as_text=True) == "203.0.113.7"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored():
    client = _proxy_app(0).test_client()
    response = client.get("/client-address", headers={"X-Forwarded-For": "203.0.113.7"},
                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.get_data(as_text=True) == "10.0.0.2"


@pytest.fixture
def login_limits(app, monkeypatch):
    """Tight login limits for one test."""

    def set_limits(**limits):
        for name, value in limits.items():
            monkeypatch.setitem(app.config, name, value)

    return set_limits


def test_19_trainees_on_one_wifi_log_in_together(app, make_user, make_site, login_limits):
    login_limits(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ADDRESS_RATE_LIMIT="5 per minute")
    site = make_site()
    trainees = [make_user(Role.TRAINEE, site=site) for _ in range(19)]
    codes = [_log_in(app.test_client(), trainee).status_code for trainee in trainees]
    assert codes == [302] * 19


def test_wrong_passwords_for_one_email_do_not_block_another_from_the_same_address(client, make_user,
                                                                                  login_limits):
    login_limits(LOGIN_RATE_LIMIT="3 per minute")
    first, second = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    codes = [_log_in(client, first, "wrong-password").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert _log_in(client, second).status_code == 302


def test_one_email_cannot_be_guessed_at_from_many_addresses(app, make_user, login_limits):
    login_limits(LOGIN_ACCOUNT_RATE_LIMIT="3 per hour")
    user = make_user(Role.LEADER)
    codes = [_log_in(app.test_client(), user, "wrong-password",
                     environ_base={"REMOTE_ADDR": f"198.51.100.{number}"}).status_code for number in range(1, 5)]
    assert codes == [400, 400, 400, 429]


def test_one_address_cannot_try_many_emails(client, make_user, login_limits):
    login_limits(LOGIN_ADDRESS_RATE_LIMIT="3 per minute")
    codes = [client.post("/login", data={"email": f"guess{number}@test.example", "password": "x"}).status_code
             for number in range(4)]
    assert codes == [400, 400, 400, 429]


def test_issue_14_a_cookie_captured_before_logout_no_longer_opens_the_dashboard(leader_logged_in):
    """Issue 14, first finding: the copied cookie opened /people/dashboard (200) after logout."""
    _leader, client, thief = leader_logged_in
    assert _get(thief, "/people/dashboard").status_code == 200
    g.pop("_login_user", None)
    client.post("/logout")
    assert _goes_to_login(_get(thief, "/people/dashboard"))
