import pytest

from shop.retail import stock
from shop.retail.stock import StockItem
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture
def retail_item(make_product):
    """retail_item() -> a StockItem for a new product sold in the shop (one 60 s step)."""

    def make(**fields):
        return StockItem(make_product(steps=((60, 0),), sold_in_retail=True, **fields))

    return make


@pytest.fixture
def shelf(make_site, make_user, retail_item):
    """A site with 5 brooches (99,50 kr.) and 3 hearts (50,00 kr.) on the shelf, and its staff (its
    leader, who closes the till's day, is `till_leader`)."""
    site = make_site()
    staff = make_user(Role.STAFF, site=site)
    brooch, heart = retail_item(unit_price_ore=7_960), retail_item(unit_price_ore=4_000)
    stock.produce(site, brooch, 5)
    stock.produce(site, heart, 3)
    db.session.commit()
    return site, staff, brooch, heart


@pytest.fixture
def till_leader(shelf, make_user):
    """The leader of the shelf's site: she counts the cash and closes the day."""
    return make_user(Role.LEADER, site=shelf[0])
