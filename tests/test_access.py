"""Every page is closed to anonymous visitors unless it is meant to be public."""
import pytest

#: Endpoints anyone may open without logging in.
PUBLIC_ENDPOINTS = {"static", "bootstrap.static", "workshop.login", "workshop.home", "workshop.health",
                    "workshop.ready",  # a load balancer's readiness check
                    "payments.done",  # Stripe sends the payer back there; she may have no account
                    "companies.register",
                    # the second login step and the password reset by e-mail
                    "auth.login_code", "auth.forgot_password", "auth.reset_password"}
PUBLIC_PREFIXES = ("public.", "repairs_public.", "webhooks.", "quotes_public.", "webshop.", "webshop_order.")
#: The JSON API reads no session: its documents are public, and the rest answer 401 JSON without a
#: token (every route and role: tests/shop/api/test_api_access.py).
API_PUBLIC = {"api-docs.openapi_json"}
API_PREFIX = "api."


def _plain_get_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            yield rule


def test_every_private_page_sends_anonymous_visitors_to_login(app, client):
    checked = 0
    for rule in _plain_get_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS | API_PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        if rule.endpoint.startswith(API_PREFIX):
            response = client.get(rule.rule)
            assert response.status_code == 401 and response.is_json, rule.rule
            continue
        response = client.get(rule.rule)
        assert response.status_code == 302, rule.rule
        assert "/login" in response.headers["Location"], rule.rule
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("path", ["/", "/people/", "/audit"])
def test_anonymous_start_goes_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
