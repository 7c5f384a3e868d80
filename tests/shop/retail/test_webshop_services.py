"""The webshop's services: reservation at checkout, lapse and expiry release once, a payment sells once,
pay at pick-up sells when collected, tampered carts are refused, maker credits, and a constant query count."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from production.floor import record_work
from production.models import SourceKind
from production.workorders import create_work_order, release_work_order
from shop.models import OutboxMessage
from shop.payments import services as payments
from shop.retail import stock, webshop
from shop.retail.models import MovementKind, Sale, SalePaymentMethod, StockMovement
from shop.retail.web_models import WebOrder, WebOrderStatus, WebPayment
from tests.shop.test_stripe import _deliver, _event, fake_stripe  # noqa: F401 - fixture used by name
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role

BUYER = {"name": "Sara Buyer", "email": "sara@example.dk", "phone": "20 12 34 56"}


@pytest.fixture
def shelf(make_site, retail_item):
    """(site, a brooch at 99,50 kr. incl. VAT with 3 on the shelf)."""
    site, brooch = make_site(), retail_item(unit_price_ore=7_960)
    stock.produce(site, brooch, 3)
    db.session.commit()
    return site, brooch


def _order(site, item, quantity=2, payment=WebPayment.AT_PICKUP):
    cart = webshop.cart_set({}, item.key, quantity)
    order = webshop.place_order(site, webshop.cart_rows(cart), payment, **BUYER)
    db.session.commit()
    return order


def _count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_checkout_reserves_the_items_and_mails_the_link(app, shelf):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch)
    assert (order.status, order.total_ore, order.buyer_phone) == (WebOrderStatus.OPEN, 19_900, "+4520123456")
    assert stock.available(site, brooch.product) == 1
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.recipient == "sara@example.dk" and f"/butik/o/{order.token}" in message.body
    assert len(order.token) >= 32


def test_checkout_is_refused_whole_when_the_stock_is_short(app, shelf):
    site, brooch = shelf
    with app.test_request_context(), pytest.raises(DomainError, match="Ikke nok"):
        _order(site, brooch, quantity=4)
    db.session.rollback()
    assert _count(WebOrder) == 0 and stock.available(site, brooch.product) == 3


@pytest.mark.parametrize("key, quantity", [("999999", 1), ("abc", 1), ("1-2-3", 1), (None, 1)])
def test_a_tampered_cart_is_refused(shelf, key, quantity):
    with pytest.raises(DomainError):
        webshop.cart_set({}, key, quantity)


@pytest.mark.parametrize("quantity", [-1, 51, "2", 2.5])
def test_a_bad_quantity_is_refused(shelf, quantity):
    _site, brooch = shelf
    with pytest.raises(DomainError):
        webshop.cart_set({}, brooch.key, quantity)


def test_a_hidden_product_is_not_sold(shelf, retail_item):
    hidden = retail_item(active=False)
    with pytest.raises(DomainError):
        webshop.cart_set({}, hidden.key, 1)
    assert webshop.cart_rows({"lines": {hidden.key: 1, "junk": "x"}}) == []


def test_the_buyer_details_are_checked_with_clear_messages(app, shelf):
    site, brooch = shelf
    rows = webshop.cart_rows(webshop.cart_set({}, brooch.key, 1))
    for field, value in (("name", ""), ("email", "not-an-address"), ("phone", "123")):
        with app.test_request_context(), pytest.raises(DomainError) as error:
            webshop.place_order(site, rows, WebPayment.AT_PICKUP, **{**BUYER, field: value})
        assert error.value.field == field
        db.session.rollback()


def test_pay_at_pickup_sells_when_staff_mark_it_collected(app, shelf, make_user):
    site, brooch = shelf
    staff = make_user(Role.STAFF, site=site)
    with app.test_request_context():
        order = _order(site, brooch)
    webshop.mark_packed(order, staff)
    with pytest.raises(DomainError):
        webshop.mark_collected(order, staff, None)  # how she paid is required
    webshop.mark_collected(order, staff, SalePaymentMethod.MOBILEPAY)
    db.session.commit()
    sale = db.session.get(Sale, order.sale_id)
    assert (order.status, sale.payment_method, sale.total_ore) == (WebOrderStatus.COLLECTED,
                                                                   SalePaymentMethod.MOBILEPAY, 19_900)
    level = stock.level_for(site, brooch)
    assert (level.on_hand, level.reserved) == (1, 0)
    with pytest.raises(DomainError):
        webshop.mark_collected(order, staff, SalePaymentMethod.CASH)


def test_a_cancelled_pickup_order_gives_the_items_back(app, shelf, make_user):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch)
    webshop.cancel(order, make_user(Role.STAFF, site=site))
    assert order.status == WebOrderStatus.RELEASED and stock.available(site, brooch.product) == 3


def test_a_lapsed_reservation_is_released_once(app, shelf, clock):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch, payment=WebPayment.STRIPE)
    assert order.reserved_until is not None
    assert webshop.release_lapsed(db.session.commit) == 0  # not yet
    clock.shift(timedelta(minutes=31))
    assert webshop.release_lapsed(db.session.commit) == 1
    assert webshop.release_lapsed(db.session.commit) == 0
    assert _count(StockMovement, StockMovement.kind == MovementKind.RELEASED) == 1
    assert stock.available(site, brooch.product) == 3
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.RELEASED


def test_the_reservation_time_is_a_setting(app, shelf, clock):
    site, brooch = shelf
    app.config["RETAIL_RESERVATION_MINUTES"] = 5
    with app.test_request_context():
        _order(site, brooch, payment=WebPayment.STRIPE)
    clock.shift(timedelta(minutes=6))
    assert webshop.release_lapsed(db.session.commit) == 1


def _stripe_order(app, client, site, item):
    with app.test_request_context():
        order = _order(site, item, payment=WebPayment.STRIPE)
        online = payments.start_online_payment(webshop.WEB_ORDER, order.id, None)
        db.session.commit()
    return order, online


def test_an_expired_session_delivered_twice_releases_once(app, client, fake_stripe, shelf):
    site, brooch = shelf
    order, online = _stripe_order(app, client, site, brooch)
    for event_id in ("evt_1", "evt_1", "evt_2"):
        response = _deliver(client, _event("checkout.session.expired", online.session_id, "unpaid", 19_900, event_id))
        assert response.status_code == 200
    assert _count(StockMovement, StockMovement.kind == MovementKind.RELEASED) == 1
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.RELEASED
    assert stock.available(site, brooch.product) == 3
    assert webshop.release_lapsed(db.session.commit) == 0


def test_a_payment_delivered_twice_makes_one_sale(app, client, fake_stripe, shelf):
    site, brooch = shelf
    order, online = _stripe_order(app, client, site, brooch)
    assert fake_stripe.sessions[0]["amount_total"] == 19_900
    for event_id in ("evt_1", "evt_1", "evt_2"):
        _deliver(client, _event("checkout.session.completed", online.session_id, "paid", 19_900, event_id))
    assert _count(Sale) == 1
    order = db.session.get(WebOrder, order.id)
    assert order.status == WebOrderStatus.OPEN and order.sale.payment_method == SalePaymentMethod.STRIPE
    level = stock.level_for(site, brooch)
    assert (level.on_hand, level.reserved) == (1, 0)
    # An expiry arriving late changes nothing.
    _deliver(client, _event("checkout.session.expired", online.session_id, "unpaid", 19_900, "evt_3"))
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.OPEN
    assert _count(StockMovement, StockMovement.kind == MovementKind.RELEASED) == 1  # the sale's own release


def test_a_payment_after_the_lapse_sells_from_the_shelf_if_still_there(app, client, fake_stripe, shelf, clock):
    site, brooch = shelf
    order, online = _stripe_order(app, client, site, brooch)
    clock.shift(timedelta(minutes=31))
    webshop.release_lapsed(db.session.commit)
    _deliver(client, _event("checkout.session.completed", online.session_id, "paid", 19_900, "evt_9"))
    order = db.session.get(WebOrder, order.id)
    assert order.status == WebOrderStatus.OPEN and order.sale_id is not None
    assert stock.available(site, brooch.product) == 1


def test_the_maker_credit_counts_the_ledger_and_names_only_consenting_makers(
        app, make_site, make_user, make_person, retail_item):
    site = make_site(name="Høje Gladsaxe")
    leader = make_user(Role.LEADER, site=site)
    item = retail_item(unit_price_ore=5_000)
    work_order = create_work_order(site, quantity=4, due_date=date(2026, 12, 20), source_kind=SourceKind.RESTOCK,
                                   source_label="Lager", source_id=None, product=item.product)
    release_work_order(work_order, leader)
    amina, bodil = make_person(site=site, name="Amina"), make_person(site=site, name="Bodil")
    task = work_order.tasks[0]
    record_work(task, amina, 200, 2, leader)
    record_work(task, bodil, 160, 2, leader)
    db.session.commit()
    assert stock.available(site, item.product) == 4  # the finished batch went on the shelf

    with app.test_request_context():
        [credit] = webshop.maker_credits(item.product)
        assert (credit.people, credit.hours, credit.names) == (2, 6, ())
        assert webshop.credit_text(credit) == "Syet i Høje Gladsaxe af 2 kvinder, 6 timers arbejde."
        consent = webshop.record_consent(leader, amina.id, date(2026, 11, 1))
        [credit] = webshop.maker_credits(item.product)
        assert credit.names == ("Amina",)
        webshop.revoke_consent(leader, consent.id)
        [credit] = webshop.maker_credits(item.product)
        assert credit.names == ()


def test_consents_are_the_leaders_of_the_site(make_site, make_user, make_person):
    site = make_site()
    person = make_person(site=site)
    with pytest.raises(DomainError):
        webshop.record_consent(make_user(Role.STAFF, site=site), person.id, date(2026, 11, 1))
    with pytest.raises(NotFound):
        webshop.record_consent(make_user(Role.LEADER), person.id, date(2026, 11, 1))
    leader = make_user(Role.LEADER, site=site)
    webshop.record_consent(leader, person.id, date(2026, 11, 1))
    with pytest.raises(DomainError):
        webshop.record_consent(leader, person.id, date(2026, 11, 2))  # already given


def _statements(action) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def _products(count, make_site, retail_item):
    sites = [make_site(), make_site()]
    for number in range(count):
        item = retail_item(unit_price_ore=1_000 + number)
        stock.produce(sites[number % 2], item, 3)
    db.session.commit()


def test_the_product_list_takes_the_same_number_of_statements_for_20_and_200_products(client, make_site,
                                                                                        retail_item):
    _products(20, make_site, retail_item)
    few = _statements(lambda: client.get("/butik/"))
    _products(180, make_site, retail_item)
    response = None

    def get():
        nonlocal response
        response = client.get("/butik/")

    many = _statements(get)
    assert response.status_code == 200 and response.get_data(as_text=True).count("/butik/p/") == 200
    assert few == many
