"""The till in the workshop: a basket of the shelf's items, a sale with a payment method, the day's Z report.

Payments at the counter (cash, card terminal, MobilePay) are recorded, not processed. Sales and returns
go through `sales.py` like the webshop's; this module adds the basket, the day's figures and closing
the day. The basket lives in the browser's session as {item key: quantity}; prices and totals are
always worked out here, never taken from the page.
"""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.money import kroner
from workshop.models import Role, Site, User
from workshop.spreadsheet import spreadsheet_csv
from workshop.timeutil import LOCAL_ZONE, local_today

from ..orders.models import CatalogueItem
from . import sales, stock
from .models import Sale, SaleChannel, SalePaymentMethod, StockLevel, TillDay
from .sales import CartLine
from .stock import StockItem

#: The payment methods of the counter, in the order the till shows them.
COUNTER_METHODS = (SalePaymentMethod.CASH, SalePaymentMethod.CARD_TERMINAL, SalePaymentMethod.MOBILEPAY)
#: No basket holds more of one item than this.
MAX_BASKET_QUANTITY = 999


@dataclass(frozen=True)
class TillItem:
    """A button on the till: the item, its shelf price and how many can be sold now."""

    item: StockItem
    price_ore: int
    available: int
    #: Whether the product has a photo (the catalogue's, shown by the webshop's public photo route).
    has_photo: bool = False


@dataclass(frozen=True)
class BasketLine:
    item: StockItem
    quantity: int
    price_ore: int

    @property
    def total_ore(self) -> int:
        return self.quantity * self.price_ore


def till_items(site: Site) -> list[TillItem]:
    """Every retail item with its price, what the site's shelf has free and whether it has a photo."""
    levels = {(level.product_id, level.variant_id): level.available for level in
              db.session.scalars(select(StockLevel).where(StockLevel.site_id == site.id))}
    with_photo = set(db.session.scalars(select(CatalogueItem.product_id).where(CatalogueItem.photo != "")))
    return [TillItem(item, sales.shelf_price_ore(item.product), levels.get((item.product.id, item.variant_id), 0),
                     item.product.id in with_photo)
            for item in stock.stock_items()]


def changed_basket(basket: dict[str, int], key: str, quantity: int) -> dict[str, int]:
    """The basket with `quantity` of the item (0 takes it out); the key must name a retail item."""
    stock.item_from_key(key)
    if not 0 <= quantity <= MAX_BASKET_QUANTITY:
        raise DomainError(_l("Write a number from 0 to %(max)d.", max=MAX_BASKET_QUANTITY), field="quantity")
    changed = {**basket, key: quantity}
    return {item_key: count for item_key, count in changed.items() if count > 0}


def basket_lines(basket: dict[str, int]) -> list[BasketLine]:
    """The basket's lines at today's shelf prices; items no longer sold drop out."""
    lines = []
    for key, quantity in basket.items():
        try:
            item = stock.item_from_key(key)
        except DomainError:
            continue
        if isinstance(quantity, int) and 0 < quantity <= MAX_BASKET_QUANTITY:
            lines.append(BasketLine(item, quantity, sales.shelf_price_ore(item.product)))
    return lines


def sell(site: Site, basket: dict[str, int], method: SalePaymentMethod, actor: User,
         request_key: str | None = None) -> Sale:
    """Sell the basket over the counter: one receipt, the items off the shelf. The sell form's
    `request_key` makes a second send of the same form (a double tap, a lost answer) find the first receipt."""
    if method not in COUNTER_METHODS:
        raise DomainError(_l("Choose how the customer pays."), field="payment_method")
    lines = [CartLine(line.item, line.quantity) for line in basket_lines(basket)]
    return sales.record_sale(site, lines, channel=SaleChannel.TILL, payment_method=method, actor=actor,
                             request_key=request_key)


# --- The day's figures (Z report) ---------------------------------------------------------------


@dataclass
class DaySummary:
    """The till's figures for one day at one site, in øre including VAT (returns are negative)."""

    day: date
    receipts: int = 0
    returns: int = 0
    sales_ore: int = 0
    returns_ore: int = 0
    vat_ore: int = 0
    by_method: dict[SalePaymentMethod, int] = field(default_factory=dict)

    @property
    def total_ore(self) -> int:
        return self.sales_ore + self.returns_ore

    @property
    def cash_ore(self) -> int:
        return self.by_method.get(SalePaymentMethod.CASH, 0)


def _utc_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day as naive UTC moments, as the database stores them."""
    start = datetime.combine(day, time(0), LOCAL_ZONE)
    end = datetime.combine(day + timedelta(days=1), time(0), LOCAL_ZONE)
    return tuple(moment.astimezone(timezone.utc).replace(tzinfo=None) for moment in (start, end))


def day_summary(site: Site, day: date) -> DaySummary:
    """Receipts, returns, VAT and the money per payment method of the till's day (one grouped query)."""
    start, end = _utc_bounds(day)
    rows = db.session.execute(
        select(Sale.payment_method, Sale.returns_sale_id.is_not(None), func.count(Sale.id), func.sum(Sale.total_ore),
               func.sum(Sale.vat_ore))
        .where(Sale.site_id == site.id, Sale.channel == SaleChannel.TILL, Sale.at >= start, Sale.at < end)
        .group_by(Sale.payment_method, Sale.returns_sale_id.is_not(None))).all()
    summary = DaySummary(day)
    for method, is_return, count, total, vat in rows:
        if is_return:
            summary.returns += count
            summary.returns_ore += total
        else:
            summary.receipts += count
            summary.sales_ore += total
        summary.vat_ore += vat
        summary.by_method[method] = summary.by_method.get(method, 0) + total
    return summary


def closed_day(site: Site, day: date) -> TillDay | None:
    return db.session.scalar(select(TillDay).where(TillDay.site_id == site.id, TillDay.day == day))


def close_day(site: Site, counted_cash_ore: int, float_ore: int, actor: User, day: date | None = None) -> TillDay:
    """Close a day at the till (today, or an earlier day someone forgot): its figures frozen with the
    counted cash. A closed day takes no more sales or returns, and cannot be closed again."""
    if actor.role != Role.LEADER:
        raise DomainError(_l("Only the workshop's leader may close a day at the till."))
    day = day or local_today()
    if counted_cash_ore < 0 or float_ore < 0:
        raise DomainError(_l("Write an amount of 0 kr. or more."), field="counted_cash")
    if day > local_today():
        raise DomainError(_l("A day can be closed on the day or later."))
    if closed_day(site, day) is not None:
        raise DomainError(_l("Today is closed at the till. Sales and returns go on the next day."))
    summary = day_summary(site, day)
    expected = float_ore + summary.cash_ore
    till_day = TillDay(site_id=site.id, day=day, closed_by_id=actor.id, float_ore=float_ore,
                       counted_cash_ore=counted_cash_ore, expected_cash_ore=expected,
                       difference_ore=counted_cash_ore - expected, figures=json.dumps(_frozen(summary)))
    db.session.add(till_day)
    db.session.flush()
    return till_day


def _frozen(summary: DaySummary) -> dict:
    return {"receipts": summary.receipts, "returns": summary.returns, "sales_ore": summary.sales_ore,
            "returns_ore": summary.returns_ore, "vat_ore": summary.vat_ore,
            "by_method": {method.value: total for method, total in summary.by_method.items()}}


def frozen_summary(till_day: TillDay) -> DaySummary:
    """A closed day's figures as they were when it was closed."""
    figures = json.loads(till_day.figures)
    return DaySummary(till_day.day, figures["receipts"], figures["returns"], figures["sales_ore"],
                      figures["returns_ore"], figures["vat_ore"],
                      {SalePaymentMethod(method): total for method, total in figures["by_method"].items()})


def closed_days(site: Site, limit: int = 400) -> list[TillDay]:
    return db.session.scalars(select(TillDay).where(TillDay.site_id == site.id)
                              .order_by(TillDay.day.desc()).limit(limit)).all()


def days_csv(site: Site) -> str:
    """The closed days for the bookkeeper: semicolon, decimal comma, with a byte order mark."""
    header = ["dato", "kvitteringer", "returneringer", "salg_kr", "retur_kr", "i_alt_kr", "heraf_moms_kr",
              "kontant_kr", "kortterminal_kr", "mobilepay_kr", "byttepenge_kr", "optalt_kr", "forventet_kr",
              "difference_kr"]
    rows = []
    for till_day in reversed(closed_days(site)):
        summary = frozen_summary(till_day)
        amounts = [summary.sales_ore, summary.returns_ore, summary.total_ore, summary.vat_ore,
                   *(summary.by_method.get(method, 0) for method in COUNTER_METHODS), till_day.float_ore,
                   till_day.counted_cash_ore, till_day.expected_cash_ore, till_day.difference_ore]
        rows.append([till_day.day.isoformat(), summary.receipts, summary.returns,
                     *(kroner(amount) for amount in amounts)])
    return spreadsheet_csv(header, rows)
