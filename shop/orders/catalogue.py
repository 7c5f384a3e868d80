"""The catalogue for business customers: which products a company may order.

A product is offered when its catalogue item is open to everyone, or to chosen customers and
this customer is one of them; hidden items and inactive products are never offered.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from production.models import Product
from workshop.errors import DomainError
from workshop.extensions import db

from ..models import Customer
from .models import CatalogueCustomer, CatalogueItem, Visibility


def _offered_to(customer: Customer):
    chosen_for_her = select(CatalogueCustomer.catalogue_item_id).where(CatalogueCustomer.customer_id == customer.id)
    return or_(CatalogueItem.visibility == Visibility.EVERYONE,
               and_(CatalogueItem.visibility == Visibility.CHOSEN, CatalogueItem.id.in_(chosen_for_her)))


def offered_products(customer: Customer) -> list[CatalogueItem]:
    """The catalogue items this customer may order, by product name."""
    query = (select(CatalogueItem).join(CatalogueItem.product)
             .where(Product.active.is_(True), _offered_to(customer)).order_by(Product.name_da, Product.id))
    return list(db.session.scalars(query))


def is_offered(customer: Customer, product_id: int) -> bool:
    query = (select(CatalogueItem.id).join(CatalogueItem.product)
             .where(CatalogueItem.product_id == product_id, Product.active.is_(True), _offered_to(customer)))
    return db.session.scalar(query) is not None


def offered_product(customer: Customer, product_id: int) -> Product:
    """The product if this customer may order it; a DomainError (never a hint of hidden products) otherwise."""
    if not is_offered(customer, product_id):
        raise DomainError(_l("This product cannot be ordered. Choose one from the list."), field="lines")
    return db.session.get(Product, product_id)
