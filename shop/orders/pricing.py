"""What a business customer pays for a product: her own price, else the quantity's tier; and VAT.

Amounts are integer øre; VAT is rounded once, on the total, half up.
"""
from dataclasses import dataclass

from sqlalchemy import select

from production.models import Product
from workshop.extensions import db

from ..models import Customer
from .models import VAT_PERCENT, CustomerPrice, PriceTier


def tiers(product: Product) -> list[PriceTier]:
    return list(db.session.scalars(
        select(PriceTier).where(PriceTier.product_id == product.id).order_by(PriceTier.min_quantity)))


def tier_price_ore(product: Product, quantity: int) -> int:
    """The unit price of the tier with the highest minimum not above the quantity; the product's
    list price when it has no tier that low."""
    price = product.unit_price_ore
    for tier in tiers(product):
        if tier.min_quantity <= quantity:
            price = tier.unit_price_ore
    return price


def customer_price_ore(customer: Customer, product: Product) -> int | None:
    return db.session.scalar(select(CustomerPrice.unit_price_ore).where(
        CustomerPrice.customer_id == customer.id, CustomerPrice.product_id == product.id))


def unit_price_ore(customer: Customer, product: Product, quantity: int) -> int:
    """Her own price when she has one, else the tier price for the quantity (excl. VAT)."""
    own = customer_price_ore(customer, product)
    return own if own is not None else tier_price_ore(product, quantity)


def vat_ore(subtotal_ore: int, vat_exempt: bool = False) -> int:
    """25 % VAT on a subtotal, rounded half up to whole øre (half away from zero, so a negative
    amount - a credit - takes back exactly the VAT the same positive amount charged)."""
    if vat_exempt:
        return 0
    vat = (abs(subtotal_ore) * VAT_PERCENT + 50) // 100
    return vat if subtotal_ore >= 0 else -vat


@dataclass(frozen=True)
class Totals:
    subtotal_ore: int
    vat_ore: int

    @property
    def total_ore(self) -> int:
        return self.subtotal_ore + self.vat_ore


def totals(line_amounts_ore: list[int], vat_exempt: bool = False) -> Totals:
    subtotal = sum(line_amounts_ore)
    return Totals(subtotal, vat_ore(subtotal, vat_exempt))
