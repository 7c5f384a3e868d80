"""An unpaid web order's lapse, its expired Checkout Session and its payment arrive at the same moment:
the reservation is given back at most once and the items are sold exactly once (PostgreSQL, real threads)."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.retail import stock, webshop
from shop.retail.models import MovementKind, Sale, StockMovement
from shop.retail.web_models import WebOrder, WebOrderStatus, WebPayment
from workshop.extensions import db


def _run(app, action, results, key):
    with app.app_context():
        try:
            action()
            db.session.commit()
            results[key] = "ok"
        except Exception as error:  # a refusal or a bug: either way the test shows it
            db.session.rollback()
            results[key] = f"error: {error!r}"
        finally:
            db.session.remove()


@pytest.mark.parametrize("round_", range(3))
def test_lapse_expiry_and_payment_racing_end_in_one_sale_and_a_clean_shelf(app, make_site, retail_item, clock,
                                                                            round_):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL only")
    site, item = make_site(), retail_item(unit_price_ore=5_000)
    stock.produce(site, item, 2)
    with app.test_request_context():
        order = webshop.place_order(site, webshop.cart_rows(webshop.cart_set({}, item.key, 2)), WebPayment.STRIPE,
                                    name="Sara", email="s@example.dk", phone="20123456")
    db.session.commit()
    order_id = order.id
    clock.shift(timedelta(minutes=40))  # past the reservation and the lapse command's grace
    actions = {
        "lapse": lambda: webshop.release_lapsed(db.session.commit),
        "expired": lambda: webshop.release_if_unpaid(db.session.get(WebOrder, order_id), "expired"),
        "paid": lambda: webshop.mark_paid_online(db.session.get(WebOrder, order_id)),
    }
    results: dict[str, str] = {}
    start = threading.Barrier(len(actions))

    def worker(name):
        start.wait(30)
        _run(app, actions[name], results, name)

    threads = [threading.Thread(target=worker, args=(name,)) for name in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()

    assert results == {name: "ok" for name in actions}, results
    assert db.session.scalar(select(func.count(Sale.id))) == 1
    order = db.session.get(WebOrder, order_id)
    assert order.status == WebOrderStatus.OPEN and order.sale_id is not None
    level = stock.level_for(site, item)
    assert (level.on_hand, level.reserved) == (0, 0)
    released = db.session.scalar(select(func.count(StockMovement.id)).where(
        StockMovement.kind == MovementKind.RELEASED, StockMovement.reference == f"web_order:{order_id}"))
    assert released <= 1  # given back once at most (the sale's own release is named by its receipt)
