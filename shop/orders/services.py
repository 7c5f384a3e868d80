"""Orders: making one from a request, finding it for someone allowed to see it.

Services flush, never commit. Who may see an order: the leaders and staff of its site, and the
users of its company; anyone else gets NotFound (404), never a hint that it exists.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from production.models import Product, ProductVariant
from workshop.dblocks import next_site_number
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, Site, User

from ..companies.services import company_of
from ..models import Customer
from .models import Order, OrderCounter, OrderLine, OrderStatus, OrderStatusChange

#: Bounds that keep a typo from becoming an order of a billion bags.
MAX_QUANTITY = 100_000
MAX_LINES = 20


@dataclass
class LineRequest:
    product: Product
    quantity: int
    variant: ProductVariant | None = None
    embroidery_text: str = ""
    thread_colours: str = ""
    placement: str = ""


@dataclass
class OrderRequest:
    site: Site
    customer: Customer
    lines: list[LineRequest]
    wished_date: date | None = None
    prototype_first: bool = False
    note: str = ""
    customer_reference: str = ""
    requested_by: User | None = None
    extra: dict = field(default_factory=dict)


def _next_number(site: Site) -> tuple[int, str]:
    """The site's next order number, under a row lock so two requests never share one."""
    number = next_site_number(OrderCounter, site.id)
    return number, f"O-{number:04d}"


def create_order(request: OrderRequest) -> Order:
    """A requested order with its lines and the first history row."""
    if not request.lines:
        raise DomainError(_l("Add at least one product."), field="lines")
    if len(request.lines) > MAX_LINES:
        raise DomainError(_l("An order can have at most %(count)d lines.", count=MAX_LINES), field="lines")
    for line in request.lines:
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise DomainError(_l("The quantity must be between 1 and %(max)d.", max=MAX_QUANTITY), field="lines")
    sequence, number = _next_number(request.site)
    order = Order(site_id=request.site.id, customer_id=request.customer.id, sequence=sequence, number=number,
                  status=OrderStatus.REQUESTED, wished_date=request.wished_date,
                  prototype_first=request.prototype_first, request_note=request.note,
                  customer_reference=request.customer_reference,
                  requested_by_id=request.requested_by.id if request.requested_by else None)
    order.lines = [OrderLine(product_id=line.product.id, variant_id=line.variant.id if line.variant else None,
                             quantity=line.quantity, embroidery_text=line.embroidery_text,
                             thread_colours=line.thread_colours, placement=line.placement)
                   for line in request.lines]
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderStatusChange(order_id=order.id, by_user_id=order.requested_by_id, from_status=None,
                                     to_status=OrderStatus.REQUESTED.value))
    db.session.flush()
    return order


def company_user_may_see(user: User, order: Order) -> bool:
    company = company_of(user) if user.role == Role.CUSTOMER else None
    return company is not None and company.id == order.customer_id


def workshop_user_may_see(user: User, order: Order) -> bool:
    return user.role in (Role.LEADER, Role.STAFF) and user.site_id == order.site_id


def order_for(user: User, order_id: int, lock: bool = False) -> Order:
    """The order if this user may see it (her company's, or her site's for leaders and staff); else NotFound."""
    query = select(Order).where(Order.id == order_id)
    order = db.session.scalar(query.with_for_update() if lock else query)
    if order is None or not (workshop_user_may_see(user, order) or company_user_may_see(user, order)):
        raise NotFound(_l("No such order."))
    return order
