"""Twenty buyers take the last three items at the same moment: exactly three sales, seventeen clear refusals.

Real threads, each in its own transaction, on PostgreSQL (the level row lock and the conditional UPDATE).
SQLite has one writer at a time and no row locks, so the race is run on PostgreSQL only.
"""
import threading

import pytest
from sqlalchemy import func, select

from shop.retail import stock
from shop.retail.models import MovementKind, StockMovement
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site


def _buy(app, site_id, product_id, results, key):
    with app.app_context():
        try:
            site = db.session.get(Site, site_id)
            stock.sell(site, stock.stock_item(product_id), 1, reference=f"buyer:{key}")
            db.session.commit()
            results[key] = "sold"
        except DomainError as error:
            db.session.rollback()
            results[key] = f"refused: {error.message}"
        except Exception as error:  # anything else is a bug: say which
            db.session.rollback()
            results[key] = f"error: {error!r}"
        finally:
            db.session.remove()


def test_twenty_buyers_three_items_three_sales_and_seventeen_refusals(app, make_site, retail_item):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL only")
    site, item = make_site(), retail_item()
    stock.produce(site, item, 3)
    db.session.commit()
    site_id, product_id = site.id, item.product.id
    results: dict[int, str] = {}
    start = threading.Barrier(20)

    def buyer(number):
        start.wait(30)
        _buy(app, site_id, product_id, results, number)

    threads = [threading.Thread(target=buyer, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()

    assert len(results) == 20
    assert sum(value == "sold" for value in results.values()) == 3
    refusals = [value for value in results.values() if value != "sold"]
    assert len(refusals) == 17 and all("Ikke nok på lager" in value for value in refusals), refusals
    assert stock.level_for(site, item).on_hand == 0
    assert db.session.scalar(select(func.count(StockMovement.id)).where(StockMovement.kind == MovementKind.SOLD)) == 3
