"""The webshop: products with photos, stock per site and the makers' credit; a cart; web orders.

A checkout reserves the items (stock.reserve) and either starts a Stripe Checkout (the payments
module; this module registers the "web_order" payable) or waits for payment at pick-up. Every change
of an order's status is a conditional UPDATE from the states it may come from (`_transition`), so a
lapse, an expired Checkout Session, a payment and a second delivery of any of them change an order
once: the items are released once, or sold once (`sales.record_sale`), never both.
Services flush, never commit (except `release_lapsed`, a command that commits after each order).
"""
import hashlib
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from production.floor import work_order_hours
from production.models import Product, Task, WorkRecord
from staffing.models import Person
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, Site, User
from workshop.services import record_audit
from workshop.timeutil import LOCAL_ZONE, local_today, to_local, utcnow

from ..models import MessageChannel, OutboxMessage
from ..orders.models import CatalogueItem
from ..payments import services as payments
from ..payments.models import OnlinePayment
from ..payments.payables import Charge, ChargeLine, PayableKind
from ..payments.refunds import refunded_for_payable
from ..repairs.booking import message_locale
from ..repairs.catalogue import normalise_phone
from . import sales, stock
from .models import MovementKind, SaleChannel, SalePaymentMethod, StockLevel, StockMovement
from .stock import StockItem
from .web_models import MakerConsent, WebOrder, WebOrderLine, WebOrderStatus, WebPayment

S = WebOrderStatus
WEB_ORDER = "web_order"
#: At most this many different items in a cart, and this many of one item.
MAX_CART_LINES = 20
MAX_CART_QUANTITY = 50
#: How a buyer may pay at pick-up (recorded by staff, not processed).
PICKUP_METHODS = (SalePaymentMethod.CASH, SalePaymentMethod.CARD_TERMINAL, SalePaymentMethod.MOBILEPAY)
#: States in which the order still holds a reservation (unpaid) or waits to be handed over.
OPEN_STATES = (S.OPEN, S.PACKED)
#: How long past a card order's reservation (and its Checkout Session's end) the lapse command waits for
#: Stripe's webhook of a payment made in the last moment; Stripe's `checkout.session.expired` releases at once.
LAPSE_GRACE = timedelta(minutes=5)

STATUS_LABELS = {
    S.AWAITING_PAYMENT: _l("Waiting for payment"),
    S.OPEN: _l("Received, being packed"),
    S.PACKED: _l("Packed, ready for pick-up"),
    S.COLLECTED: _l("Collected"),
    S.SHIPPED: _l("Shipped"),
    S.RELEASED: _l("Cancelled: the items were given back"),
    S.PAID_LAPSED: _l("Paid, but the items are no longer reserved"),
    S.REFUNDED: _l("Cancelled: the payment was given back"),
}
METHOD_LABELS = {
    SalePaymentMethod.CASH: _l("Cash"),
    SalePaymentMethod.CARD_TERMINAL: _l("Card terminal"),
    SalePaymentMethod.MOBILEPAY: _l("MobilePay"),
    SalePaymentMethod.STRIPE: _l("Card online (Stripe)"),
}


def _now() -> datetime:
    """Naive UTC, as the columns store it."""
    return utcnow().replace(tzinfo=None)


def reservation_minutes() -> int:
    return int(current_app.config.get("RETAIL_RESERVATION_MINUTES", 30))


def reservation_end() -> datetime:
    """Until when a card order made now holds its items: RETAIL_RESERVATION_MINUTES, moved into what Stripe
    allows a Checkout Session (30 minutes to 24 hours), so the session never outlives the reservation."""
    return payments.checkout_expiry(_now() + timedelta(minutes=reservation_minutes()))


def pickup_hold_days() -> int:
    return int(current_app.config.get("RETAIL_PICKUP_HOLD_DAYS", 7))


def pickup_hours(site: Site) -> str:
    """The site's pick-up hours as its leader wrote them, or a general text."""
    return site.pickup_hours or _("Monday to Thursday, 10:00-15:00")


def collect_by(order: WebOrder) -> date | None:
    """The last day an unpaid pick-up order can be collected (then `release_lapsed` gives its items back)."""
    if order.payment != WebPayment.AT_PICKUP or order.sale_id is not None or order.status not in OPEN_STATES:
        return None
    return to_local(order.created_at).date() + timedelta(days=pickup_hold_days())


def _uncollected_before() -> datetime:
    """Pick-up orders placed before this (naive UTC) are past their collect-by day."""
    first_day = local_today() - timedelta(days=pickup_hold_days())
    midnight = datetime.combine(first_day, datetime.min.time(), tzinfo=LOCAL_ZONE)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- The product list and pages -----------------------------------------------------------------


@dataclass
class ShopProduct:
    """A product as the webshop shows it: price incl. VAT, its photo and what each site has available."""

    product: Product
    price_ore: int
    photo_id: int | None
    #: site id -> items available (all variants together)
    available: dict[int, int] = field(default_factory=dict)

    @property
    def in_stock(self) -> int:
        return sum(self.available.values())


def _shop_products_query():
    return (select(Product).where(Product.sold_in_retail.is_(True), Product.active.is_(True))
            .options(selectinload(Product.variants)).order_by(Product.name_da, Product.id))


def shop_products() -> list[ShopProduct]:
    """Every product for sale, with photos and stock: a fixed number of queries however many products."""
    products = db.session.scalars(_shop_products_query()).all()
    return _with_stock_and_photos(products)


def _with_stock_and_photos(products: list[Product]) -> list[ShopProduct]:
    ids = [product.id for product in products]
    photos = dict(db.session.execute(select(CatalogueItem.product_id, CatalogueItem.id).where(
        CatalogueItem.product_id.in_(ids), CatalogueItem.photo != "")).all()) if ids else {}
    available: dict[int, dict[int, int]] = defaultdict(dict)
    if ids:
        rows = db.session.execute(select(StockLevel.product_id, StockLevel.site_id, StockLevel.on_hand,
                                         StockLevel.reserved).where(StockLevel.product_id.in_(ids)))
        for product_id, site_id, on_hand, reserved in rows:
            per_site = available[product_id]
            per_site[site_id] = per_site.get(site_id, 0) + on_hand - reserved
    return [ShopProduct(product, sales.shelf_price_ore(product), photos.get(product.id),
                        {site: count for site, count in available[product.id].items() if count > 0})
            for product in products]


def shop_product(product_id: int) -> ShopProduct:
    """One product for sale, or NotFound (not for sale, hidden, or no such product)."""
    product = db.session.get(Product, product_id) if 0 < product_id < 2**31 else None
    if product is None or not product.sold_in_retail or not product.active:
        raise NotFound(_l("This product is not sold in the shop."))
    return _with_stock_and_photos([product])[0]


def sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.name)))


def item_availability(product: Product) -> list[tuple[StockItem, Site, int]]:
    """(item, site, available) for each variant at each site that has some."""
    levels = db.session.scalars(select(StockLevel).where(StockLevel.product_id == product.id)
                                .options(selectinload(StockLevel.site))).all()
    variants = {variant.id: variant for variant in product.variants}
    rows = [(StockItem(product, variants.get(level.variant_id)), level.site, level.available)
            for level in levels if level.available > 0]
    return sorted(rows, key=lambda row: (row[1].name, row[0].key))


def public_photo(product_id: int) -> str:
    """The stored photo of a product for sale (anyone may see it), or NotFound."""
    product = shop_product(product_id).product
    photo = db.session.scalar(select(CatalogueItem.photo).where(CatalogueItem.product_id == product.id))
    if not photo:
        raise NotFound(_l("This picture does not exist."))
    return photo


# --- Who made it ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MakerCredit:
    """Made at a site by so many women in so many minutes; names only of makers who consented."""

    site: Site
    people: int
    minutes: int
    names: tuple[str, ...]

    @property
    def hours(self) -> int:
        return max(1, round(self.minutes / 60))


def maker_credits(product: Product) -> list[MakerCredit]:
    """Per site: the hours ledger of the batches (restock work orders) the site's stock of the product came from."""
    rows = db.session.execute(select(StockMovement.site_id, StockMovement.work_order_id).where(
        StockMovement.product_id == product.id, StockMovement.kind == MovementKind.PRODUCED,
        StockMovement.work_order_id.is_not(None))).all()
    batches: dict[int, list[int]] = defaultdict(list)
    for site_id, work_order_id in rows:
        batches[site_id].append(work_order_id)
    credits = []
    for site_id, work_order_ids in sorted(batches.items()):
        split = work_order_hours(work_order_ids)
        if split.people == 0:
            continue
        credits.append(MakerCredit(db.session.get(Site, site_id), split.people, split.total_minutes,
                                   tuple(_consenting_makers(work_order_ids))))
    return credits


def _consenting_makers(work_order_ids: list[int]) -> list[str]:
    """Names of the people who worked on these batches and whose consent holds today."""
    makers = (select(WorkRecord.person_id).join(Task, WorkRecord.task_id == Task.id)
              .where(Task.work_order_id.in_(work_order_ids)))
    return list(db.session.scalars(
        select(Person.name).join(MakerConsent, MakerConsent.person_id == Person.id)
        .where(Person.id.in_(makers), MakerConsent.revoked_on.is_(None), MakerConsent.given_on <= local_today())
        .distinct().order_by(Person.name)))


def credit_text(credit: MakerCredit) -> str:
    text = _("Sewn in %(site)s by %(count)d women, %(hours)d hours of work.", site=credit.site.name,
             count=credit.people, hours=credit.hours)
    if credit.names:
        text += " " + _("Made by %(names)s and others.", names=", ".join(credit.names)) \
            if len(credit.names) < credit.people else " " + _("Made by %(names)s.", names=", ".join(credit.names))
    return text


# --- Maker consents ------------------------------------------------------------------------------


def _check_leader(actor: User) -> None:
    if actor.role != Role.LEADER:
        raise DomainError(_l("Only the workshop's leader may record consents."))


def site_people(site: Site) -> list[Person]:
    return list(db.session.scalars(select(Person).where(Person.site_id == site.id).order_by(Person.name)))


def site_consents(site: Site) -> list[MakerConsent]:
    return list(db.session.scalars(
        select(MakerConsent).join(Person).where(Person.site_id == site.id)
        .options(selectinload(MakerConsent.person)).order_by(MakerConsent.revoked_on.is_not(None), Person.name)))


def record_consent(actor: User, person_id: int, given_on: date) -> MakerConsent:
    """The leader records a maker's written consent to be named on the products she made."""
    _check_leader(actor)
    person = db.session.get(Person, person_id)
    if person is None or person.site_id != actor.site_id:
        raise NotFound(_l("No such person at this workshop."))
    if given_on is None or given_on > local_today():
        raise DomainError(_l("Write the day she signed (not a day in the future)."), field="given_on")
    active = db.session.scalar(select(MakerConsent).where(MakerConsent.person_id == person.id,
                                                          MakerConsent.revoked_on.is_(None)))
    if active is not None:
        raise DomainError(_l("%(name)s has already given consent.", name=person.name), field="person_id")
    consent = MakerConsent(person_id=person.id, given_on=given_on, recorded_by_id=actor.id)
    db.session.add(consent)
    db.session.flush()
    record_audit(actor, "maker_consent.given", consent, site=person.site, person_id=person.id)
    return consent


def revoke_consent(actor: User, consent_id: int) -> MakerConsent:
    """She takes her consent back: from today her name is no longer shown."""
    _check_leader(actor)
    consent = db.session.get(MakerConsent, consent_id) if 0 < consent_id < 2**31 else None
    if consent is None or consent.person.site_id != actor.site_id:
        raise NotFound(_l("No such consent at this workshop."))
    if consent.revoked_on is None:
        consent.revoked_on = local_today()
        db.session.flush()
        record_audit(actor, "maker_consent.revoked", consent, site=consent.person.site, person_id=consent.person_id)
    return consent


# --- The cart (a plain dict the view keeps in the session) ---------------------------------------


@dataclass(frozen=True)
class CartRow:
    item: StockItem
    quantity: int
    price_ore: int

    @property
    def total_ore(self) -> int:
        return self.quantity * self.price_ore


def _quantity(value) -> int:
    if type(value) is not int or not 0 <= value <= MAX_CART_QUANTITY:
        raise DomainError(_l("Write a number from 1 to %(max)d.", max=MAX_CART_QUANTITY), field="quantity")
    return value


def cart_set(cart: dict, key: str, quantity: int, add: bool = False) -> dict:
    """The cart with an item's quantity set (or added to); 0 removes it. Checks the item is for sale."""
    item = stock.item_from_key(key)
    if not item.product.active:
        raise NotFound(_l("This product is not sold in the shop."))
    lines = dict(cart.get("lines") or {})
    wanted = _quantity(quantity) + (lines.get(item.key, 0) if add else 0)
    if wanted > MAX_CART_QUANTITY:
        raise DomainError(_l("Write a number from 1 to %(max)d.", max=MAX_CART_QUANTITY), field="quantity")
    if wanted == 0:
        lines.pop(item.key, None)
    else:
        lines[item.key] = wanted
    if len(lines) > MAX_CART_LINES:
        raise DomainError(_l("The cart can hold at most %(count)d different items.", count=MAX_CART_LINES))
    return {**cart, "lines": lines}


def item_product_id(key: str | None) -> int | None:
    """The product a (maybe tampered) cart key names, if it is for sale; else None."""
    first = (key or "").split("-")[0]
    if not (first.isascii() and first.isdigit() and len(first) < 10):
        return None
    try:
        return shop_product(int(first)).product.id
    except NotFound:
        return None


def cart_rows(cart: dict) -> list[CartRow]:
    """The cart's lines at today's shelf prices; a line that is no longer for sale is left out."""
    rows = []
    for key, quantity in (cart.get("lines") or {}).items():
        try:
            item = stock.item_from_key(key)
            quantity = _quantity(quantity)
        except DomainError:
            continue
        if item.product.active and quantity:
            rows.append(CartRow(item, quantity, sales.shelf_price_ore(item.product)))
    return rows


def cart_count(cart: dict) -> int:
    return sum(quantity for quantity in (cart.get("lines") or {}).values() if type(quantity) is int)


def pickup_site(site_id) -> Site:
    site = db.session.get(Site, site_id) if type(site_id) is int and 0 < site_id < 2**31 else None
    if site is None:
        raise DomainError(_l("Choose where you will pick up the items."), field="site_id")
    return site


# --- Checkout ------------------------------------------------------------------------------------


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def buyer_details(name: str, email: str, phone: str) -> dict:
    """The buyer's name, e-mail and phone, checked: a DomainError names the field."""
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise DomainError(_l("Write your name (at most 80 characters)."), field="name")
    email = (email or "").strip().lower()
    if not email or len(email) > 254 or not EMAIL.fullmatch(email):
        raise DomainError(_l("Write your e-mail address, e.g. navn@eksempel.dk."), field="email")
    return {"buyer_name": name, "buyer_email": email, "buyer_phone": normalise_phone(phone)}


def place_order(site: Site, rows: list[CartRow], payment: WebPayment, *, name: str, email: str,
                phone: str) -> WebOrder:
    """Reserve the cart's items at the pick-up site and write the order; refused whole when any is missing.

    A Stripe order holds its reservation until `reservation_end`; pay at pick-up holds it until the
    order is collected or cancelled, or RETAIL_PICKUP_HOLD_DAYS have passed. The buyer gets an e-mail
    with her order page; the page's key is stored only as a hash (`order.token` holds it for now)."""
    if not rows:
        raise DomainError(_l("Your cart is empty."))
    details = buyer_details(name, email, phone)
    reserved_until = reservation_end() if payment == WebPayment.STRIPE else None
    token = secrets.token_urlsafe(24)
    order = WebOrder(site_id=site.id, token_hash=token_hash(token), payment=payment,
                     status=S.AWAITING_PAYMENT if payment == WebPayment.STRIPE else S.OPEN,
                     total_ore=sum(row.total_ore for row in rows), reserved_until=reserved_until,
                     changed_at=_now(), locale=message_locale(str(get_locale() or "da")), **details)
    order.lines = [WebOrderLine(product_id=row.item.product.id, variant_id=row.item.variant_id,
                                quantity=row.quantity, unit_price_ore=row.price_ore) for row in rows]
    db.session.add(order)
    db.session.flush()
    order.token = token
    for row in rows:
        stock.reserve(site, row.item, row.quantity, reference=f"web_order:{order.id}")
    _queue_mail(order)
    return order


def order_url(order: WebOrder) -> str:
    """The buyer's order page; only from the object that placed the order (the key is stored hashed)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/butik/o/{order.token}"


def _queue_mail(order: WebOrder) -> OutboxMessage:
    """The buyer's e-mail with the link to her order page."""
    def compose():
        subject = _("Your order %(number)s from %(site)s", number=order.number, site=order.site.name)
        if order.payment == WebPayment.STRIPE:
            minutes = round((order.reserved_until - _now()).total_seconds() / 60)
            return subject, _("Thank you for your order %(number)s. Pay within %(minutes)d minutes, or the items are "
                              "given back. Follow your order here: %(url)s", number=order.number, minutes=minutes,
                              url=order_url(order))
        return subject, _("Thank you for your order %(number)s. Pick it up at %(site)s (%(hours)s) by %(day)s and pay "
                          "there. Follow your order here: %(url)s", number=order.number, site=order.site.name,
                          hours=pickup_hours(order.site), day=format_date(collect_by(order), "long"),
                          url=order_url(order))
    return _mail(order, "web_order_placed", compose)


def _mail(order: WebOrder, kind: str, compose) -> OutboxMessage:
    """Queue an e-mail to the buyer; `compose()` gives its subject and body, written in her language."""
    with force_locale(order.locale):
        subject, body = compose()
    message = OutboxMessage(site_id=order.site_id, kind=kind, channel=MessageChannel.EMAIL,
                            recipient=order.buyer_email, subject=subject[:200], body=body[:2000])
    db.session.add(message)
    db.session.flush()
    return message


def _items(order: WebOrder) -> list[sales.CartLine]:
    return [sales.CartLine(StockItem(line.product, line.variant), line.quantity) for line in order.lines]


def _transition(order: WebOrder, from_states, to_state: WebOrderStatus, actor: User | None = None,
                extra=()) -> bool:
    """Move the order to `to_state` only if it is still in one of `from_states` (one UPDATE, so of two
    racing transactions exactly one wins); True when this call moved it."""
    query = update(WebOrder).where(WebOrder.id == order.id, WebOrder.status.in_(list(from_states)), *extra)
    changed = db.session.execute(query.values(status=to_state, changed_at=_now(),
                                              changed_by_id=actor.id if actor else None)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(order)
    return changed == 1


def _give_back(order: WebOrder, actor: User | None, why: str) -> None:
    site = order.site
    for line in _items(order):
        stock.release(site, line.item, line.quantity, reference=f"web_order:{order.id}", actor=actor)
    record_audit(actor, f"web_order.released.{why}", order, site=site)


def release_if_unpaid(order: WebOrder, why: str, actor: User | None = None) -> bool:
    """Give back what an order waiting for online payment reserved (its Checkout Session expired); once."""
    if _transition(order, (S.AWAITING_PAYMENT,), S.RELEASED, actor):
        _give_back(order, actor, why)
        return True
    return False


def release_lapsed(commit) -> int:
    """Release every card order whose reservation time has passed unpaid (by LAPSE_GRACE), and every
    unpaid pick-up order past its collect-by day (the buyer is e-mailed); commits after each. Safe to run
    again: each order changes state once."""
    lapsed = (WebOrder.reserved_until <= _now() - LAPSE_GRACE,)
    uncollected = (WebOrder.payment == WebPayment.AT_PICKUP, WebOrder.sale_id.is_(None),
                   WebOrder.created_at < _uncollected_before())
    released = 0
    runs = (((S.AWAITING_PAYMENT,), lapsed, "lapsed"), (OPEN_STATES, uncollected, "uncollected"))
    for from_states, where, why in runs:
        ids = db.session.scalars(select(WebOrder.id).where(WebOrder.status.in_(list(from_states)), *where)
                                 .order_by(WebOrder.id)).all()
        for order_id in ids:
            order = db.session.get(WebOrder, order_id)
            if _transition(order, from_states, S.RELEASED, extra=where):
                _give_back(order, None, why)
                if why == "uncollected":
                    _queue_uncollected_mail(order)
                released += 1
            commit()
    return released


def _queue_uncollected_mail(order: WebOrder) -> OutboxMessage:
    return _mail(order, "web_order_uncollected", lambda: (
        _("Your order %(number)s from %(site)s is cancelled", number=order.number, site=order.site.name),
        _("Your order %(number)s was not picked up within %(days)d days, so the items are back on the shelf. "
          "You are welcome to order again.", number=order.number, days=pickup_hold_days())))


def _queue_paid_too_late_mail(order: WebOrder) -> OutboxMessage:
    return _mail(order, "web_order_paid_lapsed", lambda: (
        _("Your payment for order %(number)s", number=order.number),
        _("Thank you, we have your payment for order %(number)s. It came after the time to pay, and the items "
          "were sold in the meantime. We will contact you: you get the items when they are made again, or "
          "your money back. The link in our first e-mail shows your order.", number=order.number)))


def cancel(order: WebOrder, actor: User) -> None:
    """Staff cancel an unpaid pick-up order (she never came): the items go back on the shelf."""
    if order.sale_id is not None or not _transition(order, OPEN_STATES, S.RELEASED, actor,
                                                    extra=(WebOrder.sale_id.is_(None),)):
        raise DomainError(_l("Only an unpaid order that is not yet collected can be cancelled."))
    _give_back(order, actor, "cancelled")


def mark_paid_online(order: WebOrder) -> None:
    """Stripe says the money arrived: one receipt from the reserved items. Paid after a lapse, the items
    are sold from the shelf if still there and the order goes on as paid; if not, the order waits as
    PAID_LAPSED for the staff to reserve them again (`reserve_again`) or give the money back."""
    if _transition(order, (S.AWAITING_PAYMENT,), S.OPEN):
        sale = sales.record_sale(order.site, _items(order), channel=SaleChannel.WEB,
                                 payment_method=SalePaymentMethod.STRIPE, reference=f"web_order:{order.id}",
                                 from_reservation=True)
        order.sale_id = sale.id
    elif order.status == S.RELEASED and order.sale_id is None:
        if not _sell_from_shelf(order, (S.RELEASED,), None) \
                and _transition(order, (S.RELEASED,), S.PAID_LAPSED, extra=(WebOrder.sale_id.is_(None),)):
            record_audit(None, "web_order.paid_after_release", order, site=order.site, total_ore=order.total_ore)
            _queue_paid_too_late_mail(order)
    db.session.flush()


def _sell_from_shelf(order: WebOrder, from_states, actor: User | None) -> bool:
    """Open a paid order again, selling its items from what is on the shelf now; False (nothing changed)
    when any is missing or the order is no longer in `from_states`."""
    try:
        with db.session.begin_nested():
            if not _transition(order, from_states, S.OPEN, actor, extra=(WebOrder.sale_id.is_(None),)):
                return False
            sale = sales.record_sale(order.site, _items(order), channel=SaleChannel.WEB, actor=actor,
                                     payment_method=SalePaymentMethod.STRIPE, reference=f"web_order:{order.id}")
            order.sale_id = sale.id
    except DomainError:
        db.session.refresh(order)
        return False
    db.session.flush()
    return True


def reserve_again(order: WebOrder, actor: User) -> None:
    """Staff take the items of an order paid after its reservation lapsed from the shelf now they are in stock."""
    if order.status != S.PAID_LAPSED:
        raise DomainError(_l("Only an order paid after its reservation lapsed can be reserved again."))
    if not _sell_from_shelf(order, (S.PAID_LAPSED,), actor):
        raise DomainError(_l("The items are still not in stock. Reserve them when they are, or give the money back."))
    record_audit(actor, "web_order.reserved_again", order, site=order.site)


def _refunded(online: OnlinePayment, amount_ore: int) -> None:
    """Money of a web order's payment was given back: an order paid too late, refunded in full, is closed."""
    order = _order(online.payable_id)
    if order.status == S.PAID_LAPSED and refunded_for_payable(WEB_ORDER, order.id) >= order.total_ore:
        _transition(order, (S.PAID_LAPSED,), S.REFUNDED)


def mark_packed(order: WebOrder, actor: User) -> None:
    if not _transition(order, (S.OPEN,), S.PACKED, actor):
        raise DomainError(_l("Only an order that is received can be packed."))


def mark_collected(order: WebOrder, actor: User, method: SalePaymentMethod | None = None) -> None:
    """The buyer has her items. Unpaid, she paid now: the receipt is written with how she paid."""
    if order.status not in OPEN_STATES:
        raise DomainError(_l("This order cannot be collected now."))
    if order.sale_id is None and method not in PICKUP_METHODS:
        raise DomainError(_l("Choose how she paid."), field="method")
    if not _transition(order, OPEN_STATES, S.COLLECTED, actor):
        raise DomainError(_l("This order cannot be collected now."))
    if order.sale_id is None:
        sale = sales.record_sale(order.site, _items(order), channel=SaleChannel.WEB, payment_method=method,
                                 actor=actor, reference=f"web_order:{order.id}", from_reservation=True)
        order.sale_id, order.paid_at_pickup_with = sale.id, method
        db.session.flush()


def mark_shipped(order: WebOrder, actor: User) -> None:
    if order.sale_id is None or not _transition(order, OPEN_STATES, S.SHIPPED, actor):
        raise DomainError(_l("Only a paid order can be shipped."))


def site_orders(site: Site) -> list[WebOrder]:
    return list(db.session.scalars(
        select(WebOrder).where(WebOrder.site_id == site.id)
        .options(selectinload(WebOrder.lines).selectinload(WebOrderLine.product))
        .order_by(WebOrder.status.in_([*OPEN_STATES, S.PAID_LAPSED]).desc(), WebOrder.created_at.desc())
        .limit(200)))


def site_order(site: Site, order_id: int) -> WebOrder:
    order = db.session.get(WebOrder, order_id) if 0 < order_id < 2**31 else None
    if order is None or order.site_id != site.id:
        raise NotFound(_l("No such web order at this workshop."))
    return order


def order_by_token(token: str) -> WebOrder:
    """The order of a buyer's link (found by the key's hash), or NotFound."""
    order = db.session.scalar(select(WebOrder).where(WebOrder.token_hash == token_hash(token))) \
        if 20 <= len(token) <= 64 else None
    if order is None:
        raise NotFound(_l("No such order."))
    order.token = token
    return order


# --- The web order as something payable online ---------------------------------------------------


def _order(order_id: int) -> WebOrder:
    order = db.session.get(WebOrder, order_id)
    if order is None:
        raise NotFound(_l("No such order."))
    return order


def charge(order_id: int, payment_kind: str) -> Charge:
    order = _order(order_id)
    if order.status != S.AWAITING_PAYMENT or payment_kind != "full":
        raise DomainError(_l("This order cannot be paid now."))
    # The session ends with the reservation; were that too soon for Stripe, the reservation is made longer.
    expires_at = payments.checkout_expiry(order.reserved_until)
    if expires_at > order.reserved_until:
        order.reserved_until = expires_at
        db.session.flush()
    return Charge(order.site_id, order.number, tuple(
        ChargeLine(line.product.name_da + (f" ({line.variant.label})" if line.variant else ""),
                   line.unit_price_ore, line.quantity) for line in order.lines), expires_at=expires_at)


def _fulfil(online: OnlinePayment) -> None:
    mark_paid_online(_order(online.payable_id))


def _expired(online: OnlinePayment) -> None:
    release_if_unpaid(_order(online.payable_id), "expired")


def _staff_page(order_id: int) -> str:
    """The page of a web order that needs no key: the staff's list (a checkout names the buyer's page)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/retail/web-orders"


WEB_ORDER_PAYABLE = PayableKind(WEB_ORDER, charge, _fulfil, _staff_page, refunded=_refunded, expired=_expired)
