"""Schemathesis fuzzes every operation of the OpenAPI document, bounded (a few dozen cases each):
no answer is a 500, every answer fits the schema it documents (errors too), every status is documented,
and every answer is JSON."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.shop.api.conftest import API, auth

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
OPERATIONS = [
    ("GET", "/api/v1/sites/{slug}/repairs"),
    ("POST", "/api/v1/sites/{slug}/bookings"),
    ("GET", "/api/v1/tickets/{token}"),
    ("GET", "/api/v1/orders"),
    ("GET", "/api/v1/orders/{order_id}"),
    ("GET", "/api/v1/sites/{slug}/impact"),
]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)


def test_the_fuzzer_sees_every_operation(api_schema):
    labels = {(operation.ok().method.upper(), operation.ok().path) for operation in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("token_of", ["leader", "customer_a", "revoked"])
@pytest.mark.parametrize("method, path", OPERATIONS)
def test_no_500_and_no_answer_outside_its_schema(app, world, api_schema, method, path, token_of):
    operation = api_schema[path][method]
    headers = auth(world.tokens[token_of])

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_with_real_ids_too(app, world, book, api_schema, method, path):
    """Random ids mostly miss; these cases use the seeded site, order and ticket, so the 200 answers are checked."""
    ticket = book(world.site_a)
    operation = api_schema[path][method]
    real = {"slug": world.site_a.slug, "order_id": world.order_a.id, "token": ticket.token}
    wanted = {name: value for name, value in real.items() if "{" + name + "}" in path}
    query = {"start": "2026-11-01", "end": "2026-11-30"} if path.endswith("/impact") else None
    body = {"body": {"garment": "shirt", "repair_ids": [world.site_a.repairs[0].id], "consent": True,
                     "slot_id": world.site_a.slots[0].id, "name": "Amina", "phone": "20123456"}} if method == "POST" else {}
    case = operation.Case(path_parameters=wanted, query=query, **body)
    response = case.call_and_validate(headers=auth(world.tokens["leader"]), checks=CHECKS)
    assert response.status_code in (200, 201)
