"""Issue 14, "Headers and errors": security headers on every response, error pages too, and no inline
script or style in any template (the Content-Security-Policy allows none)."""
import re
from pathlib import Path

import pytest
from flask import g

from workshop import create_app
from workshop.models import Role
from workshop.security import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self' https://checkout.stripe.com")


def assert_security_headers(response, referrer="same-origin"):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP, response.request.path
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == referrer
    assert "Strict-Transport-Security" not in headers  # only in production


def _get(client, url):
    g.pop("_login_user", None)  # the test's app context outlives each request
    return client.get(url)


def test_the_policy_is_the_one_the_issue_asks_for():
    assert "; ".join(f"{name} {value}" for name, value in CONTENT_SECURITY_POLICY.items()) == CSP


def _one_plain_get_route_per_blueprint(app) -> dict[str, str]:
    """For each blueprint, a GET route without URL arguments (static files left out)."""
    routes = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        blueprint = rule.endpoint.rpartition(".")[0] or "app"
        if "GET" in rule.methods and not rule.arguments and not rule.endpoint.endswith("static"):
            routes.setdefault(blueprint, rule.rule)
    return routes


def test_a_page_of_every_blueprint_has_the_headers_and_no_store_when_logged_in(app, client_as):
    routes = _one_plain_get_route_per_blueprint(app)
    assert len(routes) >= 10, routes
    leader = client_as(Role.LEADER)
    for blueprint, path in routes.items():
        response = _get(leader, path)
        assert response.status_code < 500, (blueprint, path)
        token_page = response.headers["Referrer-Policy"] == "no-referrer"
        assert_security_headers(response, "no-referrer" if token_page else "same-origin")
        assert "no-store" in response.headers["Cache-Control"], (blueprint, path)


def test_login_page_anonymous_has_the_headers_and_may_be_cached(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_static_files_stay_cacheable_for_a_logged_in_user(client_as):
    response = _get(client_as(Role.LEADER), "/static/css/stitchwork.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_error_pages_404_and_400_have_the_headers(client, client_as):
    assert_security_headers(client.get("/no-such-page"))
    assert client.get("/no-such-page").status_code == 404
    bad = client.post("/login", data={"email": "a\x00b", "password": "x"})
    assert bad.status_code == 400
    assert_security_headers(bad)
    missing = _get(client_as(Role.LEADER), "/no-such-page")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert_security_headers(missing)


def test_the_500_page_has_the_headers(tmp_path):
    app = create_app({"TESTING": False, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})

    @app.route("/test-only-boom")
    def boom():
        raise RuntimeError("a test-only failure")

    response = app.test_client().get("/test-only-boom")
    assert response.status_code == 500
    assert_security_headers(response)


def test_hsts_only_in_production(client, tmp_path, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login", base_url="https://localhost").headers
    monkeypatch.setenv("STITCHWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key-for-this-test-only")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    response = app.test_client().get("/login", base_url="https://stitchwork.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/t/not-a-real-token", "/q/not-a-real-token"])
def test_token_pages_send_no_referrer_and_are_not_stored(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    assert_security_headers(response, referrer="no-referrer")
    assert response.headers["Cache-Control"] == "no-store"


#: What a Content-Security-Policy without 'unsafe-inline' refuses, written in a template.
INLINE = {
    "a <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an on...= handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: link": re.compile(r"javascript:", re.I),
}


JINJA_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def test_no_template_has_inline_script_or_style():
    found = [f"{path.relative_to(TEMPLATES)}: {what}"
             for path in sorted(TEMPLATES.rglob("*.html")) for what, pattern in INLINE.items()
             if pattern.search(JINJA_TAG.sub("", path.read_text(encoding="utf-8")))]
    assert not found, "move these into static/js/*.js or static/css/*.css:\n" + "\n".join(found)
