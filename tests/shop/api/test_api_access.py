"""Every API route, asked by every kind of caller: anonymous, customer of company A and of company B,
the leader of the order's workshop, a leader of another workshop, and a revoked token."""
import pytest

from tests.shop.api.conftest import API, auth, post_json

ROLES = ("anonymous", "customer_a", "customer_b", "leader", "leader_other_site", "revoked")

#: route -> expected status per caller, in the order of ROLES.
EXPECTED = {
    "openapi": (200, 200, 200, 200, 200, 200),
    "booking_options": (200, 200, 200, 200, 200, 200),
    "ticket": (200, 200, 200, 200, 200, 200),
    "orders": (401, 200, 200, 200, 200, 401),
    "order": (401, 200, 404, 200, 404, 401),
    "impact": (401, 403, 403, 200, 404, 401),
}


def _url(route: str, world, ticket_token: str) -> str:
    return {
        "openapi": f"{API}/openapi.json",
        "booking_options": f"{API}/sites/{world.site_a.slug}/repairs",
        "ticket": f"{API}/tickets/{ticket_token}",
        "orders": f"{API}/orders",
        "order": f"{API}/orders/{world.order_a.id}",
        "impact": f"{API}/sites/{world.site_a.slug}/impact?start=2026-11-01&end=2026-11-30",
    }[route]


def test_every_api_route_has_a_row(app):
    documented = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert documented == {"api.booking_options", "api.book", "api.ticket", "api.orders", "api.order", "api.impact"}
    # api.book is covered by test_booking_is_public_for_every_caller (it writes)


@pytest.mark.parametrize("route", EXPECTED)
def test_who_may_read_what(client, world, book, route):
    ticket = book(world.site_a)
    for role, expected in zip(ROLES, EXPECTED[route], strict=True):
        response = client.get(_url(route, world, ticket.token), headers=auth(world.tokens[role]))
        assert response.status_code == expected, (route, role, response.get_json())
        assert response.is_json, (route, role)
        if expected >= 400:
            assert response.get_json()["message"], (route, role)


def test_a_customer_sees_only_her_companys_orders(client, world):
    numbers = {role: [order["number"] for order in client.get(f"{API}/orders", headers=auth(world.tokens[role]))
                      .get_json()["orders"]] for role in ("customer_a", "customer_b", "leader", "leader_other_site")}
    assert numbers == {"customer_a": [world.order_a.number], "customer_b": [],
                       "leader": [world.order_a.number], "leader_other_site": []}


def test_an_order_shows_its_timeline_and_progress(client, world):
    body = client.get(f"{API}/orders/{world.order_a.id}", headers=auth(world.tokens["customer_a"])).get_json()
    assert body["number"] == world.order_a.number
    assert body["status"] == "requested"
    assert body["customer_reference"] == "PO-1"
    assert body["timeline"][0]["status"] == "requested" and body["timeline"][0]["current"]
    assert body["lines"][0]["quantity"] == 500
    assert body["lines"][0]["progress"] == []  # not released to production yet


def test_the_impact_figures_of_her_workshop(client, world):
    response = client.get(f"{API}/sites/{world.site_a.slug}/impact?start=2026-01-01&end=2026-12-31",
                          headers=auth(world.tokens["leader"]))
    body = response.get_json()
    assert (body["site"], body["start"], body["end"]) == (world.site_a.slug, "2026-01-01", "2026-12-31")
    assert body["revenue_ore"] == 0 and body["women"] == 0 and body["wage_share"] is None


@pytest.mark.parametrize("role", ROLES)
def test_booking_is_public_for_every_caller(client, world, role):
    site = world.site_a
    response = post_json(client, f"{API}/sites/{site.slug}/bookings", {
        "garment": "trousers", "repair_ids": [site.repairs[0].id], "slot_id": site.slots[0].id,
        "name": "Amina Testesen", "phone": "20 12 34 56", "consent": True}, world.tokens[role])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "booked"


def test_a_session_cookie_opens_nothing(client, world, login):
    """The API reads only tokens: a logged-in browser (whose requests are not CSRF-checked here) gets 401."""
    from workshop.models import User
    from workshop.extensions import db
    from sqlalchemy import select
    leader = db.session.scalar(select(User).where(User.role == "leader", User.site_id == world.site_a.id))
    login(client, leader)
    assert client.get(f"{API}/orders").status_code == 401
