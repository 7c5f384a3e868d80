"""Quotes: a leader prices a request, sends it by a link, the customer accepts it.

Prices come from her own price or the quantity's tier; a leader may change a unit price (within
bounds, with a reason). The earliest date comes from the site's people and the work already
promised, with the other orders quoted but not accepted as tentative load. The link's token is
stored only as a hash; it opens only the latest version of its quote, until the quote expires.

Two leaders saving, or two people accepting, at once: the order row is locked and its version
column checked, so one wins and the other is told. Services flush, never commit.
"""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import attributes
from sqlalchemy.orm.exc import StaleDataError

from production.capacity import order_work_minutes
from production.forecast import DateAdvice, ImpactForecast, advise_date, impact_forecast
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Site, User
from workshop.money import kroner
from workshop.timeutil import local_today, utcnow

from ..companies.services import members
from ..models import MessageChannel, OutboxMessage
from . import events, pricing, states
from .models import Order, OrderLine, OrderStatus, Quote, QuoteLine

#: A quote is valid for at most this many days.
MAX_VALID_DAYS = 90
DEFAULT_VALID_DAYS = 30
MAX_TERMS_DAYS = 60
DEFAULT_TERMS_DAYS = 14
#: The highest unit price a leader may type: 10,000 kr.
MAX_UNIT_PRICE_ORE = 1_000_000
MAX_MESSAGE = 2000
MAX_REASON = 200
MAX_NAME = 120
STALE = _l("Someone else changed this order. Reload the page.")


class LinkProblem(Exception):
    """A quote link that cannot be used (replaced by a newer quote, or expired): said in plain words."""

    def __init__(self, message, expired: bool = False):
        super().__init__(str(message))
        self.message = message
        self.expired = expired


# --- The draft a leader starts from -----------------------------------------------------------


@dataclass
class DraftLine:
    line: OrderLine
    list_price_ore: int
    unit_price_ore: int
    reason: str = ""

    @property
    def total_ore(self) -> int:
        return self.line.quantity * self.unit_price_ore


@dataclass
class QuoteTerms:
    deposit_percent: int
    payment_terms_days: int
    valid_until: date
    promised_date: date
    message: str = ""
    #: order line id -> (unit price in øre, reason); lines not named keep their list price.
    prices: dict[int, tuple[int, str]] = field(default_factory=dict)
    #: The order's version when the leader opened the form (optimistic lock); None skips the check.
    order_version: int | None = None


@dataclass
class Draft:
    order: Order
    lines: list[DraftLine]
    totals: pricing.Totals
    terms: QuoteTerms
    advice: DateAdvice | None
    #: Why there is no date advice (no routing, nobody able), in words.
    advice_problem: str = ""
    forecast: ImpactForecast | None = None


def order_work(order: Order) -> dict[int, int]:
    """Standard minutes per operation for the order's lines (DomainError when a product has no routing)."""
    return order_work_minutes([(line.product, line.quantity) for line in order.lines])


def tentative_work(site: Site, but: Order | None = None) -> dict[int, int]:
    """Minutes per operation of the other orders quoted at the site and not yet accepted."""
    query = select(Order).where(Order.site_id == site.id, Order.status == OrderStatus.QUOTED)
    if but is not None:
        query = query.where(Order.id != but.id)
    load: dict[int, int] = {}
    for order in db.session.scalars(query):
        items = [(line.product, line.quantity) for line in order.lines if line.product.routing]
        for operation_id, minutes in order_work_minutes(items).items():
            load[operation_id] = load.get(operation_id, 0) + minutes
    return load


def _list_lines(order: Order) -> list[DraftLine]:
    return [DraftLine(line, price, price) for line in order.lines
            for price in [pricing.unit_price_ore(order.customer, line.product, line.quantity)]]


def default_terms(order: Order, earliest: date | None) -> QuoteTerms:
    today = local_today()
    promised = max(day for day in (today, order.wished_date, earliest) if day is not None)
    return QuoteTerms(deposit_percent=30, payment_terms_days=DEFAULT_TERMS_DAYS,
                      valid_until=today + timedelta(days=DEFAULT_VALID_DAYS), promised_date=promised,
                      order_version=order.version)


def draft_quote(order: Order, leader: User, terms: QuoteTerms | None = None) -> Draft:
    """What the quote form shows: list prices (or the leader's, checked), totals, the date advice and forecast."""
    _require_quotable(order)
    advice, problem, forecast = None, "", None
    try:
        work = order_work(order)
        advice = advise_date(order.site, work, order.wished_date, tentative_work(order.site, but=order))
        forecast = impact_forecast(order.site, work)
    except DomainError as error:
        problem = str(error.message)
    terms = terms or default_terms(order, advice.earliest if advice else None)
    lines = _priced_lines(order, terms)
    return Draft(order, lines, pricing.totals([line.total_ore for line in lines], order.customer.vat_exempt),
                 terms, advice, problem, forecast)


def _require_quotable(order: Order) -> None:
    if not states.can_change(order, OrderStatus.QUOTED):
        raise DomainError(_l("This order cannot get a new quote now."))


def _priced_lines(order: Order, terms: QuoteTerms) -> list[DraftLine]:
    """The lines at list price, with the leader's prices checked: bounded, and a reason when they differ."""
    lines = _list_lines(order)
    for line in lines:
        if line.line.id not in terms.prices:
            continue
        price, reason = terms.prices[line.line.id]
        reason = (reason or "").strip()
        if price is None or not 0 <= price <= MAX_UNIT_PRICE_ORE:
            raise DomainError(_l("A unit price must be between 0 and %(max)s kr.", max=kroner(MAX_UNIT_PRICE_ORE)),
                              field="lines")
        if len(reason) > MAX_REASON:
            raise DomainError(_l("A reason can be at most %(count)d characters.", count=MAX_REASON), field="lines")
        if price != line.list_price_ore and not reason:
            raise DomainError(_l("Write why the price of %(product)s differs from the list price.",
                                 product=line.line.product.name), field="lines")
        line.unit_price_ore, line.reason = price, reason if price != line.list_price_ore else ""
    return lines


def _check_terms(terms: QuoteTerms) -> None:
    today = local_today()
    if not 0 <= terms.deposit_percent <= 100:
        raise DomainError(_l("The deposit must be between 0 and 100 %."), field="deposit_percent")
    if not 0 <= terms.payment_terms_days <= MAX_TERMS_DAYS:
        raise DomainError(_l("Payment terms must be between 0 and %(days)d days.", days=MAX_TERMS_DAYS),
                          field="payment_terms_days")
    if not today <= terms.valid_until <= today + timedelta(days=MAX_VALID_DAYS):
        raise DomainError(_l("The quote must be valid from today and at most %(days)d days.", days=MAX_VALID_DAYS),
                          field="valid_until")
    if terms.promised_date < today:
        raise DomainError(_l("The delivery date cannot be in the past."), field="promised_date")
    if len(terms.message or "") > MAX_MESSAGE:
        raise DomainError(_l("The message can be at most %(count)d characters.", count=MAX_MESSAGE), field="message")


# --- Locking the order ------------------------------------------------------------------------


def locked(order: Order, expected_version: int | None = None) -> Order:
    """The order re-read under a row lock; DomainError when someone changed it since `expected_version`."""
    fresh = db.session.scalar(select(Order).where(Order.id == order.id).with_for_update()
                              .execution_options(populate_existing=True))
    if fresh is None or (expected_version is not None and fresh.version != expected_version):
        raise DomainError(STALE)
    return fresh


def flushed(order: Order) -> None:
    """Write the order (its version column goes up); a concurrent change becomes the plain message."""
    attributes.flag_modified(order, "status")
    try:
        db.session.flush()
    except StaleDataError:
        raise DomainError(STALE) from None


# --- Make, send, open, accept, expire ---------------------------------------------------------


def make_quote(order: Order, leader: User, terms: QuoteTerms) -> Quote:
    """A new quote version with the checked prices and terms (not sent yet)."""
    order = locked(order, terms.order_version)
    _require_quotable(order)
    _check_terms(terms)
    draft = draft_quote(order, leader, terms)
    version = (db.session.scalar(select(func.max(Quote.version)).where(Quote.order_id == order.id)) or 0) + 1
    quote = Quote(order_id=order.id, version=version, created_by_id=leader.id, valid_until=terms.valid_until,
                  deposit_percent=terms.deposit_percent, payment_terms_days=terms.payment_terms_days,
                  promised_date=terms.promised_date, earliest_date=draft.advice.earliest if draft.advice else None,
                  message=(terms.message or "").strip(), subtotal_ore=draft.totals.subtotal_ore,
                  vat_ore=draft.totals.vat_ore, total_ore=draft.totals.total_ore)
    quote.lines = [QuoteLine(order_line_id=line.line.id, quantity=line.line.quantity,
                             list_price_ore=line.list_price_ore, unit_price_ore=line.unit_price_ore,
                             price_reason=line.reason) for line in draft.lines]
    db.session.add(quote)
    db.session.flush()
    return quote


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def quote_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/q/{token}"


def send_quote(quote: Quote, actor: User | None = None) -> str:
    """Send the quote: its link's token (returned; stored only as a hash), the order quoted, an e-mail to her company."""
    order = quote.order
    if quote.sent_at is not None:
        raise DomainError(_l("This quote has already been sent."))
    token = secrets.token_urlsafe(24)
    quote.token_hash = _token_hash(token)
    quote.sent_at = utcnow()
    states.change_status(order, OrderStatus.QUOTED, actor, note=f"v{quote.version}")
    flushed(order)
    for recipient in _recipients(order):
        db.session.add(_quote_message(quote, token, recipient))
    db.session.flush()
    return token


def _recipients(order: Order) -> list[tuple[str, str]]:
    """(e-mail, locale) of the company's users; the company's own e-mail when it has none."""
    people = [(user.email, user.locale or "da") for user in members(order.customer)]
    return people or ([(order.customer.email, "da")] if order.customer.email else [])


def _quote_message(quote: Quote, token: str, recipient: tuple[str, str]) -> OutboxMessage:
    email, locale = recipient
    order = quote.order
    with force_locale(locale):
        values = {"number": order.number, "site": order.site.name, "url": quote_url(token),
                  "day": quote.valid_until.strftime("%d.%m.%Y")}
        subject = _("Your quote %(number)s from %(site)s", **values)
        body = _("Here is your quote. Open the link to read it and say yes: %(url)s "
                 "The link works until %(day)s.", **values)
    return OutboxMessage(site_id=order.site_id, kind="quote_sent", channel=MessageChannel.EMAIL,
                         recipient=email, subject=subject, body=body)


def latest_sent(order: Order) -> Quote | None:
    return db.session.scalar(select(Quote).where(Quote.order_id == order.id, Quote.sent_at.is_not(None))
                             .order_by(Quote.version.desc()).limit(1))


def is_expired(quote: Quote) -> bool:
    return quote.accepted_at is None and (quote.valid_until < local_today()
                                          or quote.order.status == OrderStatus.EXPIRED)


def quote_by_token(token: str) -> Quote:
    """The quote its link opens; NotFound for an unknown token, LinkProblem when replaced or expired."""
    if not token or len(token) > 100:
        raise NotFound(_l("No such quote."))
    quote = db.session.scalar(select(Quote).where(Quote.token_hash == _token_hash(token)))
    if quote is None:
        raise NotFound(_l("No such quote."))
    if latest_sent(quote.order).id != quote.id:
        raise LinkProblem(_l("This quote has been replaced by a newer one. Look for it in your e-mail."))
    if is_expired(quote):
        raise LinkProblem(_l("This quote has expired. Write to the workshop for a new one."), expired=True)
    return quote


def accept_quote(quote: Quote, name: str, user: User | None = None) -> Quote:
    """She says yes: who, when and this exact version are kept; the order is accepted."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise DomainError(_l("Write your name (at most %(count)d characters).", count=MAX_NAME), field="name")
    order = locked(quote.order)
    db.session.refresh(quote)
    if quote.accepted_at is not None or order.status == OrderStatus.ACCEPTED:
        raise DomainError(_l("This quote has already been accepted."))
    if order.status != OrderStatus.QUOTED or latest_sent(order) is not quote:
        raise DomainError(_l("This quote can no longer be accepted."))
    if is_expired(quote):
        raise DomainError(_l("This quote has expired."))
    quote.accepted_at, quote.accepted_by_name = utcnow(), name
    quote.accepted_by_id = user.id if user is not None else None
    order.accepted_quote_id, order.promised_date = quote.id, quote.promised_date
    states.change_status(order, OrderStatus.ACCEPTED, user, note=name)
    flushed(order)
    events.quote_accepted.send(order, quote=quote, actor=user)
    return quote


def expire_quotes() -> int:
    """Quoted orders whose latest quote's last valid day has passed become expired; returns how many."""
    today = local_today()
    count = 0
    for order in db.session.scalars(select(Order).where(Order.status == OrderStatus.QUOTED).with_for_update()):
        quote = latest_sent(order)
        if quote is not None and quote.valid_until < today:
            states.change_status(order, OrderStatus.EXPIRED, None, note=f"v{quote.version}")
            count += 1
    db.session.flush()
    return count


def quote_of(order: Order, quote_id: int) -> Quote:
    """One of the order's quotes (the caller has checked that she may see the order)."""
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.order_id != order.id:
        raise NotFound(_l("No such quote."))
    return quote
