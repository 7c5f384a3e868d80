"""A seeded world for the API tests: two workshops, two companies, a leader of each workshop,
an order of company A at workshop A, and an API token for each of them (one revoked)."""
from dataclasses import dataclass

import pytest

from shop.api import tokens
from tests.shop.orders.conftest import make_catalogue_product, make_company, make_order  # noqa: F401 - fixtures
from workshop.extensions import db
from workshop.models import Role

API = "/api/v1"


@dataclass
class World:
    site_a: object
    site_b: object
    order_a: object
    tokens: dict  # role name -> bearer token


def auth(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(autouse=True)
def _generous_limits(app):
    saved = app.config.get("API_RATE_LIMIT")
    app.config["API_RATE_LIMIT"] = "10000 per minute"
    yield
    if saved is None:
        app.config.pop("API_RATE_LIMIT", None)
    else:
        app.config["API_RATE_LIMIT"] = saved


@pytest.fixture
def world(repair_site, make_user, make_company, make_order):
    site_a, site_b = repair_site("alpha"), repair_site("beta")
    company_a, customer_a = make_company(name="Firma A")
    _company_b, customer_b = make_company(name="Firma B")
    order_a = make_order(site=site_a, company=company_a, user=customer_a, customer_reference="PO-1")
    leader_a = make_user(Role.LEADER, site=site_a)
    leader_b = make_user(Role.LEADER, site=site_b)
    revoked_user = make_user(Role.LEADER, site=site_a)
    made = {name: tokens.create_token(user, name)[1] for name, user in (
        ("customer_a", customer_a), ("customer_b", customer_b), ("leader", leader_a),
        ("leader_other_site", leader_b), ("revoked", revoked_user))}
    revoked_row = tokens.user_tokens(revoked_user)[0]
    tokens.revoke_token(revoked_user, revoked_row.id)
    db.session.commit()
    made["anonymous"] = None
    return World(site_a, site_b, order_a, made)


def post_json(client, path: str, body, token: str | None = None):
    """POST a JSON body (the suite's client would add an empty form otherwise)."""
    return client.open(path, method="POST", json=body, headers=auth(token))
