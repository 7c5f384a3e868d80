"""Stateless web processes: two gunicorn servers on two ports, one PostgreSQL and one Redis between
them. A login rate limit counts the attempts made at both, and a login made at one holds at the other.

PostgreSQL only (skipped without TEST_DATABASE_URL); needs Redis on 127.0.0.1:6379 (database 12).
"""
import pytest
import redis
import requests

from tests.conftest import TEST_PASSWORD
from tests.processes import app_env, gunicorn_servers, log_in
from workshop.extensions import db
from workshop.models import Role

REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def two_servers(app, tmp_path):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("two processes share PostgreSQL and Redis (set TEST_DATABASE_URL)")
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = app_env(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=REDIS_URL,
                  SECRET_KEY="two-processes-share-this-secret-key-0123456789", LOGIN_RATE_LIMIT="3 per minute")
    try:
        with gunicorn_servers(2, env, tmp_path) as servers:
            yield [server.url for server in servers]
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_a_login_rate_limit_counts_attempts_at_both_processes(two_servers, make_user):
    user = make_user(Role.LEADER)
    first, second = two_servers
    answers = [log_in(requests.Session(), base, user.email, "wrong password").status_code
               for base in (first, second, first, second)]
    assert 429 not in answers[:3]  # three attempts a minute are allowed, wherever they are made
    assert answers[3] == 429


def test_a_login_at_one_process_holds_at_the_other(two_servers, make_user):
    user = make_user(Role.LEADER)
    db.session.commit()
    first, second = two_servers
    browser = requests.Session()
    assert log_in(browser, first, user.email, TEST_PASSWORD).status_code == 302
    page = browser.get(f"{second}/people/", allow_redirects=False)
    assert page.status_code == 200
    assert user.name in page.text
    assert requests.get(f"{second}/people/", allow_redirects=False).status_code == 302  # no cookie: log in
