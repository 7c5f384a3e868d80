"""The stock page per role, and the leader's forms: levels, adjust, move, one-click restock."""
import pytest
from sqlalchemy import select

from production.models import SourceKind, WorkOrder, WorkOrderStatus
from shop.retail import stock
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture
def shelf(make_site, retail_item):
    site, item = make_site(), retail_item()
    stock.produce(site, item, 5)
    db.session.commit()
    return site, item


def test_leader_and_staff_of_the_site_see_the_stock(client_as, shelf):
    site, item = shelf
    leader_page = client_as(Role.LEADER, site=site).get("/retail/stock")
    assert leader_page.status_code == 200
    text = leader_page.get_data(as_text=True)
    assert item.product.name_da in text and "Ret lageret" in text
    level = stock.level_for(site, item)
    assert client_as(Role.STAFF, site=site).get(f"/retail/stock/{level.id}").status_code == 200


def test_staff_sees_no_leader_forms_and_may_not_post_them(client_as, shelf):
    site, item = shelf
    client = client_as(Role.STAFF, site=site)
    assert "Ret lageret" not in client.get("/retail/stock").get_data(as_text=True)
    answer = client.post("/retail/stock/adjust", data={"adjust-item": item.key, "adjust-quantity": "3",
                                                       "adjust-reason": "x"})
    assert answer.status_code == 403


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
def test_trainees_and_customers_are_turned_away(client_as, shelf, role):
    assert client_as(role).get("/retail/stock").status_code == 403


def test_anonymous_goes_to_login(client, shelf):
    answer = client.get("/retail/stock")
    assert answer.status_code == 302 and "/login" in answer.location


def test_another_sites_stock_item_is_not_found(client_as, shelf, make_site):
    site, item = shelf
    level = stock.level_for(site, item)
    assert client_as(Role.LEADER, site=make_site()).get(f"/retail/stock/{level.id}").status_code == 404


def test_leader_sets_levels_adjusts_moves_and_restocks(client_as, shelf, make_site):
    site, item = shelf
    there = make_site()
    client = client_as(Role.LEADER, site=site)

    answer = client.post("/retail/stock/levels", data={"levels-item": item.key, "levels-min_level": "10",
                                                       "levels-target_level": "20"})
    assert answer.status_code == 302
    assert client.post("/retail/stock/adjust", data={"adjust-item": item.key, "adjust-quantity": "-1",
                                                      "adjust-reason": "Broken"}).status_code == 302
    assert client.post("/retail/stock/move", data={"move-item": item.key, "move-to_site_id": str(there.id),
                                                    "move-quantity": "1"}).status_code == 302
    assert client.post("/retail/stock/restock", data={"item": item.key}).status_code == 302

    work_order = db.session.scalars(select(WorkOrder)).one()
    assert (work_order.source_kind, work_order.quantity, work_order.status) == (SourceKind.RESTOCK, 17,
                                                                                WorkOrderStatus.RELEASED)
    assert stock.level_for(site, item).on_hand == 3 and stock.level_for(there, item).on_hand == 1


def test_bad_input_is_refused_with_a_message_and_nothing_written(client_as, shelf):
    site, item = shelf
    client = client_as(Role.LEADER, site=site)
    cases = [
        ("/retail/stock/adjust", {"adjust-item": item.key, "adjust-quantity": "-9", "adjust-reason": "Lost"},
         "Ikke nok på lager"),
        ("/retail/stock/adjust", {"adjust-item": item.key, "adjust-quantity": "2", "adjust-reason": ""},
         "Skriv hvorfor lageret rettes."),
        ("/retail/stock/levels", {"levels-item": item.key, "levels-min_level": "9", "levels-target_level": "2"},
         "Målet skal være mindst minimum"),
        ("/retail/stock/restock", {"item": item.key}, "Der er nok af denne vare"),
        ("/retail/stock/restock", {"item": "99999"}, "Dette produkt sælges ikke i butikken."),
        ("/retail/stock/move", {"move-item": item.key, "move-to_site_id": str(site.id), "move-quantity": "1"},
         "move-to_site_id-error"),
    ]
    for url, data, message in cases:
        answer = client.post(url, data=data)
        assert answer.status_code == 400, url
        assert message in answer.get_data(as_text=True), (url, message)
    assert stock.level_for(site, item).on_hand == 5
    assert db.session.scalars(select(WorkOrder)).all() == []


def test_the_leaders_start_page_proposes_restocking_with_one_click(client, login, make_site, make_user, retail_item):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    item = retail_item()
    login(client, leader)
    assert "Forslag til genopfyldning" not in client.get("/people/dashboard").get_data(as_text=True)

    stock.produce(site, item, 2)
    stock.set_levels(site, item, 5, 12)
    db.session.commit()
    page = client.get("/people/dashboard").get_data(as_text=True)

    assert "Forslag til genopfyldning" in page and "lav 10" in page
    response = client.post("/retail/stock/restock", data={"item": item.key})
    assert response.status_code == 302
    assert "Forslag til genopfyldning" not in client.get("/people/dashboard").get_data(as_text=True)
