"""Factories for the order tests: a company with a login, a product offered to companies, an order."""
import pytest

from shop.companies.services import add_member
from shop.models import Customer
from shop.orders import services
from shop.orders.models import CatalogueItem, PriceTier, Visibility
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture
def make_company(make_user):
    """make_company(name=..., ean=...) -> (Customer, its first user, a CUSTOMER login)."""
    counter = iter(range(1, 10_000))

    def make(name=None, ean="", vat_exempt=False, **fields):
        number = next(counter)
        company = Customer(company_name=name or f"Firma {number}", cvr="23456788", ean=ean, vat_exempt=vat_exempt,
                           email=f"indkob{number}@firma.example", billing_address="Fabriksvej 1, 2860 Søborg",
                           **fields)
        db.session.add(company)
        user = make_user(Role.CUSTOMER, email=f"kunde{number}@firma.example", name=f"Karin Kunde {number}")
        add_member(company, user)
        db.session.flush()
        return company, user

    return make


@pytest.fixture
def make_catalogue_product(make_product):
    """make_catalogue_product(tiers=((1, 4500), (50, 3900), (200, 3200))) -> a Product companies can order,
    with a routing (60 s and 120 s per piece), tiers in øre excl. VAT and visibility `everyone`."""

    def make(tiers=((1, 4500), (50, 3900), (200, 3200)), visibility=Visibility.EVERYONE, steps=((60, 0), (120, 0)),
             **fields):
        product = make_product(steps=steps, unit_price_ore=tiers[0][1] if tiers else 5000, **fields)
        for min_quantity, price in tiers:
            db.session.add(PriceTier(product_id=product.id, min_quantity=min_quantity, unit_price_ore=price))
        db.session.add(CatalogueItem(product_id=product.id, visibility=visibility,
                                     description_da="Pose med broderet logo", description_en="Bag with logo"))
        db.session.flush()
        return product

    return make


@pytest.fixture
def make_order(make_site, make_company, make_catalogue_product):
    """make_order(site=..., company=..., lines=[(product, quantity), ...], **request fields) -> a requested Order."""

    def make(site=None, company=None, lines=None, user=None, **fields):
        site = site or make_site()
        if company is None:
            company, user = make_company()
        lines = lines or [(make_catalogue_product(), 500)]
        order = services.create_order(services.OrderRequest(
            site=site, customer=company, requested_by=user,
            lines=[services.LineRequest(product=product, quantity=quantity) for product, quantity in lines],
            **fields))
        return order

    return make
