"""Demo retail: the shop's products on each workshop's shelf, and two closed days at its till."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from workshop import services as core
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import LOCAL_ZONE, local_today

from . import stock, till
from .models import Sale, SalePaymentMethod

#: How many of each retail item a workshop has made for its shelf.
DEMO_SHELF = 12
#: (hour, payment method, [(item number in the shop's list, how many)]) for each demo day at the till.
DEMO_SALES = (
    (10, SalePaymentMethod.CASH, [(0, 1), (1, 2)]),
    (11, SalePaymentMethod.MOBILEPAY, [(2, 1)]),
    (13, SalePaymentMethod.CARD_TERMINAL, [(3, 1), (0, 1)]),
    (15, SalePaymentMethod.CASH, [(1, 1)]),
)
DEMO_FLOAT_ORE = 50_000


def seed_retail_demo() -> None:
    """Stock and two closed till days per site; nothing at a site that has sold before."""
    items = stock.stock_items()
    for site in core.all_sites():
        leader = _first_user(site, Role.LEADER)
        staff = _first_user(site, Role.STAFF) or leader
        if not items or leader is None or db.session.scalar(select(Sale.id).where(Sale.site_id == site.id)):
            continue
        for item in items:
            stock.produce(site, item, DEMO_SHELF)
        # The first product sells fastest: its minimum is above the shelf, so a restock is proposed.
        stock.set_levels(site, items[0], DEMO_SHELF + 5, 2 * DEMO_SHELF + 10)
        for days_ago in (2, 1):
            _demo_day(site, items, staff, leader, local_today() - timedelta(days=days_ago))


def _first_user(site, role: Role) -> User | None:
    return db.session.scalar(select(User).where(User.site_id == site.id, User.role == role).order_by(User.id))


def _demo_day(site, items, staff, leader, day) -> None:
    """Staff sell at the till all day; the leader counts the cash and closes it."""
    for hour, method, lines in DEMO_SALES:
        basket = {items[index % len(items)].key: count for index, count in lines}
        sale = till.sell(site, basket, method, staff)
        sale.at = datetime.combine(day, time(hour), LOCAL_ZONE)
    db.session.flush()
    cash = till.day_summary(site, day).cash_ore
    till.close_day(site, counted_cash_ore=DEMO_FLOAT_ORE + cash - 500 * (day.day % 2), float_ore=DEMO_FLOAT_ORE,
                   actor=leader, day=day)
