"""A leader records a partial delivery of a ready order at 1280 px and sees the printable delivery note."""
import pytest
from playwright.sync_api import Page, expect

from shop.orders import fulfilment
from tests.shop.orders.fulfilment_fixtures import (  # noqa: F401 - fixtures
    accept_order,
    finish_work_order,
    order_in_production,
)
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_a_leader_records_a_delivery_and_sees_the_delivery_note(browser_login, page: Page, live_server,
                                                                order_in_production, make_catalogue_product,
                                                                make_company, make_person, make_user):
    company, buyer = make_company(name="Designmuseet")
    order = order_in_production(company=company, user=buyer, lines=[(make_catalogue_product(), 12)])
    finish_work_order(fulfilment.work_orders_of(order)[0], make_person(site=order.site))
    leader = make_user(Role.LEADER, site=order.site, name="Lene Leder")
    product_name = order.lines[0].product.name_da
    db.session.commit()

    page.set_viewport_size(DESKTOP)
    browser_login(page, leader)
    page.goto(f"{live_server.url}/orders/{order.id}/deliveries")
    expect(page.get_by_role("heading", name="Registrér en levering")).to_be_visible()
    page.get_by_label(product_name).fill("5")
    page.get_by_label("Bemærkning på følgesedlen").fill("Første kasse")
    page.get_by_role("button", name="Registrér levering").click()

    expect(page.get_by_role("heading", name="Følgeseddel O-0001-1")).to_be_visible()
    row = page.get_by_role("row", name=product_name)
    expect(row).to_contain_text("12")
    expect(row).to_contain_text("5")
    expect(page.get_by_text("Første kasse")).to_be_visible()
    expect(page.get_by_text("Designmuseet")).to_be_visible()
