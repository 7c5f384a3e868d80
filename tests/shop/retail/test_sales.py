"""Receipts: numbered without gaps, VAT inside the shelf price, stock taken, batches remembered, returns."""
from datetime import date

import pytest
from sqlalchemy import select

from production.models import SourceKind
from production.workorders import create_work_order
from shop.retail import sales, stock
from shop.retail.models import SaleChannel, SaleLine, SalePaymentMethod
from shop.retail.sales import CartLine
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role

CASH, TILL = SalePaymentMethod.CASH, SaleChannel.TILL


def _batch(site, item, quantity):
    """A finished restock batch of the item on the site's shelf."""
    work_order = create_work_order(site, quantity=quantity, due_date=date(2026, 12, 1), source_kind=SourceKind.RESTOCK,
                                   source_label="Lager", source_id=None, product=item.product)
    stock.produce(site, item, quantity, work_order_id=work_order.id)
    return work_order


def test_a_sale_takes_the_items_and_records_revenue_with_the_vat_inside(make_site, make_user, retail_item):
    site = make_site()
    staff = make_user(Role.STAFF, site=site)
    brooch = retail_item(unit_price_ore=7_960)  # 79,60 kr. + 25 % VAT = 99,50 kr. on the shelf
    stock.produce(site, brooch, 5)

    sale = sales.record_sale(site, [CartLine(brooch, 2)], channel=TILL, payment_method=CASH, actor=staff)

    assert sales.shelf_price_ore(brooch.product) == 9_950
    assert (sale.number, sale.total_ore, sale.vat_ore) == (1, 19_900, 3_980)  # a fifth of 199,00 kr.
    assert stock.available(site, brooch.product) == 3


def test_receipt_numbers_run_on_per_site_without_gaps(make_site, retail_item):
    first_site, second_site, item = make_site(), make_site(), retail_item(unit_price_ore=1_000)
    stock.produce(first_site, item, 5)
    stock.produce(second_site, item, 5)

    numbers = [sales.record_sale(site, [CartLine(item, 1)], channel=TILL, payment_method=CASH).number
               for site in (first_site, first_site, second_site, first_site)]

    assert numbers == [1, 2, 1, 3]


def test_items_are_sold_from_the_oldest_batch_first_and_remember_it(make_site, make_user, retail_item):
    site, bag = make_site(), retail_item(unit_price_ore=10_000)
    older, newer = _batch(site, bag, 2), _batch(site, bag, 5)
    stock.adjust(site, bag, 1, "Found in the back room", make_user(Role.LEADER, site=site))

    sales.record_sale(site, [CartLine(bag, 3)], channel=TILL, payment_method=CASH)
    sales.record_sale(site, [CartLine(bag, 5)], channel=TILL, payment_method=CASH)

    lines = db.session.execute(select(SaleLine.work_order_id, SaleLine.quantity).order_by(SaleLine.id)).all()
    assert lines == [(older.id, 2), (newer.id, 1), (newer.id, 4), (None, 1)]



def test_a_sale_with_an_item_out_of_stock_is_refused(make_site, retail_item):
    site, in_stock, sold_out = make_site(), retail_item(), retail_item()
    stock.produce(site, in_stock, 1)

    with pytest.raises(DomainError, match="Ikke nok på lager"):
        sales.record_sale(site, [CartLine(in_stock, 1), CartLine(sold_out, 1)], channel=TILL, payment_method=CASH)


@pytest.mark.parametrize("lines", [[], "zero"])
def test_an_empty_sale_or_a_zero_quantity_is_refused(make_site, retail_item, lines):
    site, item = make_site(), retail_item()
    stock.produce(site, item, 1)
    with pytest.raises(DomainError):
        sales.record_sale(site, [] if lines == [] else [CartLine(item, 0)], channel=TILL, payment_method=CASH)


def test_a_return_puts_the_items_back_and_refunds_at_the_price_paid(make_site, make_user, retail_item):
    site = make_site()
    staff = make_user(Role.STAFF, site=site)
    heart = retail_item(unit_price_ore=4_000)  # 50,00 kr. on the shelf
    stock.produce(site, heart, 3)
    sale = sales.record_sale(site, [CartLine(heart, 3)], channel=TILL, payment_method=SalePaymentMethod.MOBILEPAY)
    line = sale.lines[0]

    returned = sales.record_return(sale, {line.id: 2}, payment_method=CASH, actor=staff, reason="Wrong colour")

    assert (returned.number, returned.total_ore, returned.vat_ore) == (2, -10_000, -2_000)
    assert returned.returns_sale_id == sale.id
    assert stock.available(site, heart.product) == 2
    assert sales.returnable_quantity(line) == 1
    with pytest.raises(DomainError, match="Kun 1"):
        sales.record_return(sale, {line.id: 2}, payment_method=CASH, actor=staff, reason="Again")
    with pytest.raises(DomainError):
        sales.record_return(sale, {line.id: 1}, payment_method=CASH, actor=staff, reason=" ")


@pytest.mark.parametrize(("total", "vat"), [(12_500, 2_500), (1, 0), (3, 1), (-12_500, -2_500), (99, 20)])
def test_the_vat_inside_a_price_is_a_fifth_rounded_half_up(total, vat):
    assert sales.vat_in_ore(total) == vat
