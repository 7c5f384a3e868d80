"""Production reference data. Work orders and tasks live in workorders.py."""
from sqlalchemy import select

from workshop.extensions import db

from .models import Operation, Product


def all_products() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.active).order_by(Product.name_da)))


def all_operations() -> list[Operation]:
    return list(db.session.scalars(select(Operation).order_by(Operation.code)))
