"""The catalogue's services: lead time, price tables, a leader's set-up and who sees what."""
import io

import pytest
from PIL import Image

from shop.images import uploads_root
from shop.orders import catalogue
from shop.orders.models import CustomerPrice, PriceTier, Visibility
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture(autouse=True)
def uploads_in_tmp(app, tmp_path, monkeypatch):
    """Pictures go to a fresh folder, not the instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, "PNG")
    out.seek(0)
    return out


def tier_pairs(product):
    return [(tier.min_quantity, tier.unit_price_ore) for tier in catalogue.tiers(product)]


# --- Lead time -----------------------------------------------------------------------------------

def test_lead_time_is_100_pieces_of_routing_over_a_6_hour_day_plus_the_buffer(make_catalogue_product):
    quick = make_catalogue_product(steps=((60, 0), (120, 0)))  # 100 x 3 min = 300 min: 1 day
    slow = make_catalogue_product(steps=((600, 30), (300, 0)))  # 1000 + 30 + 500 = 1530 min: 5 days
    assert catalogue.lead_time_days(quick) == 1 + catalogue.BUFFER_DAYS
    assert catalogue.lead_time_days(slow) == 5 + catalogue.BUFFER_DAYS


def test_a_product_without_routing_has_no_lead_time(make_catalogue_product):
    assert catalogue.lead_time_days(make_catalogue_product(steps=())) is None


# --- Price table ---------------------------------------------------------------------------------

def test_price_table_has_ranges_excl_vat_with_vat_beside(make_catalogue_product, make_company):
    product = make_catalogue_product(tiers=((1, 4500), (50, 3900), (200, 3200)))
    company, _user = make_company()
    rows = catalogue.price_table(company, product)
    assert [(row.from_quantity, row.to_quantity, row.unit_ore, row.vat_ore, row.incl_vat_ore) for row in rows] == [
        (1, 49, 4500, 1125, 5625), (50, 199, 3900, 975, 4875), (200, None, 3200, 800, 4000)]
    assert not any(row.own_price for row in rows)


def test_her_own_price_replaces_the_tiers_and_is_marked(make_catalogue_product, make_company):
    product = make_catalogue_product()
    company, _user = make_company()
    other, _user = make_company()
    catalogue.set_customer_price(product, company.id, 1999)
    [row] = catalogue.price_table(company, product)
    assert (row.from_quantity, row.to_quantity, row.unit_ore, row.vat_ore, row.own_price) == (1, None, 1999, 500, True)
    assert len(catalogue.price_table(other, product)) == 3


def test_a_vat_exempt_customer_sees_no_vat(make_catalogue_product, make_company):
    company, _user = make_company(vat_exempt=True)
    assert {row.vat_ore for row in catalogue.price_table(company, make_catalogue_product())} == {0}


def test_without_tiers_the_list_price_applies_from_one(make_catalogue_product):
    product = make_catalogue_product(tiers=())
    assert [(row.from_quantity, row.to_quantity, row.unit_ore) for row in catalogue.price_table(None, product)] == [
        (1, None, 5000)]


# --- Tiers ---------------------------------------------------------------------------------------

def test_save_tiers_replaces_the_old_ones(make_catalogue_product):
    product = make_catalogue_product()
    catalogue.save_tiers(product, [(1, 5000), (100, 4000)])
    assert tier_pairs(product) == [(1, 5000), (100, 4000)]


@pytest.mark.parametrize("rows", [
    [],  # nothing
    [(10, 5000)],  # does not start at 1
    [(1, 5000), (50, 4000), (50, 3000)],  # twice the same quantity
    [(1, 5000), (200, 4000), (50, 3000)],  # not ascending
    [(1, 0)],  # free
    [(1, -100)],  # negative
    [(1, catalogue.MAX_PRICE_ORE + 1)],  # above 1,000,000 kr.
    [(1, 5000), (catalogue.MAX_TIER_QUANTITY + 1, 4000)],  # absurd quantity
    [(1, 5000), (50, None)],  # half a row
    [(1, 5000), (None, 4000)],
    [(1, 100), (2, 100), (3, 100), (4, 100), (5, 100), (6, 100)],  # too many
])
def test_bad_tiers_are_refused_and_the_old_ones_stay(make_catalogue_product, rows):
    product = make_catalogue_product()
    before = tier_pairs(product)
    with pytest.raises(DomainError):
        catalogue.save_tiers(product, rows)
    assert tier_pairs(product) == before


# --- Customer prices -----------------------------------------------------------------------------

def test_a_customer_price_is_set_replaced_and_removed(make_catalogue_product, make_company):
    product = make_catalogue_product()
    company, _user = make_company()
    catalogue.set_customer_price(product, company.id, 2000)
    catalogue.set_customer_price(product, company.id, 2100)
    assert db.session.query(CustomerPrice).filter_by(product_id=product.id).one().unit_price_ore == 2100
    catalogue.remove_customer_price(product, company.id)
    assert db.session.query(CustomerPrice).filter_by(product_id=product.id).count() == 0


@pytest.mark.parametrize(("customer", "price"), [("unknown", 2000), ("real", 0), ("real", None),
                                                 ("real", catalogue.MAX_PRICE_ORE + 1), ("huge", 2000)])
def test_bad_customer_prices_are_refused(make_catalogue_product, make_company, customer, price):
    product = make_catalogue_product()
    company, _user = make_company()
    customer_id = {"unknown": company.id + 999, "real": company.id, "huge": 10**30}[customer]
    with pytest.raises(DomainError):
        catalogue.set_customer_price(product, customer_id, price)


# --- Visibility ----------------------------------------------------------------------------------

def test_a_hidden_item_is_never_offered(make_catalogue_product, make_company):
    product = make_catalogue_product()
    company, _user = make_company()
    catalogue.save_catalogue_item(product, "hidden", [company.id])
    assert not catalogue.is_offered(company, product.id)
    assert product not in [item.product for item in catalogue.offered_products(company)]


def test_a_chosen_item_is_offered_only_to_the_chosen_customer(make_catalogue_product, make_company):
    product = make_catalogue_product()
    chosen, _user = make_company()
    other, _user = make_company()
    catalogue.save_catalogue_item(product, "chosen", [chosen.id], "Til jer", "For you")
    assert catalogue.is_offered(chosen, product.id)
    assert not catalogue.is_offered(other, product.id)
    with pytest.raises(DomainError):
        catalogue.offered_product(other, product.id)


def test_showing_to_everyone_forgets_the_chosen_list(make_catalogue_product, make_company):
    product = make_catalogue_product()
    company, _user = make_company()
    item = catalogue.save_catalogue_item(product, "chosen", [company.id])
    catalogue.save_catalogue_item(product, "everyone", [company.id])
    assert item.chosen_customers == [] and item.visibility == Visibility.EVERYONE


@pytest.mark.parametrize(("visibility", "chosen", "description"), [
    ("secret", [], ""), ("chosen", [], ""), ("chosen", [10**6], ""), ("everyone", [], "x" * 1001),
])
def test_bad_catalogue_entries_are_refused(make_catalogue_product, make_company, visibility, chosen, description):
    product = make_catalogue_product()
    with pytest.raises(DomainError):
        catalogue.save_catalogue_item(product, visibility, chosen, description)


def test_a_new_item_with_tiers_and_a_photo(make_product, make_company):
    product = make_product()
    item = catalogue.save_catalogue_item(product, "everyone", [], " Pose ", "Bag", png(), [(1, 3000), (50, 2500)])
    assert item.description_da == "Pose" and item.photo.startswith("catalogue/")
    assert (uploads_root() / item.photo).is_file()
    assert tier_pairs(product) == [(1, 3000), (50, 2500)]
    old = item.photo
    catalogue.save_catalogue_item(product, "everyone", [], "Pose", "Bag", png())
    assert item.photo != old and not (uploads_root() / old).exists()


def test_bad_tiers_save_nothing_of_the_entry(make_product):
    product = make_product()
    with pytest.raises(DomainError):
        catalogue.save_catalogue_item(product, "everyone", [], tier_rows=[(5, 3000)])
    assert catalogue.catalogue_item(product) is None
    assert db.session.query(PriceTier).filter_by(product_id=product.id).count() == 0


# --- Photo access --------------------------------------------------------------------------------

def test_who_may_see_a_photo(make_product, make_company, make_user):
    product = make_product()
    chosen, her = make_company()
    other, stranger = make_company()
    item = catalogue.save_catalogue_item(product, "chosen", [chosen.id], photo=png())
    assert catalogue.photo_for(her, item.id) == item.photo
    assert catalogue.photo_for(make_user(Role.LEADER), item.id) == item.photo
    assert catalogue.photo_for(make_user(Role.STAFF), item.id) == item.photo
    for user in (stranger, make_user(Role.TRAINEE)):
        with pytest.raises(NotFound):
            catalogue.photo_for(user, item.id)
    with pytest.raises(NotFound):
        catalogue.photo_for(her, item.id + 999)
