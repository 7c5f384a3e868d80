"""Shop operations. Services flush; the view commits."""
from sqlalchemy import select

from workshop.extensions import db
from workshop.models import Site

from .models import Customer, RepairType


def repair_price_list(site: Site) -> list[RepairType]:
    query = select(RepairType).where(RepairType.site_id == site.id, RepairType.active).order_by(RepairType.price_ore)
    return list(db.session.scalars(query))


def business_customers() -> list[Customer]:
    return list(db.session.scalars(select(Customer).order_by(Customer.company_name)))


def customer_for_user(user) -> Customer | None:
    return db.session.scalar(select(Customer).where(Customer.user_id == user.id))
