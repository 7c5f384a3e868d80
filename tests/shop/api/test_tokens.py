"""API tokens: made and revoked by the user on her page (or by the CLI), stored only as a hash."""
import re

import pytest
from flask import g
from sqlalchemy import select

from shop.api.models import ApiToken
from shop.api.tokens import hash_token
from tests.shop.api.conftest import API, auth
from workshop.extensions import db
from workshop.models import Role

PAGE = "/account/api-tokens/"


def _made_token(response) -> str:
    return re.search(r'id="new-token">(sw_[A-Za-z0-9_-]+)<', response.get_data(as_text=True))[1]


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.LEADER])
def test_she_makes_a_token_sees_it_once_and_it_opens_the_api(app, client_as, role):
    client = client_as(role)
    response = client.post(PAGE, data={"name": "Vores ERP"})
    assert response.status_code == 201
    token = _made_token(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(token) and token not in (stored.token_hash, stored.prefix)
    assert token not in client.get(PAGE).get_data(as_text=True)  # shown once
    assert app.test_client().get(f"{API}/orders", headers=auth(token)).status_code == 200  # no cookie


def test_a_revoked_token_stops_working_at_once(client_as):
    client = client_as(Role.LEADER)
    token = _made_token(client.post(PAGE, data={"name": "Script"}))
    row = db.session.scalar(select(ApiToken))
    response = client.post(f"{PAGE}{row.id}/revoke")
    assert response.status_code == 303
    assert "Script" in client.get(PAGE).get_data(as_text=True)
    assert client.get(f"{API}/orders", headers=auth(token)).status_code == 401


def test_she_cannot_revoke_someone_elses_token(client, client_as, make_user, login):
    owner = client_as(Role.LEADER)
    owner.post(PAGE, data={"name": "Hers"})
    row = db.session.scalar(select(ApiToken))
    g.pop("_login_user", None)
    login(client, make_user(Role.LEADER))
    assert client.post(f"{PAGE}{row.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, row.id).revoked_at is None


@pytest.mark.parametrize("name", ["", " ", "x" * 61])
def test_a_token_needs_a_short_name(client_as, name):
    response = client_as(Role.CUSTOMER).post(PAGE, data={"name": name})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_needs_the_forms_csrf_token(client_as):
    client = client_as(Role.LEADER)
    client.post(PAGE, data={"name": "Script"})
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"{PAGE}{row.id}/revoke", csrf=False).status_code == 400
    assert db.session.get(ApiToken, row.id).revoked_at is None


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE])
def test_staff_and_trainees_have_no_tokens(client_as, role):
    assert client_as(role).get(PAGE).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_cli_makes_lists_and_revokes_a_token(app, client, make_user):
    leader = make_user(Role.LEADER, email="leder@cli.example")
    runner = app.test_cli_runner()
    made = runner.invoke(args=["api", "token", "create", "--email", "LEDER@cli.example", "--name", "Rapport"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().rsplit(" ", 1)[-1]
    assert client.get(f"{API}/orders", headers=auth(token)).status_code == 200
    listed = runner.invoke(args=["api", "token", "list", "--email", leader.email])
    assert "active" in listed.output and token not in listed.output
    row_id = db.session.scalar(select(ApiToken.id))
    assert runner.invoke(args=["api", "token", "revoke", "--email", leader.email, "--id", str(row_id)]).exit_code == 0
    assert client.get(f"{API}/orders", headers=auth(token)).status_code == 401
    refused = runner.invoke(args=["api", "token", "create", "--email", "nobody@cli.example", "--name", "x"])
    assert refused.exit_code != 0 and "No user" in refused.output
