"""Bad input to the API: a clear JSON message and a 4xx, never a 500, never half-written records."""
import pytest
from sqlalchemy import func, select

from shop.models import RepairTicket
from tests.shop.api.conftest import API, auth, post_json
from workshop.extensions import db


def _booking(site, **changes) -> dict:
    body = {"garment": "trousers", "repair_ids": [site.repairs[0].id], "slot_id": site.slots[0].id,
            "name": "Amina Testesen", "phone": "20 12 34 56", "consent": True}
    body.update(changes)
    return body


def _tickets() -> int:
    return db.session.scalar(select(func.count(RepairTicket.id)))


def test_a_booking_through_the_api_is_the_same_ticket_as_the_form_makes(client, repair_site):
    site = repair_site("alpha")
    response = post_json(client, f"{API}/sites/alpha/bookings", _booking(site, email="amina@example.org"))
    body = response.get_json()
    assert response.status_code == 201
    assert body["number"] == "A-0001" and body["total_ore"] == 8000
    assert body["lines"] == [{"name": site.repairs[0].name, "price_ore": 8000}]
    assert "Amina" not in response.get_data(as_text=True)  # no personal data in the answer
    ticket_page = client.get(f"/t/{body['token']}")
    assert ticket_page.status_code == 200 and "A-0001" in ticket_page.get_data(as_text=True)
    status = client.get(f"{API}/tickets/{body['token']}").get_json()
    assert status["status"] == "booked" and status["drop_off"]["starts_at"].endswith("+00:00")


def test_sending_the_same_request_key_twice_makes_one_ticket(client, repair_site):
    site = repair_site("alpha")
    first = post_json(client, f"{API}/sites/alpha/bookings", _booking(site, request_key="abc-123"))
    again = post_json(client, f"{API}/sites/alpha/bookings", _booking(site, request_key="abc-123"))
    assert first.get_json()["number"] == again.get_json()["number"]
    assert _tickets() == 1


@pytest.mark.parametrize("changes, field", [
    ({"phone": "12"}, "phone"),
    ({"name": "   "}, "name"),
    ({"consent": False}, "consent"),
    ({"email": "not-an-address"}, "email"),
    ({"slot_id": 999999}, "slot"),
    ({"repair_ids": [999999]}, "repairs"),
])
def test_a_rule_of_the_booking_form_says_no_with_the_forms_message(client, repair_site, changes, field):
    site = repair_site("alpha")
    response = post_json(client, f"{API}/sites/alpha/bookings", _booking(site, **changes))
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["message"] and body["errors"][field] == [body["message"]]
    assert _tickets() == 0


@pytest.mark.parametrize("changes", [
    {"repair_ids": [2**31]}, {"repair_ids": []}, {"repair_ids": ["1"]}, {"slot_id": -1}, {"slot_id": 10**30},
    {"name": "Amina\x00"}, {"name": "x" * 5000}, {"garment": "hat"}, {"locale": "xx"}, {"consent": "maybe"},
    {"request_key": "../../etc"}, {"unknown": 1},
])
def test_a_wrong_field_is_422_naming_it(client, repair_site, changes):
    site = repair_site("alpha")
    response = post_json(client, f"{API}/sites/alpha/bookings", _booking(site, **changes))
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["code"] == 422 and body["message"] and body["errors"]
    assert _tickets() == 0


@pytest.mark.parametrize("data, content_type", [
    ("{not json", "application/json"), ("[]", "application/json"), ("null", "application/json"),
    ("name=Amina", "application/x-www-form-urlencoded"), ("\x00", "application/json"),
])
def test_a_body_that_is_not_a_booking_is_4xx_json(client, repair_site, data, content_type):
    repair_site("alpha")
    response = client.open(f"{API}/sites/alpha/bookings", method="POST", data=data, content_type=content_type)
    assert 400 <= response.status_code < 500, response.data
    assert response.is_json and response.get_json()["message"]


@pytest.mark.parametrize("path", [
    "/sites/nowhere/repairs", "/tickets/unknown-token", "/orders/99999", "/nothing", "/orders/2147483648",
    "/tickets/%00", "/sites/%00/repairs",
])
def test_not_found_and_odd_addresses_answer_json(client, world, path):
    response = client.get(API + path, headers=auth(world.tokens["leader"]))
    assert 400 <= response.status_code < 500
    assert response.is_json and response.get_json()["message"]


def test_a_wrong_method_answers_json(client):
    response = client.open(f"{API}/orders", method="DELETE")
    assert response.status_code == 405 and response.is_json


@pytest.mark.parametrize("query", [
    "", "start=2026-01-01", "start=0001-01-01&end=0001-12-31", "start=9999-01-01&end=9999-12-31",
    "start=2026-12-01&end=2026-01-01", "start=2000-01-01&end=2100-12-31", "start=x&end=y",
    "start=2026-02-30&end=2026-03-01", "start=%00&end=2026-01-01",
])
def test_a_wrong_period_is_a_clear_4xx(client, world, query):
    response = client.get(f"{API}/sites/{world.site_a.slug}/impact?{query}", headers=auth(world.tokens["leader"]))
    assert 400 <= response.status_code < 500, response.get_json()
    assert response.get_json()["message"]


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Bearer sw_" + "x" * 500, "bearer nope",
                                    "Bearer sw_\u00e6\u00f8\u00e5"])
def test_a_malformed_token_is_401(client, world, header):
    response = client.get(f"{API}/orders", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bookings_are_rate_limited_with_a_json_answer(app, client, repair_site):
    site = repair_site("alpha")
    app.config["REPAIRS_BOOKING_RATE_LIMIT"] = "2 per hour"
    statuses = [post_json(client, f"{API}/sites/alpha/bookings", _booking(site, slot_id=site.slots[1].id))
                for _ in range(3)]
    assert [response.status_code for response in statuses] == [201, 201, 429]
    assert statuses[-1].is_json and statuses[-1].get_json()["message"]


def test_the_api_is_rate_limited(app, client, world):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(f"{API}/orders", headers=auth(world.tokens["leader"])).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_token_is_checked_before_the_parameters(client, world):
    """An anonymous caller learns nothing about the parameters: 401 before any 422."""
    response = client.get(f"{API}/sites/{world.site_a.slug}/impact?start=x")
    assert response.status_code == 401
