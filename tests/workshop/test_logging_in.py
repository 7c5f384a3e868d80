"""Issue 14, Access: sessions, two-factor login, passwords, the password reset and rate limits."""
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from flask import g
from sqlalchemy import func, select

from shop.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from workshop import auth, create_app
from workshop import services as core
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import PasswordReset, RecoveryCode, Role
from workshop.passwords import check_new_password
from workshop.timeutil import utcnow


def _post(client, url, **data):
    g.pop("_login_user", None)  # the test's app context outlives each request; Flask-Login caches the user on it
    return client.post(url, data=data)


def _get(client, url):
    g.pop("_login_user", None)
    return client.get(url)


def _log_in(client, user, password=TEST_PASSWORD):
    return _post(client, "/login", email=user.email, password=password)


def _goes_to(response, path: str) -> bool:
    return response.status_code in (302, 303) and response.headers["Location"].startswith(path)


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- Sessions ----------------------------------------------------------------------------------


def test_logging_in_starts_a_fresh_session(client, make_user):
    user = make_user(Role.STAFF)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["csrf_token"] = "a token an attacker knows"
    assert _goes_to(_log_in(client, user), "/")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "a token an attacker knows"


def test_log_out_everywhere_on_the_account_page_ends_every_copy_of_the_cookie(app, client, make_user):
    user = make_user(Role.TRAINEE)
    _log_in(client, user)
    other_device = app.test_client()
    other_device.set_cookie("session", client.get_cookie("session").value)
    assert _get(other_device, "/account").status_code == 200
    page = _text(_get(client, "/account"))
    assert "Log ud alle steder" in page
    assert _goes_to(_post(client, "/account/log-out-everywhere"), "/login")
    assert _goes_to(_get(other_device, "/account"), "/login")
    assert _goes_to(_get(client, "/account"), "/login")


def test_a_password_changed_on_the_account_page_ends_the_other_sessions_only(app, client, make_user):
    user = make_user(Role.LEADER)
    _log_in(client, user)
    other_device = app.test_client()
    other_device.set_cookie("session", client.get_cookie("session").value)
    response = _post(client, "/account/password", current_password=TEST_PASSWORD,
                     password="tre grønne sofaer", repeat="tre grønne sofaer")
    assert _goes_to(response, "/account")
    assert _get(client, "/audit").status_code == 200
    assert _goes_to(_get(other_device, "/audit"), "/login")
    assert _goes_to(_log_in(app.test_client(), user, "tre grønne sofaer"), "/")


def test_the_account_page_wants_the_current_password_and_a_good_new_one(client_as):
    client = client_as(Role.STAFF)
    wrong = _post(client, "/account/password", current_password="not mine at all",
                  password="tre grønne sofaer", repeat="tre grønne sofaer")
    assert wrong.status_code == 400 and "Det er ikke din nuværende adgangskode" in _text(wrong)
    common = _post(client, "/account/password", current_password=TEST_PASSWORD, password="iloveyou",
                   repeat="iloveyou")
    assert common.status_code == 400 and "for let at gætte" in _text(common)
    assert client.user.check_password(TEST_PASSWORD)


def test_production_cookies_are_host_only_secure_httponly_and_lax(monkeypatch, tmp_path):
    monkeypatch.setenv("STITCHWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie and "; Path=/" in cookie
    assert "Domain=" not in cookie


def test_a_staff_member_is_logged_out_after_the_whole_session_time_even_when_busy(client, make_user):
    staff = make_user(Role.STAFF)
    _log_in(client, staff)
    start = utcnow()
    for day in range(1, 14):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            assert _get(client, "/account").status_code == 200
    with time_machine.travel(start + timedelta(days=14, minutes=5), tick=False):
        assert _goes_to(_get(client, "/account"), "/login")


# --- Passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["password", "Password", "12345678", "iloveyou", "qwertyuiop", "sunshine1"])
def test_a_common_password_is_refused(password):
    with pytest.raises(DomainError) as refused:
        check_new_password(password)
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", ["kaffekop", "tre grønne sofaer", "x" * 64, "lang sætning " * 12,
                                      "alllowercasewords"])
def test_long_or_plain_passwords_are_welcome_without_composition_rules(password):
    assert check_new_password(password) == password


@pytest.mark.parametrize("password", ["", "kort", "7 tegn!"])
def test_a_password_under_8_characters_is_refused(password):
    with pytest.raises(DomainError):
        check_new_password(password)


def test_the_password_rules_apply_to_new_logins_from_the_cli_admin_and_company_registration(make_site):
    with pytest.raises(DomainError):
        core.create_user("ny@test.example", "Ny", "password1", Role.STAFF, make_site())
    from shop.companies.services import register_company

    with pytest.raises(DomainError) as refused:
        register_company({"company_name": "Firma", "cvr": "10000009", "billing_address": "Vej 1", "name": "Kim",
                          "email": "kim@firma.example", "password": "12345678"})
    assert refused.value.field in ("password", "cvr")


def test_company_registration_refuses_a_common_password(client):
    response = client.post("/companies/register", data={
        "company_name": "Museet", "cvr": "", "billing_address": "Vej 1", "name": "Kim",
        "email": "kim@museet.example", "password": "sunshine"})
    assert response.status_code == 400


def test_passwords_stay_hashed_with_scrypt(make_user):
    assert make_user(Role.STAFF).password_hash.startswith("scrypt:")


# --- Password reset -------------------------------------------------------------------------------


def _reset_mails():
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")))


def _link(message) -> str:
    return re.search(r"(/password/reset/[A-Za-z0-9_-]+)", message.body).group(1)


def test_the_answer_is_the_same_whether_or_not_the_address_has_a_login(app, make_user):
    user = make_user(Role.STAFF)
    known = _post(app.test_client(), "/password/forgot", email=user.email)
    unknown = _post(app.test_client(), "/password/forgot", email="nobody@test.example")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(_reset_mails()) == 1 and _reset_mails()[0].recipient == user.email


def test_a_reset_link_works_once_and_ends_every_session(app, client, make_user):
    user = make_user(Role.LEADER)
    _log_in(client, user)
    _post(app.test_client(), "/password/forgot", email=user.email)
    link = _link(_reset_mails()[0])
    assert link.rsplit("/", 1)[1] not in str(db.session.scalar(select(PasswordReset.token_hash)))
    visitor = app.test_client()
    page = _get(visitor, link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert _goes_to(_post(visitor, link, password="fire blå stole", repeat="fire blå stole"), "/login")
    assert _goes_to(_get(client, "/audit"), "/login")  # the old session ended
    assert _goes_to(_log_in(app.test_client(), user, "fire blå stole"), "/")
    assert _get(visitor, link).status_code == 404
    assert _post(visitor, link, password="fem røde stole", repeat="fem røde stole").status_code == 404


def test_a_reset_link_expires_after_an_hour(app, make_user):
    user = make_user(Role.STAFF)
    _post(app.test_client(), "/password/forgot", email=user.email)
    link = _link(_reset_mails()[0])
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert _get(app.test_client(), link).status_code == 200
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = _get(app.test_client(), link)
        assert response.status_code == 404 and "virker ikke mere" in _text(response)


def test_a_newer_link_replaces_the_older(app, make_user):
    user = make_user(Role.STAFF)
    _post(app.test_client(), "/password/forgot", email=user.email)
    _post(app.test_client(), "/password/forgot", email=user.email)
    first, second = _reset_mails()
    assert _get(app.test_client(), _link(first)).status_code == 404
    assert _get(app.test_client(), _link(second)).status_code == 200


def test_the_reset_form_applies_the_password_rules(app, make_user):
    user = make_user(Role.STAFF)
    _post(app.test_client(), "/password/forgot", email=user.email)
    link = _link(_reset_mails()[0])
    response = _post(app.test_client(), link, password="password", repeat="password")
    assert response.status_code == 400 and "for let at gætte" in _text(response)
    assert user.check_password(TEST_PASSWORD)


def test_asking_for_reset_links_is_rate_limited(client, make_user):
    user = make_user(Role.STAFF)
    answers = [_post(client, "/password/forgot", email=user.email).status_code for _ in range(6)]
    assert answers[:5] == [303] * 5 and answers[5] == 429
    assert len(_reset_mails()) == 5


# --- Two-factor login ---------------------------------------------------------------------------


def _code(secret: str, moment=None) -> str:
    return pyotp.TOTP(secret).at(moment or utcnow())


def _enrol(client) -> tuple[str, list[str]]:
    page = _text(_get(client, "/account/two-factor"))
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = _post(client, "/account/two-factor", code=_code(secret))
    assert response.status_code == 200
    codes = re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", _text(response))
    return secret, codes


def test_a_leader_enrols_with_a_qr_code_and_gets_ten_recovery_codes_shown_once(client_as):
    client = client_as(Role.LEADER)
    page = _text(_get(client, "/account/two-factor"))
    assert 'src="data:image/svg+xml;base64,' in page and "style=" not in page.split("<main", 1)[1]
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert _post(client, "/account/two-factor", code="000000").status_code == 400
    assert client.user.totp_secret is None
    response = _post(client, "/account/two-factor", code=_code(secret))
    codes = re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", _text(response))
    assert len(set(codes)) == 10 and response.headers["Cache-Control"] == "no-store"
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert client.user.has_two_factor
    assert _goes_to(_get(client, "/account/two-factor"), "/account")  # never shown again


def test_two_factor_is_for_leaders(client_as):
    assert _goes_to(_get(client_as(Role.TRAINEE), "/account/two-factor"), "/account")


def test_logging_in_asks_for_the_code_after_the_password(app, client, make_user, clock):
    leader = make_user(Role.LEADER)
    _log_in(client, leader)
    secret, _codes = _enrol(client)
    clock.shift(timedelta(seconds=60))  # the code used to enrol is spent: the app shows the next one
    browser = app.test_client()
    assert _goes_to(_log_in(browser, leader), "/login/code")
    assert _goes_to(_get(browser, "/audit"), "/login")  # not logged in yet
    wrong = _post(browser, "/login/code", code="123456")
    assert wrong.status_code == 400 and "Koden er forkert" in _text(wrong)
    assert [entry.action for entry in core.audit_entries(action="user.second_factor_failed")] == [
        "user.second_factor_failed"]
    assert _goes_to(_post(browser, "/login/code", code=_code(secret)), "/")
    assert _get(browser, "/audit").status_code == 200


def test_a_code_works_once(app, client, make_user):
    leader = make_user(Role.LEADER)
    _log_in(client, leader)
    secret, _codes = _enrol(client)
    first, second = app.test_client(), app.test_client()
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
        code = _code(secret)
        _log_in(first, leader)
        _log_in(second, leader)
        assert _goes_to(_post(first, "/login/code", code=code), "/")
        assert _post(second, "/login/code", code=code).status_code == 400


def test_a_recovery_code_logs_in_once(app, client, make_user):
    leader = make_user(Role.LEADER)
    _log_in(client, leader)
    _secret, codes = _enrol(client)
    browser = app.test_client()
    _log_in(browser, leader)
    assert _goes_to(_post(browser, "/login/code", code=codes[3].upper()), "/")
    again = app.test_client()
    _log_in(again, leader)
    assert _post(again, "/login/code", code=codes[3]).status_code == 400


def test_the_code_step_is_rate_limited(app, client, make_user):
    leader = make_user(Role.LEADER)
    _log_in(client, leader)
    secret, _codes = _enrol(client)
    browser = app.test_client()
    _log_in(browser, leader)
    answers = [_post(browser, "/login/code", code=f"{number:06d}").status_code for number in range(6)]
    assert answers == [400] * 5 + [429]
    assert _post(browser, "/login/code", code=_code(secret)).status_code == 429
    # a fresh login from elsewhere is limited too: the count is per account
    other = app.test_client()
    _log_in(other, leader)
    assert _post(other, "/login/code", code=_code(secret)).status_code == 429


def test_the_code_step_waits_five_minutes(app, client, make_user):
    leader = make_user(Role.LEADER)
    _log_in(client, leader)
    secret, _codes = _enrol(client)
    browser = app.test_client()
    _log_in(browser, leader)
    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
        assert _goes_to(_post(browser, "/login/code", code=_code(secret)), "/login")


def test_turning_two_factor_off_needs_the_password(client_as):
    client = client_as(Role.LEADER)
    _enrol(client)
    refused = _post(client, "/account/two-factor/off", password="not my password")
    assert refused.status_code == 400 and client.user.has_two_factor
    assert _goes_to(_post(client, "/account/two-factor/off", password=TEST_PASSWORD), "/account")
    assert not client.user.has_two_factor
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_a_site_that_requires_two_factor_sends_its_leaders_to_enrol(app, client, make_user):
    leader = make_user(Role.LEADER)
    auth.set_two_factor_rule(leader.site, True)
    db.session.commit()
    assert _goes_to(_log_in(client, leader), "/account/two-factor")
    assert _goes_to(_get(client, "/audit"), "/account/two-factor")
    staff = make_user(Role.STAFF, site=leader.site)
    assert _goes_to(_log_in(app.test_client(), staff), "/")
    _enrol(client)
    assert _get(client, "/audit").status_code == 200
    refused = _post(client, "/account/two-factor/off", password=TEST_PASSWORD)
    assert refused.status_code == 400 and leader.has_two_factor


def test_the_site_page_sets_the_two_factor_rule(client_as):
    client = client_as(Role.LEADER)
    site = client.user.site
    response = _post(client, "/site", name=site.name, capacity="15", address="", cvr="", bank_reg_no="",
                     bank_account_no="", require_two_factor="y")
    assert _goes_to(response, "/site")
    assert site.require_two_factor
    assert _goes_to(_get(client, "/audit"), "/account/two-factor")


# --- Rate limits on every public form -----------------------------------------------------------

#: Public endpoints taking a POST that are not a person's form: Stripe's signed webhook (a limit
#: could lose a payment) and the JSON API (limited per token and address in shop/api).
NOT_A_FORM = {"webhooks.stripe_webhook", "api.book"}
#: Limited by tests of their own above: the code step counts only codes checked (there is none
#: without a password first).
LIMITED_ELSEWHERE = {"auth.login_code"}
PUBLIC = {"workshop.login", "companies.register", "companies.join", "auth.login_code", "auth.forgot_password",
          "auth.reset_password"}
PUBLIC_PREFIXES = ("public.", "repairs_public.", "quotes_public.", "webhooks.", "api.")


def _public_post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and (rule.endpoint in PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES)):
            if rule.endpoint not in NOT_A_FORM | LIMITED_ELSEWHERE:
                yield rule


@pytest.fixture
def tight_limits(app, monkeypatch):
    for name in ("PUBLIC_FORM_RATE_LIMIT", "REPAIRS_BOOKING_RATE_LIMIT", "LOGIN_RATE_LIMIT", "TWO_FACTOR_RATE_LIMIT",
                 "PASSWORD_RESET_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, "3 per hour")


def test_every_public_form_is_rate_limited(app, make_site, tight_limits):
    site = make_site("ishoj")
    rules = list(_public_post_rules(app))
    assert len(rules) >= 8
    for rule in rules:
        path = rule.build({name: "1" if name.endswith("id") else site.slug if name == "slug" else "x"
                           for name in rule.arguments})[1]
        client = app.test_client()
        answers = [_post(client, path).status_code for _ in range(4)]
        assert answers[-1] == 429, (rule.endpoint, answers)


# Redis-backed limits when REDIS_URL is set: tests/workshop/test_config.py (RATELIMIT_STORAGE_URI).


# --- Issue 14's finding: the planner and the last week there is ---------------------------------


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_planning_the_last_or_first_week_there_is_answers_4xx(client_as, week):
    client = client_as(Role.LEADER)
    response = _post(client, "/production/planner/", week=week, budget_hours="10")
    assert 400 <= response.status_code < 500
