"""Stateless web processes: two gunicorn servers on two ports, one PostgreSQL and one Redis between
them. A login rate limit counts the attempts made at both, and a login made at one holds at the other.

PostgreSQL only (skipped without TEST_DATABASE_URL); needs Redis on 127.0.0.1:6379 (database 12).
"""
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
import redis

from tests.conftest import TEST_PASSWORD
from workshop.extensions import db
from workshop.models import Role

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/12"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on port {port} stopped: {process.stderr.read().decode()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on port {port}")


@pytest.fixture
def two_servers(app):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("two processes share PostgreSQL and Redis (set TEST_DATABASE_URL)")
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=REDIS_URL,
               SECRET_KEY="two-processes-share-this-secret-key-0123456789", LOGIN_RATE_LIMIT="3 per minute",
               PYTHONPATH=str(ROOT))
    env.pop("STITCHWORK_ENV", None)
    ports, processes = [_free_port(), _free_port()], []
    try:
        for port in ports:
            processes.append(subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                 "workshop:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for port, process in zip(ports, processes):
            _wait_until_listening(port, process)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        redis.Redis.from_url(REDIS_URL).flushdb()


def _log_in(session: requests.Session, base: str, email: str, password: str) -> requests.Response:
    form = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    return session.post(f"{base}/login", data={"csrf_token": token, "email": email, "password": password},
                        allow_redirects=False)


def test_a_login_rate_limit_counts_attempts_at_both_processes(two_servers, make_user):
    user = make_user(Role.LEADER)
    first, second = two_servers
    answers = [_log_in(requests.Session(), base, user.email, "wrong password").status_code
               for base in (first, second, first, second)]
    assert 429 not in answers[:3]  # three attempts a minute are allowed, wherever they are made
    assert answers[3] == 429


def test_a_login_at_one_process_holds_at_the_other(two_servers, make_user):
    user = make_user(Role.LEADER)
    db.session.commit()
    first, second = two_servers
    browser = requests.Session()
    assert _log_in(browser, first, user.email, TEST_PASSWORD).status_code == 302
    page = browser.get(f"{second}/people/", allow_redirects=False)
    assert page.status_code == 200
    assert user.name in page.text
    assert requests.get(f"{second}/people/", allow_redirects=False).status_code == 302  # no cookie: log in
