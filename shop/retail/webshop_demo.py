"""Demo web orders: at each workshop a few orders in different states, and one maker's consent."""
from datetime import date, timedelta

from sqlalchemy import select

from staffing.models import Person
from workshop import services as core
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import local_today

from . import stock, webshop
from .models import SalePaymentMethod
from .web_models import MakerConsent, WebOrder, WebPayment

#: (buyer, e-mail, how she pays, what happens next) for each demo order at a site.
DEMO_ORDERS = (
    ("Mette Hansen", "mette@eksempel.dk", WebPayment.AT_PICKUP, None),
    ("Aisha Khan", "aisha@eksempel.dk", WebPayment.AT_PICKUP, "packed"),
    ("Louise Berg", "louise@eksempel.dk", WebPayment.AT_PICKUP, "collected"),
    ("Jonas Lund", "jonas@eksempel.dk", WebPayment.STRIPE, None),
    ("Per Holm", "per@eksempel.dk", WebPayment.STRIPE, "released"),
)


def seed_demo_web_orders() -> None:
    """A few web orders per site (nothing at a site that has some); the stock they need is produced."""
    items = stock.stock_items()
    for site in core.all_sites():
        staff = db.session.scalar(select(User).where(User.site_id == site.id, User.role.in_((Role.STAFF, Role.LEADER)))
                                  .order_by(User.role.desc()))
        if not items or staff is None or db.session.scalar(select(WebOrder.id).where(WebOrder.site_id == site.id)):
            continue
        for number, (name, email, payment, then) in enumerate(DEMO_ORDERS):
            item = items[number % len(items)]
            if stock.available(site, item.product, item.variant) < 2:
                stock.produce(site, item, 5)
            cart = webshop.cart_set({}, item.key, 1 + number % 2)
            order = webshop.place_order(site, webshop.cart_rows(cart), payment, name=name, email=email,
                                        phone=f"20 30 40 {50 + number}")
            if then == "packed":
                webshop.mark_packed(order, staff)
            elif then == "collected":
                webshop.mark_collected(order, staff, SalePaymentMethod.CASH)
            elif then == "released":
                webshop.release_if_unpaid(order, "expired")
        _demo_consent(site, staff)
    db.session.flush()


def _demo_consent(site, leader_or_staff: User) -> None:
    """The first maker of the site has signed that her name may be shown."""
    leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == Role.LEADER))
    person = db.session.scalar(select(Person).where(Person.site_id == site.id).order_by(Person.id))
    if leader is None or person is None:
        return
    if not db.session.scalar(select(MakerConsent.id).where(MakerConsent.person_id == person.id)):
        webshop.record_consent(leader, person.id, max(local_today() - timedelta(days=30), date(2020, 1, 1)))
