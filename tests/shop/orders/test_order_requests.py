"""A company's request for a quote and the moves before the quote (shop/orders/requests.py)."""
import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from shop import images
from shop.models import OutboxMessage
from shop.orders import events, requests
from shop.orders.models import CatalogueItem, Order, OrderLogo, OrderStatus, Visibility
from shop.orders.states import change_status
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


def png_bytes(size=(40, 20), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def bomb_bytes() -> bytes:
    """A small PNG that unpacks to far more pixels than any logo."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def uploads_in_tmp(app, tmp_path, monkeypatch):
    """Pictures go to a fresh folder for each test, not the project's instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "uploads"


@pytest.fixture
def shop_setup(make_site, make_user, make_company, make_catalogue_product):
    site = make_site()
    leader = make_user(Role.LEADER, site=site)
    company, customer = make_company()
    bag = make_catalogue_product()
    return site, leader, company, customer, bag


def _request(site, bag, quantity=500, **fields):
    return requests.QuoteRequest(site_id=site.id, lines=[requests.RequestedLine(
        product_id=bag.id, quantity=quantity, embroidery_text="ACME", thread_colours="rød", placement="front")],
        **fields)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_request_makes_a_requested_order_with_lines_logo_and_a_message_to_the_leaders(shop_setup):
    site, leader, company, customer, bag = shop_setup
    order = requests.request_quote(customer, _request(
        site, bag, wished_date=local_today() + timedelta(days=30), prototype_first=True, note="Til julefrokost",
        customer_reference="PO-17", logos=(requests.Upload(io.BytesIO(png_bytes()), "logo.png"),)))
    assert order.status == OrderStatus.REQUESTED and order.customer_id == company.id and order.site_id == site.id
    assert order.requested_by_id == customer.id and order.prototype_first and order.customer_reference == "PO-17"
    assert [(line.product_id, line.quantity, line.embroidery_text) for line in order.lines] == [(bag.id, 500, "ACME")]
    [logo] = order.logos
    assert logo.original_name == "logo.png" and (logo.width, logo.height) == (40, 20)
    assert (images.uploads_root() / logo.stored_name).is_file()
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "order_requested")).all()
    assert message.recipient == leader.email and order.number in message.subject
    assert f"/orders/{order.id}" in message.body


def test_a_hidden_product_or_one_chosen_for_another_company_is_refused(shop_setup, make_company,
                                                                       make_catalogue_product):
    site, _leader, _company, customer, _bag = shop_setup
    hidden = make_catalogue_product(visibility=Visibility.HIDDEN)
    chosen = make_catalogue_product(visibility=Visibility.CHOSEN)
    other, _user = make_company()
    item = db.session.scalar(select(CatalogueItem).where(CatalogueItem.product_id == chosen.id))
    item.chosen_customers.append(other)
    db.session.flush()
    for product in (hidden, chosen):
        with pytest.raises(DomainError, match="kan ikke bestilles"):
            requests.request_quote(customer, _request(site, product))
    assert _count(Order) == 0


@pytest.mark.parametrize("quantity", [0, None, 100_001])
def test_the_quantity_is_bounded(shop_setup, quantity):
    site, _leader, _company, customer, bag = shop_setup
    with pytest.raises(DomainError):
        requests.request_quote(customer, _request(site, bag, quantity=quantity))
    assert _count(Order) == 0


@pytest.mark.parametrize("days", [-1, 2 * 365 + 1])
def test_the_wished_date_is_not_past_and_not_far_ahead(shop_setup, days):
    site, _leader, _company, customer, bag = shop_setup
    with pytest.raises(DomainError) as refused:
        requests.request_quote(customer, _request(site, bag, wished_date=local_today() + timedelta(days=days)))
    assert refused.value.field == "wished_date"


def test_no_lines_and_an_unknown_site_are_refused(shop_setup):
    site, _leader, _company, customer, bag = shop_setup
    with pytest.raises(DomainError):
        requests.request_quote(customer, requests.QuoteRequest(site_id=site.id, lines=[]))
    with pytest.raises(DomainError):
        requests.request_quote(customer, requests.QuoteRequest(site_id=0, lines=_request(site, bag).lines))


def test_a_variant_of_another_product_is_refused(shop_setup, make_catalogue_product):
    from production.models import ProductVariant
    site, _leader, _company, customer, bag = shop_setup
    other = make_catalogue_product()
    variant = ProductVariant(product_id=other.id, label="Rød")
    db.session.add(variant)
    db.session.flush()
    request = _request(site, bag)
    request.lines[0].variant_id = variant.id
    with pytest.raises(DomainError, match="størrelse eller farve"):
        requests.request_quote(customer, request)


@pytest.mark.parametrize("data, message", [
    (b"just text, not a picture", "ikke et billede"),
    (b"\x89PNG" + b"0" * (images.MAX_UPLOAD_BYTES + 10), "for stort"),
    (None, "for mange pixels"),
])
def test_a_bad_logo_writes_nothing(shop_setup, uploads_in_tmp, data, message):
    site, _leader, _company, customer, bag = shop_setup
    good = requests.Upload(io.BytesIO(png_bytes()), "good.png")
    bad = requests.Upload(io.BytesIO(data if data is not None else bomb_bytes()), "logo.png")
    with pytest.raises(DomainError, match=message):
        requests.request_quote(customer, _request(site, bag, logos=(good, bad)))
    db.session.rollback()
    assert _count(Order) == 0 and _count(OrderLogo) == 0 and _count(OutboxMessage) == 0
    assert list(uploads_in_tmp.rglob("*.*")) == []  # the good logo, stored first, was deleted again


def test_a_customer_without_an_approved_company_cannot_ask(shop_setup, make_user):
    site, _leader, _company, _customer, bag = shop_setup
    with pytest.raises(NotFound):
        requests.request_quote(make_user(Role.CUSTOMER), _request(site, bag))


def test_the_timeline_gives_each_reached_step_its_date(make_order, clock):
    order = make_order()
    clock.shift(timedelta(days=2))
    change_status(order, OrderStatus.QUOTED)
    steps = {step.status: step for step in requests.timeline(order)}
    assert steps[OrderStatus.REQUESTED].reached_on == date(2026, 11, 23)
    assert steps[OrderStatus.QUOTED].reached_on == date(2026, 11, 25) and steps[OrderStatus.QUOTED].current
    assert steps[OrderStatus.ACCEPTED].reached_on is None
    assert OrderStatus.CANCELLED not in steps
    change_status(order, OrderStatus.CANCELLED)
    assert requests.timeline(order)[-1].status == OrderStatus.CANCELLED


def test_decline_needs_a_reason_and_a_request_without_quote(make_order, make_user):
    order = make_order()
    leader = make_user(Role.LEADER, site=order.site)
    with pytest.raises(DomainError, match="grunden"):
        requests.decline(order, leader, "  ")
    requests.decline(order, leader, "Vi har ikke tid")
    assert order.status == OrderStatus.DECLINED and order.history[-1].note == "Vi har ikke tid"
    with pytest.raises(DomainError):
        requests.decline(order, leader, "igen")


def test_cancel_tells_the_other_modules_and_refuses_a_closed_order(make_order, make_user):
    order = make_order()
    leader = make_user(Role.LEADER, site=order.site)
    heard = []
    with events.order_cancelled.connected_to(lambda sender, actor: heard.append((sender, actor))):
        requests.cancel(order, leader, "Kunden ringede")
    assert heard == [(order, leader)] and order.status == OrderStatus.CANCELLED
    with pytest.raises(DomainError):
        requests.cancel(order, leader, "igen")


def test_a_customer_withdraws_only_before_the_quote(make_order, make_company):
    company, customer = make_company()
    order = make_order(company=company, user=customer)
    change_status(order, OrderStatus.QUOTED)
    with pytest.raises(DomainError):
        requests.withdraw(order, customer)
    second = make_order(company=company, user=customer, site=order.site)
    requests.withdraw(second, customer)
    assert second.status == OrderStatus.CANCELLED and second.history[-1].by_user_id == customer.id


def test_the_workshop_list_filters_and_counts_what_waits(make_order, make_site, make_company):
    site = make_site()
    museum, _user = make_company(name="Byens Museum")
    first = make_order(site=site, company=museum, wished_date=date(2026, 12, 10))
    second = make_order(site=site)
    change_status(second, OrderStatus.CANCELLED)
    make_order()  # another site's
    assert requests.waiting_for_quote(site) == 1
    assert requests.workshop_orders(site) == [first]
    assert set(requests.workshop_orders(site, "all")) == {first, second}
    assert requests.workshop_orders(site, "closed") == [second]
    assert requests.workshop_orders(site, "all", customer_name="museum") == [first]
    assert requests.workshop_orders(site, "all", customer_name="100%_") == []
    assert requests.workshop_orders(site, "all", wished_by=date(2026, 12, 1)) == []
    assert requests.workshop_orders(site, "all", wished_by=date(2026, 12, 10)) == [first]
