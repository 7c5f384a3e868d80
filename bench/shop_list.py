"""Webshop benchmark: how long the public product list (/butik/) takes with 200 products in stock.

Builds a throwaway database with two sites and 200 retail products (a third with a photo, each with
stock at one or both sites), then opens the list nine times, each in a fresh session, and prints the
median and maximum wall time and the SQL statements per page. The issue asks for under 100 ms with a
constant number of statements (tests/shop/retail/test_webshop_services.py checks 20 against 200).

    .venv/bin/python bench/shop_list.py                      # SQLite, a temporary file
    .venv/bin/python bench/shop_list.py postgresql+psycopg://postgres@127.0.0.1:5432/bench_shop

A PostgreSQL database is emptied first (DROP SCHEMA public): its name must contain "bench" or "test".
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event  # noqa: E402

from bench.throwaway import throwaway_app  # noqa: E402
from production.models import Product  # noqa: E402
from shop.orders.models import CatalogueItem  # noqa: E402
from shop.retail import stock  # noqa: E402
from shop.retail.stock import StockItem  # noqa: E402
from workshop import services as core  # noqa: E402
from workshop.extensions import db  # noqa: E402

PRODUCTS = 200
RUNS = 9
PAGE = "/butik/"


def main() -> None:
    with throwaway_app() as (app, _url):
        _build()
        timings, statements = _time(app)
        print(f"webshop list, {PRODUCTS} products: {statements} SQL statements per page; "
              f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms ({RUNS} runs)")


def _build() -> None:
    sites = [core.ensure_site("ishoj", "Ishøj", 20), core.ensure_site("gladsaxe", "Høje Gladsaxe", 15)]
    for number in range(PRODUCTS):
        product = Product(code=f"shop{number:03d}", name_da=f"Broche {number:03d}", name_en=f"Brooch {number:03d}",
                          unit_price_ore=4_000 + 10 * number, sold_in_retail=True)
        db.session.add(product)
        db.session.flush()
        if number % 3 == 0:  # the photo's file is not read by the list, only its name
            db.session.add(CatalogueItem(product_id=product.id, photo=f"catalogue/bench{number}.jpg"))
        for site in sites[: 1 + number % 2]:
            stock.produce(site, StockItem(product), 5 + number % 7)
    db.session.commit()


def _time(app) -> tuple[list[float], int]:
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    client = app.test_client()
    timings, per_page = [], 0
    for _ in range(RUNS):
        db.session.remove()
        statements.clear()
        started = time.perf_counter()
        response = client.get(PAGE)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.get_data(as_text=True).count("/butik/p/") == PRODUCTS
        per_page = len(statements)
    return timings, per_page


if __name__ == "__main__":
    main()
