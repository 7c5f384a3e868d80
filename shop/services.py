"""Shop operations: business customers and the repair price list. Services flush; the view commits."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from production.models import Operation
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.fragments import forget_fragment
from workshop.models import Site
from workshop.services import checked_code, save_fields

from .companies.numbers import checked_cvr, checked_ean
from .models import Customer, CustomerKind, RepairType
from .repairs.catalogue import choices_fragment

#: The most a repair may cost or take: beyond this it is an order, not a repair (and a typo is caught).
MAX_REPAIR_PRICE_ORE = 10_000_00
MAX_REPAIR_MINUTES = 8 * 60


# --- The repair price list ----------------------------------------------------------------------


def repair_types(site: Site) -> list[RepairType]:
    """Every repair on the site's list, offered ones first; retired ones stay for the tickets that have them."""
    query = select(RepairType).where(RepairType.site_id == site.id).order_by(
        RepairType.active.desc(), RepairType.price_ore, RepairType.id)
    return list(db.session.scalars(query))


def get_repair_type(site: Site, repair_id: int) -> RepairType:
    repair = db.session.get(RepairType, repair_id)
    if repair is None or repair.site_id != site.id:
        raise NotFound(_l("This repair is not on your workshop's price list."))
    return repair


def save_repair_type(site: Site, repair: RepairType | None, data: dict) -> RepairType:
    """Create (repair=None) or change a repair: code, names, price, standard minutes and operation.

    Tickets keep the price they were booked with (their lines copy it), so a new price is for new bookings."""
    code = checked_code(RepairType, data.get("code", ""), repair.id if repair else None, RepairType.site_id == site.id)
    name_da, name_en = (data.get("name_da") or "").strip(), (data.get("name_en") or "").strip()
    if not name_da:
        raise DomainError(_l("Write the name in Danish."), field="name_da")
    price, minutes = data.get("price_ore"), data.get("standard_minutes")
    if price is None or not 0 <= price <= MAX_REPAIR_PRICE_ORE:
        raise DomainError(_l("The price must be between 0 and 10.000 kr."), field="price_ore")
    if minutes is None or not 1 <= minutes <= MAX_REPAIR_MINUTES:
        raise DomainError(_l("The time must be from 1 to %(most)d minutes.", most=MAX_REPAIR_MINUTES),
                          field="standard_minutes")
    operation = db.session.get(Operation, data.get("operation_id") or 0)
    if operation is None:
        raise DomainError(_l("Choose the operation that does this repair."), field="operation_id")
    saved = save_fields(repair, RepairType, site_id=site.id, code=code, name_da=name_da, name_en=name_en,
                        price_ore=price, standard_minutes=minutes, operation=operation)
    forget_fragment(choices_fragment(site))
    return saved


def set_repair_offered(repair: RepairType, offered: bool) -> RepairType:
    """Retire a repair (residents can no longer book it; tickets that have it keep it) or offer it again."""
    repair.active = offered
    db.session.flush()
    forget_fragment(choices_fragment(repair.site))
    return repair


# --- Business customers -------------------------------------------------------------------------

CUSTOMER_FIELDS = ("kind", "company_name", "cvr", "ean", "contact_name", "email", "phone", "billing_address",
                   "delivery_address")


def business_customers() -> list[Customer]:
    return list(db.session.scalars(select(Customer).order_by(Customer.company_name)))


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_l("This customer does not exist."))
    return customer


def save_customer(customer: Customer | None, data: dict) -> Customer:
    """Create (customer=None) or change a business customer. Customers are shared by all workshops."""
    values = {name: (data.get(name) or "").strip() for name in CUSTOMER_FIELDS}
    if not values["company_name"]:
        raise DomainError(_l("Write the company's name."), field="company_name")
    values["cvr"], values["ean"] = checked_cvr(values["cvr"]), checked_ean(values["ean"])
    values["vat_exempt"] = bool(data.get("vat_exempt"))
    if values["kind"] not in {kind.value for kind in CustomerKind}:
        raise DomainError(_l("Choose the kind of customer."), field="kind")
    values["kind"] = CustomerKind(values["kind"])
    values["email"] = values["email"].lower()
    return save_fields(customer, Customer, **values)
