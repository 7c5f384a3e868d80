"""The catalogue for business customers: which products a company may order.

A product is offered when its catalogue item is open to everyone, or to chosen customers and
this customer is one of them; hidden items and inactive products are never offered.
"""
import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, or_, select

from production.capacity import new_work_minutes
from production.models import Product
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, User

from ..companies.services import company_of
from ..images import delete_image, store_image
from ..models import Customer
from .models import CatalogueCustomer, CatalogueItem, CustomerPrice, PriceTier, Visibility
from .pricing import customer_price_ore, tiers, vat_ore
from .services import MAX_QUANTITY


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


# --- What a buyer reads on a card: lead time and prices ---------------------------------------

#: The quantity the catalogue's lead time is given for.
LEAD_TIME_QUANTITY = 100
#: Standard minutes one person sews in a day (6 hours): the catalogue does not know who will sew.
DAY_MINUTES = 6 * 60
#: Working days on top of the sewing: fabric, the proof, packing and delivery.
BUFFER_DAYS = 5


def lead_time_days(product: Product) -> int | None:
    """About how many working days `LEAD_TIME_QUANTITY` pieces take; None without a routing.

    The rule, on purpose simple and site-free (a buyer has no site): the routing's standard
    minutes for the pieces, set-up included, over one person's 6-hour day, rounded up, plus
    `BUFFER_DAYS`. It is a guide on the card; the quote promises a date from the site's
    actual people and the work already promised (`production.capacity`).
    """
    if not product.routing:
        return None
    minutes = sum(new_work_minutes(product, LEAD_TIME_QUANTITY).values())
    return math.ceil(minutes / DAY_MINUTES) + BUFFER_DAYS


@dataclass(frozen=True)
class PriceRow:
    """One line of a price table: a unit price from a quantity up to another (None: and up)."""

    from_quantity: int
    to_quantity: int | None
    unit_ore: int
    vat_ore: int
    #: Her own agreed price, which replaces the tiers.
    own_price: bool = False

    @property
    def incl_vat_ore(self) -> int:
        return self.unit_ore + self.vat_ore


def price_table(customer: Customer | None, product: Product) -> list[PriceRow]:
    """The unit prices excl. VAT by quantity, with VAT beside them; her own price alone when she has one.

    Without a customer (a leader's preview) VAT is the standard rate; a VAT-exempt customer sees 0.
    """
    exempt = bool(customer and customer.vat_exempt)
    own = customer_price_ore(customer, product) if customer else None
    if own is not None:
        return [PriceRow(1, None, own, vat_ore(own, exempt), own_price=True)]
    steps = [(tier.min_quantity, tier.unit_price_ore) for tier in tiers(product)] or [(1, product.unit_price_ore)]
    uppers = [next_min - 1 for next_min, _price in steps[1:]] + [None]
    return [PriceRow(low, high, price, vat_ore(price, exempt)) for (low, price), high in zip(steps, uppers)]


# --- A leader's set-up -------------------------------------------------------------------------

#: Bounds on what a leader may type.
MAX_TIERS = 5
MAX_TIER_QUANTITY = MAX_QUANTITY
#: 1,000,000 kr. per piece: anything above is a typo.
MAX_PRICE_ORE = 100_000_000
MAX_DESCRIPTION = 1000
MAX_CHOSEN = 500
#: Ids beyond the integer columns' range are nobody's (asked before the database is).
MAX_ID = 2**31


def setup_products() -> list[tuple[Product, CatalogueItem | None, list[PriceTier]]]:
    """Every active product with its catalogue item (None: never offered) and tiers, by name."""
    products = db.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.name_da, Product.id))
    items = {item.product_id: item for item in db.session.scalars(select(CatalogueItem))}
    return [(product, items.get(product.id), tiers(product)) for product in products]


def get_product(product_id: int) -> Product:
    """An active product, or NotFound."""
    product = db.session.get(Product, product_id) if 0 < product_id < MAX_ID else None
    if product is None or not product.active:
        raise NotFound(_l("This product does not exist."))
    return product


def catalogue_item(product: Product) -> CatalogueItem | None:
    return db.session.scalar(select(CatalogueItem).where(CatalogueItem.product_id == product.id))


def customer_prices(product: Product) -> list[CustomerPrice]:
    """The customers' own prices for a product, by company name."""
    return list(db.session.scalars(select(CustomerPrice).join(CustomerPrice.customer)
                                   .where(CustomerPrice.product_id == product.id).order_by(Customer.company_name)))


def _customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id) if 0 < customer_id < MAX_ID else None
    if customer is None:
        raise DomainError(_l("Choose a customer from the list."), field="customer_id")
    return customer


def _check_price(price_ore: int | None, field: str) -> int:
    if price_ore is None or not 0 < price_ore <= MAX_PRICE_ORE:
        raise DomainError(_l("A price must be above 0 and at most 1.000.000 kr."), field=field)
    return price_ore


def save_catalogue_item(product: Product, visibility: str, chosen_customer_ids: list[int],
                        description_da: str = "", description_en: str = "", photo=None,
                        tier_rows: list[tuple[int, int]] | None = None) -> CatalogueItem:
    """Who sees the product, what they read, its photo (an upload stream) and, when given, its tiers."""
    if visibility not in set(Visibility):
        raise DomainError(_l("Choose who may see the product."), field="visibility")
    visibility = Visibility(visibility)
    if len(description_da) > MAX_DESCRIPTION or len(description_en) > MAX_DESCRIPTION:
        raise DomainError(_l("A description may be at most 1000 characters."), field="description_da")
    if len(chosen_customer_ids) > MAX_CHOSEN:
        raise DomainError(_l("Too many customers chosen."), field="chosen")
    chosen = [_customer(customer_id) for customer_id in dict.fromkeys(chosen_customer_ids)]
    if visibility == Visibility.CHOSEN and not chosen:
        raise DomainError(_l("Choose at least one customer, or show the product to everyone."), field="chosen")
    if tier_rows is not None:
        save_tiers(product, tier_rows)
    item = catalogue_item(product) or CatalogueItem(product_id=product.id, photo="")
    item.visibility = visibility
    item.chosen_customers = chosen if visibility == Visibility.CHOSEN else []
    item.description_da, item.description_en = description_da.strip(), description_en.strip()
    if photo is not None:
        old_photo, item.photo = item.photo, store_image(photo, "catalogue").name
        delete_image(old_photo)
    db.session.add(item)
    db.session.flush()
    return item


def save_tiers(product: Product, rows: list[tuple[int | None, int | None]]) -> list[PriceTier]:
    """Replace a product's price tiers: [(from quantity, unit price øre excl. VAT)], the first from 1."""
    if not rows:
        raise DomainError(_l("Write at least one price, from 1 piece."), field="tiers")
    if len(rows) > MAX_TIERS:
        raise DomainError(_l("At most %(count)d prices.", count=MAX_TIERS), field="tiers")
    if any(quantity is None or price is None for quantity, price in rows):
        raise DomainError(_l("Write both the quantity and the price in each row."), field="tiers")
    quantities = [quantity for quantity, _price in rows]
    if quantities[0] != 1:
        raise DomainError(_l("The first price must be from 1 piece."), field="tiers")
    if any(not 1 <= quantity <= MAX_TIER_QUANTITY for quantity in quantities):
        raise DomainError(_l("A quantity must be between 1 and %(max)d.", max=MAX_TIER_QUANTITY), field="tiers")
    if any(low >= high for low, high in zip(quantities, quantities[1:])):
        raise DomainError(_l("Write the quantities from small to large, each one only once."), field="tiers")
    for _quantity, price in rows:
        _check_price(price, "tiers")
    db.session.execute(delete(PriceTier).where(PriceTier.product_id == product.id))
    new = [PriceTier(product_id=product.id, min_quantity=quantity, unit_price_ore=price) for quantity, price in rows]
    db.session.add_all(new)
    db.session.flush()
    return new


def set_customer_price(product: Product, customer_id: int, price_ore: int | None) -> CustomerPrice:
    """Her own unit price for the product (excl. VAT), whatever the quantity; replaces an earlier one."""
    customer = _customer(customer_id)
    price_ore = _check_price(price_ore, "price_ore")
    price = db.session.scalar(select(CustomerPrice).where(
        CustomerPrice.customer_id == customer.id, CustomerPrice.product_id == product.id))
    if price is None:
        price = CustomerPrice(customer_id=customer.id, product_id=product.id)
        db.session.add(price)
    price.unit_price_ore = price_ore
    db.session.flush()
    return price


def remove_customer_price(product: Product, customer_id: int) -> None:
    """Her own price ends: the tiers apply to her again. Removing a price she has not is no error."""
    db.session.execute(delete(CustomerPrice).where(
        CustomerPrice.customer_id == customer_id, CustomerPrice.product_id == product.id))
    db.session.flush()


# --- Who may see a catalogue photo -------------------------------------------------------------


def photo_for(user: User, item_id: int) -> str:
    """The stored photo name of a catalogue item this user may see, or NotFound.

    Leaders and staff see every photo (products are shared by the sites); a company's user sees
    the photos of products offered to her company; anyone else nothing.
    """
    item = db.session.get(CatalogueItem, item_id) if 0 < item_id < MAX_ID else None
    if item is None or not item.photo:
        raise NotFound(_l("This picture does not exist."))
    if user.role in (Role.LEADER, Role.STAFF):
        return item.photo
    company = company_of(user) if user.role == Role.CUSTOMER else None
    if company is None or not is_offered(company, item.product_id):
        raise NotFound(_l("This picture does not exist."))
    return item.photo
