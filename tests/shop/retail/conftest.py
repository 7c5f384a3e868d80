import pytest

from shop.retail.stock import StockItem


@pytest.fixture
def retail_item(make_product):
    """retail_item() -> a StockItem for a new product sold in the shop (one 60 s step)."""

    def make(**fields):
        return StockItem(make_product(steps=((60, 0),), sold_in_retail=True, **fields))

    return make
