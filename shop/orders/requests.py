"""A company's request for a quote, and what happens to a request before it is quoted.

The customer's form gives ids and text; everything is checked here against her company's
catalogue (a hidden product, or one chosen for another company, is refused), the logos are
checked and stored by `shop.images`, and the order is made by `services.create_order`. The
site's leaders get an e-mail through the outbox. Services flush, never commit; when anything
is refused, the pictures already stored are deleted again and the view rolls back.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from production.models import ProductVariant
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, Site, User
from workshop.timeutil import local_today, to_local

from .. import images
from ..companies.services import my_company
from ..models import Customer, MessageChannel, OutboxMessage
from . import catalogue, events, services
from .models import Order, OrderLogo, OrderStatus, OrderStatusChange, Quote
from .states import CLOSED_STATUSES, HAPPY_PATH, OPEN_STATUSES, STATUS_LABELS, change_status

#: How far ahead a customer may wish her delivery.
MAX_WISH_DAYS = 2 * 365
#: Logos with one request.
MAX_LOGOS = 3


@dataclass
class RequestedLine:
    """One line as the form gives it: ids and text, not yet checked."""

    product_id: int
    quantity: int | None
    variant_id: int | None = None
    embroidery_text: str = ""
    thread_colours: str = ""
    placement: str = ""


@dataclass
class Upload:
    """An uploaded file: its stream and the name on her computer."""

    stream: object
    filename: str = ""


@dataclass
class QuoteRequest:
    site_id: int
    lines: list[RequestedLine]
    wished_date: date | None = None
    prototype_first: bool = False
    note: str = ""
    customer_reference: str = ""
    logos: tuple[Upload, ...] = ()


# --- Asking for a quote ----------------------------------------------------------------------------


def request_sites() -> list[Site]:
    """The workshops a company can ask, by name."""
    return list(db.session.scalars(select(Site).order_by(Site.name)))


def _site(site_id: int) -> Site:
    site = db.session.get(Site, site_id) if site_id else None
    if site is None:
        raise DomainError(_l("Choose a workshop."), field="site_id")
    return site


def _checked_line(company: Customer, line: RequestedLine) -> services.LineRequest:
    product = catalogue.offered_product(company, line.product_id)
    if line.quantity is None or not 1 <= line.quantity <= services.MAX_QUANTITY:
        raise DomainError(_l("Write a number from 1 to %(max)d.", max=services.MAX_QUANTITY), field="lines")
    variant = None
    if line.variant_id:
        variant = db.session.get(ProductVariant, line.variant_id)
        if variant is None or variant.product_id != product.id:
            raise DomainError(_l("Choose a size or colour of the product you chose."), field="lines")
    return services.LineRequest(product=product, quantity=line.quantity, variant=variant,
                                embroidery_text=line.embroidery_text.strip()[:200],
                                thread_colours=line.thread_colours.strip()[:200],
                                placement=line.placement.strip()[:200])


def _checked_wish(wished: date | None) -> date | None:
    if wished is None:
        return None
    today = local_today()
    if wished < today:
        raise DomainError(_l("The date has passed. Choose a later date."), field="wished_date")
    if wished > today + timedelta(days=MAX_WISH_DAYS):
        raise DomainError(_l("Choose a date within two years."), field="wished_date")
    return wished


def request_quote(user: User, request: QuoteRequest) -> Order:
    """Her company's request for a quote: checked lines, logos stored, the leaders told. All or nothing."""
    company = my_company(user)
    site = _site(request.site_id)
    lines = [_checked_line(company, line) for line in request.lines]
    wished = _checked_wish(request.wished_date)
    if len(request.logos) > MAX_LOGOS:
        raise DomainError(_l("Send at most %(count)d logos.", count=MAX_LOGOS), field="logo")
    stored: list[images.StoredImage] = []
    try:
        for upload in request.logos:
            stored.append(images.store_image(upload.stream, "logos"))
        order = services.create_order(services.OrderRequest(
            site=site, customer=company, lines=lines, wished_date=wished, prototype_first=request.prototype_first,
            note=request.note.strip()[:2000], customer_reference=request.customer_reference.strip()[:60],
            requested_by=user))
        for upload, picture in zip(request.logos, stored, strict=True):
            db.session.add(OrderLogo(order_id=order.id, stored_name=picture.name, original_name=upload.filename[:200],
                                     width=picture.width, height=picture.height, uploaded_by_id=user.id))
        db.session.flush()
        queue_request_message(order)
    except Exception:
        for picture in stored:
            images.delete_image(picture.name)
        raise
    return order


def order_url(order: Order) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/orders/{order.id}"


def site_leaders(site_id: int) -> list[User]:
    query = select(User).where(User.role == Role.LEADER, User.site_id == site_id,
                               User.is_active_account.is_(True)).order_by(User.id)
    return list(db.session.scalars(query))


def queue_request_message(order: Order) -> list[OutboxMessage]:
    """An e-mail to each leader of the order's site: a new request waits for a quote."""
    messages = []
    for leader in site_leaders(order.site_id):
        with force_locale(leader.locale or "da"):
            values = {"number": order.number, "company": order.customer.company_name, "url": order_url(order)}
            subject = _("New request %(number)s from %(company)s", **values)
            body = _("%(company)s asks for a quote. See the request here: %(url)s", **values)
        message = OutboxMessage(site_id=order.site_id, kind="order_requested", channel=MessageChannel.EMAIL,
                                recipient=leader.email, subject=str(subject), body=str(body))
        db.session.add(message)
        messages.append(message)
    db.session.flush()
    return messages


def queue_ready_message(order: Order, **_extra) -> OutboxMessage | None:
    """`order_ready`: an e-mail to whoever asked for the order (else the company's address): it is ready."""
    buyer = order.requested_by
    recipient = (buyer.email if buyer is not None else "") or order.customer.email
    if not recipient:
        return None
    with force_locale((buyer.locale if buyer is not None else "") or "da"):
        values = {"number": order.number, "url": order_url(order)}
        subject = _("Your order %(number)s is ready", **values)
        body = _("Your order %(number)s is ready. We will send it or agree the delivery with you. See it here: %(url)s",
                 **values)
    message = OutboxMessage(site_id=order.site_id, kind="order_ready", channel=MessageChannel.EMAIL,
                            recipient=recipient, subject=str(subject), body=str(body))
    db.session.add(message)
    db.session.flush()
    return message


# --- Before the quote: decline, cancel, withdraw ----------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Write the reason."), field="reason")
    return reason[:300]


def decline(order: Order, leader: User, reason: str) -> Order:
    """A leader says no to a request that has no quote yet."""
    if order.status != OrderStatus.REQUESTED:
        raise DomainError(_l("Only a request without a quote can be declined. Cancel the order instead."))
    return change_status(order, OrderStatus.DECLINED, leader, _reason(reason))


def cancel(order: Order, leader: User, reason: str) -> Order:
    """A leader cancels the order from wherever the state machine allows; the other modules are told."""
    change_status(order, OrderStatus.CANCELLED, leader, _reason(reason))
    events.order_cancelled.send(order, actor=leader)
    return order


def withdraw(order: Order, customer: User) -> Order:
    """The customer takes back her request while it is not yet quoted."""
    if order.status != OrderStatus.REQUESTED:
        raise DomainError(_l("You can only take back a request before you get a price."))
    change_status(order, OrderStatus.CANCELLED, customer)
    events.order_cancelled.send(order, actor=customer)
    return order


# --- Reading orders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    status: OrderStatus
    label: str
    #: The Copenhagen date the order first reached this status; None when not (yet).
    reached_on: date | None
    current: bool


def timeline(order: Order) -> list[Step]:
    """The normal path with the date each step was reached, then declined, expired or cancelled if so."""
    reached: dict[str, date] = {}
    changes = db.session.scalars(select(OrderStatusChange).where(OrderStatusChange.order_id == order.id)
                                 .order_by(OrderStatusChange.id))
    for change in changes:
        reached.setdefault(change.to_status, to_local(change.at).date())
    statuses = list(HAPPY_PATH) + [status for status in (OrderStatus.EXPIRED, OrderStatus.DECLINED,
                                                         OrderStatus.CANCELLED) if status.value in reached]
    return [Step(status, str(STATUS_LABELS[status]), reached.get(status.value), status == order.status)
            for status in statuses]


def latest_quote(order: Order, sent_only: bool) -> Quote | None:
    """The newest quote version; only the sent ones for the customer."""
    quotes = [quote for quote in order.quotes if quote.sent_at is not None or not sent_only]
    return quotes[-1] if quotes else None


def company_orders(company: Customer) -> list[Order]:
    """Her company's orders, newest first."""
    query = select(Order).where(Order.customer_id == company.id).order_by(Order.created_at.desc(), Order.id.desc())
    return list(db.session.scalars(query))


#: The workshop list's status filter.
STATUS_FILTERS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES, "all": None}


def workshop_orders(site: Site, status: str = "open", customer_name: str = "",
                    wished_by: date | None = None) -> list[Order]:
    """A site's orders, filtered; those wished soonest first, then the newest."""
    query = select(Order).join(Order.customer).where(Order.site_id == site.id)
    statuses = STATUS_FILTERS.get(status, OPEN_STATUSES)
    if statuses is not None:
        query = query.where(Order.status.in_(statuses))
    name = (customer_name or "").strip()[:160]
    if name:
        query = query.where(func.lower(Customer.company_name).contains(name.lower(), autoescape=True))
    if wished_by is not None:
        query = query.where(Order.wished_date.is_not(None), Order.wished_date <= wished_by)
    query = query.order_by(Order.wished_date.is_(None), Order.wished_date, Order.created_at.desc(), Order.id.desc())
    return list(db.session.scalars(query.limit(500)))


def waiting_for_quote(site: Site) -> int:
    """How many requests at the site wait for a quote (requested, or with a quote that expired)."""
    return db.session.scalar(select(func.count(Order.id)).where(
        Order.site_id == site.id, Order.status.in_((OrderStatus.REQUESTED, OrderStatus.EXPIRED)))) or 0


def order_logo(user: User, order_id: int, logo_id: int) -> OrderLogo:
    """A logo of an order this user may see; NotFound otherwise."""
    order = services.order_for(user, order_id)
    logo = db.session.get(OrderLogo, logo_id)
    if logo is None or logo.order_id != order.id:
        raise NotFound(_l("No such order."))
    return logo
