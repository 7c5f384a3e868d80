"""Two people accepting, or two leaders quoting, at once: one wins, the other is told (PostgreSQL)."""
import threading

import pytest

from shop.orders import quotes
from shop.orders.models import Order, Quote
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User

from .test_quotes import people, quoted, terms  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("real row locks need PostgreSQL")


def _race(app, action, count=2) -> list[str]:
    barrier = threading.Barrier(count)
    results: list[str] = []

    def run(number):
        with app.app_context():
            try:
                barrier.wait()
                action(number)
                db.session.commit()
                results.append("ok")
            except DomainError as error:
                db.session.rollback()
                results.append(str(error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(results)


def test_two_accepting_at_once_one_wins(app, quoted):  # noqa: F811
    order, quote, _token, _leader = quoted()
    db.session.commit()
    quote_id = quote.id
    results = _race(app, lambda number: quotes.accept_quote(db.session.get(Quote, quote_id), f"Person {number}"))
    assert results[-1] == "ok" and results.count("ok") == 1, results
    db.session.expire_all()
    assert order.status.value == "accepted" and len([c for c in order.history if c.to_status == "accepted"]) == 1


def test_two_leaders_quoting_from_the_same_form_one_is_told(app, make_order, make_user, people):  # noqa: F811
    order = make_order()
    people(order.site)
    leader = make_user(site=order.site)
    db.session.commit()
    order_id, leader_id, seen = order.id, leader.id, order.version

    def send(_number):
        fresh, user = db.session.get(Order, order_id), db.session.get(User, leader_id)
        quotes.send_quote(quotes.make_quote(fresh, user, terms(fresh, order_version=seen)), user)

    results = _race(app, send)
    assert results.count("ok") == 1 and any("Someone else" in result or "En anden" in result for result in results), results
    db.session.expire_all()
    assert len(order.quotes) == 1
