"""The webshop's services: reservation at checkout, lapse and expiry release once, a payment sells once,
pay at pick-up sells when collected, tampered carts are refused, maker credits, and a constant query count."""
from datetime import UTC, date, timedelta

import pytest
from flask import g, session
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, func, select, text

from production.floor import record_work
from production.models import SourceKind
from production.workorders import create_work_order, release_work_order
from shop.models import OutboxMessage
from shop.payments import refunds
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
    clock.shift(timedelta(minutes=33))
    assert webshop.release_lapsed(db.session.commit) == 0  # a last-moment payment's webhook may be on its way
    clock.shift(timedelta(minutes=5))
    assert webshop.release_lapsed(db.session.commit) == 1
    assert webshop.release_lapsed(db.session.commit) == 0
    assert _count(StockMovement, StockMovement.kind == MovementKind.RELEASED) == 1
    assert stock.available(site, brooch.product) == 3
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.RELEASED


def test_the_reservation_time_is_a_setting_within_what_stripe_allows_a_session(app, shelf, clock):
    site, brooch = shelf
    app.config["RETAIL_RESERVATION_MINUTES"] = 90
    with app.test_request_context():
        _order(site, brooch, payment=WebPayment.STRIPE)
    clock.shift(timedelta(minutes=94))
    assert webshop.release_lapsed(db.session.commit) == 0
    clock.shift(timedelta(minutes=2))
    assert webshop.release_lapsed(db.session.commit) == 1
    # Shorter than a Checkout Session can be (30 minutes), it holds as long as the shortest session.
    app.config["RETAIL_RESERVATION_MINUTES"] = 5
    with app.test_request_context():
        order = _order(site, brooch, payment=WebPayment.STRIPE)
    assert timedelta(minutes=30) < order.reserved_until - webshop._now() <= payments.CHECKOUT_SHORTEST
    clock.shift(timedelta(minutes=6) + webshop.LAPSE_GRACE)
    assert webshop.release_lapsed(db.session.commit) == 0


def _stripe_order(app, client, site, item):
    with app.test_request_context():
        order = _order(site, item, payment=WebPayment.STRIPE)
        online = payments.start_online_payment(webshop.WEB_ORDER, order.id, None,
                                               return_url=webshop.order_url(order))
        db.session.commit()
    return order, online


def test_the_checkout_session_ends_with_the_reservation(app, client, fake_stripe, shelf):
    site, brooch = shelf
    order, online = _stripe_order(app, client, site, brooch)
    [(_path, _headers, fields)] = fake_stripe.requests
    assert int(fields["expires_at"]) == int(order.reserved_until.replace(tzinfo=UTC).timestamp())
    # Back from Stripe she lands on her own page, whose key only her browser and e-mail know.
    assert fields["cancel_url"].endswith(f"/butik/o/{order.token}")
    assert fields["success_url"].endswith(f"&next=%2Fbutik%2Fo%2F{order.token}")
    fake_stripe.sessions[0].update(payment_status="paid", status="complete", amount_total=19_900, currency="dkk")
    response = client.get(f"/payments/done?session_id={online.session_id}&next=/butik/o/{order.token}")
    assert response.headers["Location"] == f"/butik/o/{order.token}"
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.OPEN


def test_a_day_long_reservation_stops_where_stripe_stops_a_session(app, client, fake_stripe, shelf):
    site, brooch = shelf
    app.config["RETAIL_RESERVATION_MINUTES"] = 24 * 60
    order, _online = _stripe_order(app, client, site, brooch)
    assert timedelta(hours=23, minutes=58) < order.reserved_until - webshop._now() <= payments.CHECKOUT_LONGEST
    [(_path, _headers, fields)] = fake_stripe.requests
    assert int(fields["expires_at"]) == int(order.reserved_until.replace(tzinfo=UTC).timestamp())


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
    clock.shift(timedelta(minutes=40))
    assert webshop.release_lapsed(db.session.commit) == 1
    _deliver(client, _event("checkout.session.completed", online.session_id, "paid", 19_900, "evt_9"))
    order = db.session.get(WebOrder, order.id)
    assert order.status == WebOrderStatus.OPEN and order.sale_id is not None
    assert stock.available(site, brooch.product) == 1


def _sold_out_after_the_lapse(app, client, site, brooch, clock):
    """A card order for 2 lapses; another buyer takes 2 of the 3; then the first payment arrives."""
    order, online = _stripe_order(app, client, site, brooch)
    clock.shift(timedelta(minutes=40))
    assert webshop.release_lapsed(db.session.commit) == 1
    with app.test_request_context():
        _order(site, brooch)
    _deliver(client, _event("checkout.session.completed", online.session_id, "paid", 19_900, "evt_9"))
    db.session.expire_all()
    g.pop("_login_user", None)  # the request contexts above share the test's `g`
    return db.session.get(WebOrder, order.id), online


def test_a_payment_after_the_lapse_when_sold_out_flags_the_order_until_staff_reserve_again(
        app, client, fake_stripe, shelf, clock, make_user):
    site, brooch = shelf
    order, _online = _sold_out_after_the_lapse(app, client, site, brooch, clock)
    assert (order.status, order.sale_id) == (WebOrderStatus.PAID_LAPSED, None)
    assert _count(Sale) == 0 and stock.available(site, brooch.product) == 1
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "web_order_paid_lapsed")).one()
    assert told.recipient == order.buyer_email and "pengene tilbage" in told.body
    staff = make_user(Role.STAFF, site=site)
    with pytest.raises(DomainError, match="ikke på lager"):
        webshop.reserve_again(order, staff)
    db.session.rollback()
    stock.produce(site, brooch, 1)
    webshop.reserve_again(order, staff)
    db.session.commit()
    assert order.status == WebOrderStatus.OPEN and order.sale.payment_method == SalePaymentMethod.STRIPE
    assert stock.available(site, brooch.product) == 0
    with pytest.raises(DomainError):
        webshop.reserve_again(order, staff)  # once


def test_staff_see_the_flag_and_the_buyer_is_told_plainly(app, client, client_as, fake_stripe, shelf, clock):
    site, brooch = shelf
    staff = client_as(Role.STAFF, site=site)  # logged in before the clock moves on
    order, _online = _sold_out_after_the_lapse(app, client, site, brooch, clock)
    buyer_page = client.get(f"/butik/o/{order.token}").get_data(as_text=True)
    assert "Værkstedet kontakter dig" in buyer_page and "pengene tilbage" in buyer_page
    page = staff.get("/retail/web-orders").get_data(as_text=True)
    assert "Betalt efter at varerne blev givet fri" in page and "En leder kan give pengene tilbage." in page
    assert "Betalt online" in page  # she paid; the items are what is missing
    response = staff.post(f"/retail/web-orders/{order.id}/reserve-again")
    assert response.status_code == 400 and "stadig ikke på lager" in response.get_data(as_text=True)
    stock.produce(site, brooch, 1)
    db.session.commit()
    assert staff.post(f"/retail/web-orders/{order.id}/reserve-again").status_code == 303
    db.session.expire_all()
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.OPEN


def test_a_payment_after_the_lapse_when_sold_out_is_closed_by_a_full_refund(
        app, client, fake_stripe, shelf, clock, make_user):
    site, brooch = shelf
    order, online = _sold_out_after_the_lapse(app, client, site, brooch, clock)
    leader = make_user(Role.LEADER, site=site)
    refunds.start_refund(online, 9_900, "Udsolgt", leader, commit=db.session.commit)
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.PAID_LAPSED  # half is not all
    refunds.start_refund(online, 10_000, "Udsolgt", leader, commit=db.session.commit)
    db.session.expire_all()
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.REFUNDED


def test_an_uncollected_pick_up_order_is_released_after_the_hold_days_once_and_she_is_told(
        app, shelf, clock, make_user):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch, quantity=1)
        collected = _order(site, brooch, quantity=1)
    webshop.mark_collected(collected, make_user(Role.STAFF, site=site), SalePaymentMethod.CASH)
    db.session.commit()
    # Placed Monday 23 November at 08:00: she can collect it until Monday 30 November, all day.
    assert webshop.collect_by(order) == date(2026, 11, 30) and webshop.collect_by(collected) is None
    assert "30. november 2026" in db.session.scalars(select(OutboxMessage.body)).first()
    clock.shift(timedelta(days=7, hours=15, minutes=50))  # Monday 30 November, 23:50
    assert webshop.release_lapsed(db.session.commit) == 0
    clock.shift(timedelta(minutes=20))
    assert webshop.release_lapsed(db.session.commit) == 1
    assert webshop.release_lapsed(db.session.commit) == 0
    db.session.expire_all()
    assert db.session.get(WebOrder, order.id).status == WebOrderStatus.RELEASED
    assert db.session.get(WebOrder, collected.id).status == WebOrderStatus.COLLECTED
    assert stock.available(site, brooch.product) == 2
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "web_order_uncollected")).one()
    assert mail.recipient == "sara@example.dk" and "7 dage" in mail.body


def test_she_shopped_in_english_and_the_later_e_mail_is_in_english(app, shelf, clock):
    site, brooch = shelf
    with app.test_request_context():
        session["locale"] = "en"
        order = _order(site, brooch, quantity=1)
    assert order.locale == "en"
    clock.shift(timedelta(days=8))
    assert webshop.release_lapsed(db.session.commit) == 1
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "web_order_uncollected")).one()
    assert "was not picked up within 7 days" in mail.body


def test_the_hold_days_are_a_setting(app, shelf, clock):
    site, brooch = shelf
    app.config["RETAIL_PICKUP_HOLD_DAYS"] = 2
    with app.test_request_context():
        order = _order(site, brooch)
    assert webshop.collect_by(order) == date(2026, 11, 25)
    clock.shift(timedelta(days=3))
    assert webshop.release_lapsed(db.session.commit) == 1


def test_the_order_key_is_stored_only_as_its_hash(app, shelf):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch)
    token = order.token
    db.session.expire_all()
    stored = db.session.get(WebOrder, order.id)
    assert token not in (stored.token_hash, stored.buyer_email) and len(stored.token_hash) == 64
    assert webshop.order_by_token(token).id == order.id
    with pytest.raises(NotFound):
        webshop.order_by_token(stored.token_hash)


def test_the_migration_hashes_the_keys_of_existing_orders(app, shelf):
    site, brooch = shelf
    with app.test_request_context():
        order = _order(site, brooch)
    token, order_id = order.token, order.id
    db.session.remove()
    try:
        downgrade(revision="0019_web_orders")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE web_orders SET token = :token WHERE id = :id"),
                               {"token": token, "id": order_id})
    finally:
        upgrade()
    assert webshop.order_by_token(token).id == order_id


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
