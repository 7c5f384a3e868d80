"""The till: a basket sold over the counter, receipts, returns, the day's Z report and closing the day."""
import pytest
from sqlalchemy import func, select

from shop.retail import sales, stock, till
from shop.retail.models import Sale, SalePaymentMethod, TillDay
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role

CASH, CARD, MOBILEPAY = SalePaymentMethod.CASH, SalePaymentMethod.CARD_TERMINAL, SalePaymentMethod.MOBILEPAY


def test_the_basket_is_priced_on_the_server_and_sold_in_one_receipt(shelf):
    site, staff, brooch, heart = shelf
    basket = till.changed_basket({}, brooch.key, 2)
    basket = till.changed_basket(basket, heart.key, 1)

    sale = till.sell(site, basket, MOBILEPAY, staff)

    assert [line.total_ore for line in till.basket_lines(basket)] == [19_900, 5_000]
    assert (sale.total_ore, sale.vat_ore, sale.payment_method) == (24_900, 4_980, MOBILEPAY)
    assert {entry.item.key: entry.available for entry in till.till_items(site)} == {brooch.key: 3, heart.key: 2}


def test_a_basket_with_more_than_the_shelf_holds_is_refused_whole(shelf):
    site, staff, brooch, heart = shelf
    with pytest.raises(DomainError, match="Ikke nok på lager"):
        till.sell(site, {brooch.key: 1, heart.key: 4}, CASH, staff)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Sale.id))) == 0
    assert stock.available(site, brooch.product) == 5


def test_the_z_report_adds_up_sales_returns_vat_and_cash(shelf):
    site, staff, brooch, heart = shelf
    first = till.sell(site, {brooch.key: 2}, CASH, staff)         # 199,00 kr. cash
    till.sell(site, {heart.key: 1}, CARD, staff)                  # 50,00 kr. card
    till.sell(site, {brooch.key: 1, heart.key: 1}, MOBILEPAY, staff)  # 149,50 kr. MobilePay
    sales.record_return(first, {first.lines[0].id: 1}, payment_method=CASH, actor=staff, reason="Gave")  # -99,50 cash

    summary = till.day_summary(site, first.at.date())

    # Sales 199 + 50 + 149,50 = 398,50 kr.; one return of 99,50 kr.; the till holds 299,00 kr. more.
    assert (summary.receipts, summary.returns) == (3, 1)
    assert (summary.sales_ore, summary.returns_ore, summary.total_ore) == (39_850, -9_950, 29_900)
    # VAT is a fifth of each receipt: 39,80 + 10,00 + 29,90 - 19,90 = 59,80 kr.
    assert summary.vat_ore == 5_980
    assert summary.by_method == {CASH: 9_950, CARD: 5_000, MOBILEPAY: 14_950}


def test_closing_the_day_freezes_it_and_shows_the_cash_difference(shelf, till_leader):
    site, staff, brooch, heart = shelf
    till.sell(site, {brooch.key: 1}, CASH, staff)  # 99,50 kr. into the drawer
    with pytest.raises(DomainError, match="Kun værkstedets leder"):
        till.close_day(site, counted_cash_ore=59_000, float_ore=50_000, actor=staff)

    closed = till.close_day(site, counted_cash_ore=59_000, float_ore=50_000, actor=till_leader)

    assert (closed.expected_cash_ore, closed.difference_ore) == (59_950, -950)  # 9,50 kr. missing
    assert till.frozen_summary(closed).cash_ore == 9_950
    with pytest.raises(DomainError, match="lukket"):
        till.sell(site, {heart.key: 1}, CASH, staff)
    with pytest.raises(DomainError, match="lukket"):
        till.close_day(site, counted_cash_ore=0, float_ore=0, actor=till_leader)


def test_the_bookkeepers_csv_has_one_row_per_closed_day_with_decimal_commas(shelf, till_leader):
    site, staff, brooch, _heart = shelf
    till.sell(site, {brooch.key: 2}, CARD, staff)
    till.close_day(site, counted_cash_ore=50_000, float_ore=50_000, actor=till_leader)

    lines = till.days_csv(site).lstrip("\ufeff").splitlines()

    assert lines[0].startswith("dato;kvitteringer;returneringer;salg_kr")
    assert lines[1].split(";")[1:5] == ["1", "0", "199,00", "0,00"]
    assert lines[1].endswith(";500,00;500,00;500,00;0,00")


# --- Pages ------------------------------------------------------------------------------------------


def test_staff_sell_from_the_till_page_and_get_the_receipt(client, login, shelf):
    site, staff, brooch, heart = shelf
    login(client, staff)
    client.post("/till/basket", data={"item": brooch.key, "quantity": "2"})
    client.post("/till/basket", data={"item": heart.key, "quantity": "1"})
    assert "249,00" in client.get("/till/").get_data(as_text=True)

    response = client.post("/till/sell", data={"payment_method": "mobilepay", "total": "1"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/till/receipts/1")
    receipt = client.get("/till/receipts/1?width=58mm").get_data(as_text=True)
    assert "Kvittering 1" in receipt and "249,00" in receipt and "MobilePay" in receipt and "receipt-58mm" in receipt
    assert "Kurven er tom" in client.get("/till/").get_data(as_text=True)


def test_the_same_sell_form_sent_twice_makes_one_receipt(client, login, shelf):
    """A double tap, or the answer lost and the form sent again: the second send shows the first receipt."""
    site, staff, brooch, _heart = shelf
    login(client, staff)
    client.post("/till/basket", data={"item": brooch.key, "quantity": "2"})
    page = client.get("/till/").get_data(as_text=True)
    key = page.split('name="request_key" type="hidden" value="', 1)[1].split('"', 1)[0]

    first = client.post("/till/sell", data={"payment_method": "cash", "request_key": key})
    again = client.post("/till/sell", data={"payment_method": "cash", "request_key": key})

    assert first.headers["Location"] == again.headers["Location"] and first.headers["Location"].endswith("/receipts/1")
    assert db.session.scalar(select(func.count(Sale.id))) == 1
    assert {entry.item.key: entry.available for entry in till.till_items(site)}[brooch.key] == 3


def test_a_new_sell_form_makes_a_new_receipt(shelf):
    site, staff, brooch, _heart = shelf
    first = till.sell(site, {brooch.key: 1}, CASH, staff, request_key="form-one")
    second = till.sell(site, {brooch.key: 1}, CASH, staff, request_key="form-two")
    assert (first.number, second.number) == (1, 2)
    assert till.sell(site, {}, CASH, staff, request_key="form-one") is first


def test_a_return_from_the_receipt_page(client, login, shelf):
    site, staff, brooch, _heart = shelf
    sale = till.sell(site, {brooch.key: 2}, CASH, staff)
    db.session.commit()
    login(client, staff)

    refused = client.post(f"/till/receipts/{sale.number}/return",
                          data={f"line-{sale.lines[0].id}": "3", "reason": "For stor", "payment_method": "cash"})
    response = client.post(f"/till/receipts/{sale.number}/return",
                           data={f"line-{sale.lines[0].id}": "1", "reason": "For stor", "payment_method": "cash"})

    assert refused.status_code == 400 and "Kun 2" in refused.get_data(as_text=True)
    assert response.status_code == 302
    assert "Returkvittering 2" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_same_return_form_sent_twice_gives_the_money_back_once(client, login, shelf):
    site, staff, brooch, _heart = shelf
    sale = till.sell(site, {brooch.key: 2}, CASH, staff)
    db.session.commit()
    login(client, staff)
    data = {f"line-{sale.lines[0].id}": "1", "reason": "For stor", "payment_method": "cash", "request_key": "return-form-1"}

    first = client.post(f"/till/receipts/{sale.number}/return", data=data)
    again = client.post(f"/till/receipts/{sale.number}/return", data=data)

    assert first.headers["Location"] == again.headers["Location"]
    assert sales.returnable_quantity(sale.lines[0]) == 1  # one brooch came back, not two
    assert db.session.scalar(select(func.count(Sale.id)).where(Sale.returns_sale_id == sale.id)) == 1


def test_staff_see_the_days_figures_but_only_the_leader_closes_it(client, login, shelf):
    site, staff, brooch, _heart = shelf
    till.sell(site, {brooch.key: 1}, CASH, staff)
    db.session.commit()
    login(client, staff)
    page = client.get("/till/day").get_data(as_text=True)
    assert "99,50" in page and "Luk dagen" not in page and "Lederen tæller kassen op" in page
    assert client.post("/till/day", data={"float_amount": "500", "counted_cash": "599,50"}).status_code == 403
    assert db.session.scalar(select(func.count(TillDay.id))) == 0


def test_closing_the_day_from_the_page(client, login, shelf, till_leader):
    site, staff, brooch, _heart = shelf
    till.sell(site, {brooch.key: 1}, CASH, staff)
    db.session.commit()
    login(client, till_leader)

    bad = client.post("/till/day", data={"float_amount": "500", "counted_cash": "mange"})
    response = client.post("/till/day", data={"float_amount": "500", "counted_cash": "599,50"})

    assert bad.status_code == 400 and "Skriv beløbet i kroner" in bad.get_data(as_text=True)
    assert response.status_code == 302
    page = client.get("/till/day").get_data(as_text=True)
    assert "Z-rapport" in page and "599,50" in page
    assert db.session.scalar(select(func.count(TillDay.id))) == 1
    csv = client.get("/till/days.csv")
    assert csv.mimetype == "text/csv" and "599,50" in csv.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
def test_trainees_and_customers_have_no_till(client_as, role):
    assert client_as(role).get("/till/").status_code == 403


def test_another_sites_receipt_is_not_found(client, login, shelf, make_site, make_user):
    site, staff, brooch, _heart = shelf
    till.sell(site, {brooch.key: 1}, CASH, staff)
    db.session.commit()
    login(client, make_user(Role.STAFF, site=make_site()))
    assert client.get("/till/receipts/1").status_code == 404


def test_a_closed_days_z_report_opens_from_the_list_and_a_later_day_is_not_found(client, login, shelf, clock,
                                                                                 till_leader):
    site, staff, brooch, _heart = shelf
    till.sell(site, {brooch.key: 1}, CARD, staff)
    yesterday = till.close_day(site, counted_cash_ore=50_000, float_ore=50_000, actor=till_leader).day
    db.session.commit()
    clock.shift(24 * 3600)
    login(client, staff)

    report = client.get(f"/till/day?day={yesterday.isoformat()}").get_data(as_text=True)

    assert "Z-rapport" in report and "99,50" in report
    assert client.get("/till/day?day=2999-01-01").status_code == 404
    assert client.get("/till/day?day=igår").status_code == 404
    assert "Indtil nu denne dag" in client.get("/till/day").get_data(as_text=True)


def test_a_product_with_a_catalogue_photo_shows_it_on_its_till_button(client, login, shelf):
    from shop.orders.models import CatalogueItem
    site, staff, brooch, heart = shelf
    db.session.add(CatalogueItem(product_id=brooch.product.id, photo="brooch.jpg"))
    db.session.commit()
    login(client, staff)

    page = client.get("/till/").get_data(as_text=True)

    assert f'src="/butik/photo/{brooch.product.id}"' in page
    assert f'src="/butik/photo/{heart.product.id}"' not in page
    assert {entry.item.key: entry.has_photo for entry in till.till_items(site)} == {brooch.key: True, heart.key: False}
