"""Retail sales: one receipt per sale or return, numbered without gaps per site, stock taken with it.

The webshop and the till both record their sales here, so revenue, VAT and the batch each item came
from are written one way. A line remembers its batch (the restock work order, first made first sold),
which lets the impact view put retail revenue beside the hours that made the items.
Services flush, never commit: the view commits once.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from production.models import Product
from workshop.dblocks import hold_sqlite_write_lock, locked_site_counter, next_site_number
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import local_today

from . import stock
from .models import (
    MovementKind,
    Sale,
    SaleChannel,
    SaleCounter,
    SaleLine,
    SalePaymentMethod,
    StockMovement,
    TillDay,
)
from .stock import StockItem

#: Danish VAT on retail sales; shelf prices include it.
RETAIL_VAT_PERCENT = 25
#: No receipt holds more lines than this (a typing slip, not a real sale).
MAX_LINES = 100


@dataclass(frozen=True)
class CartLine:
    """What the buyer takes: an item and how many."""

    item: StockItem
    quantity: int


def shelf_price_ore(product: Product) -> int:
    """The price of one item including VAT: the list price plus 25 % VAT, half up to whole øre."""
    return product.unit_price_ore + (product.unit_price_ore * RETAIL_VAT_PERCENT + 50) // 100


def vat_in_ore(total_incl_vat_ore: int) -> int:
    """The VAT inside an amount that includes 25 % VAT (a fifth of it), half away from zero."""
    sign = -1 if total_incl_vat_ore < 0 else 1
    return sign * ((abs(total_incl_vat_ore) * RETAIL_VAT_PERCENT * 2 + (100 + RETAIL_VAT_PERCENT)) //
                   ((100 + RETAIL_VAT_PERCENT) * 2))


def _next_number(site_id: int) -> int:
    """The site's next receipt number, taken under the counter's row lock (released at commit)."""
    return next_site_number(SaleCounter, site_id)


def _batches_left(site: Site, item: StockItem) -> list[tuple[int, int]]:
    """(work order id, items of it not yet sold) for the item's batches at the site, oldest first."""
    produced = db.session.execute(
        select(StockMovement.work_order_id, StockMovement.quantity)
        .where(StockMovement.site_id == site.id, StockMovement.product_id == item.product.id,
               StockMovement.kind == MovementKind.PRODUCED, StockMovement.work_order_id.is_not(None),
               StockMovement.variant_id.is_(None) if item.variant_id is None
               else StockMovement.variant_id == item.variant_id)
        .order_by(StockMovement.at, StockMovement.id)).all()
    if not produced:
        return []
    sold = dict(db.session.execute(
        select(SaleLine.work_order_id, func.sum(SaleLine.quantity))
        .join(Sale).where(Sale.site_id == site.id, SaleLine.work_order_id.in_([row[0] for row in produced]))
        .group_by(SaleLine.work_order_id)).all())
    return [(work_order_id, made - (sold.get(work_order_id) or 0)) for work_order_id, made in produced
            if made - (sold.get(work_order_id) or 0) > 0]


def _split_by_batch(site: Site, line: CartLine) -> list[tuple[int | None, int]]:
    """The line's quantity spread over the oldest batches first; what no batch covers has none."""
    parts, wanted = [], line.quantity
    for work_order_id, left in _batches_left(site, line.item):
        if wanted == 0:
            break
        taken = min(left, wanted)
        parts.append((work_order_id, taken))
        wanted -= taken
    if wanted:
        parts.append((None, wanted))
    return parts


def _check_lines(lines: list[CartLine]) -> None:
    if not lines:
        raise DomainError(_l("Add at least one item."))
    if len(lines) > MAX_LINES:
        raise DomainError(_l("A receipt can hold at most %(count)d lines.", count=MAX_LINES))
    if any(line.quantity <= 0 for line in lines):
        raise DomainError(_l("Write a number from 1 to %(max)d.", max=stock.MAX_QUANTITY), field="quantity")


def refuse_closed_till_day(site: Site) -> None:
    """The till's day is closed (its Z report is final): no more sales or returns at the counter today."""
    if db.session.scalar(select(TillDay.id).where(TillDay.site_id == site.id, TillDay.day == local_today())):
        raise DomainError(_l("Today is closed at the till. Sales and returns go on the next day."))


def _new_sale(site: Site, channel: SaleChannel, method: SalePaymentMethod, actor: User | None,
              reference: str, returns: Sale | None = None, reason: str = "") -> Sale:
    if channel == SaleChannel.TILL:
        refuse_closed_till_day(site)
    sale = Sale(site_id=site.id, number=_next_number(site.id), channel=channel, payment_method=method,
                total_ore=0, vat_ore=0, returns_sale_id=returns.id if returns else None, reason=reason[:300],
                reference=reference[:80], actor_id=actor.id if actor else None)
    db.session.add(sale)
    return sale


def _add_line(sale: Sale, item: StockItem, quantity: int, unit_price_ore: int, work_order_id: int | None,
              returns_line: SaleLine | None = None) -> None:
    total = quantity * unit_price_ore
    sale.lines.append(SaleLine(product_id=item.product.id, variant_id=item.variant_id, quantity=quantity,
                               unit_price_ore=unit_price_ore, total_ore=total, vat_ore=vat_in_ore(total),
                               work_order_id=work_order_id,
                               returns_line_id=returns_line.id if returns_line else None))
    sale.total_ore += total
    sale.vat_ore += vat_in_ore(total)


def record_sale(site: Site, lines: list[CartLine], *, channel: SaleChannel, payment_method: SalePaymentMethod,
                actor: User | None = None, reference: str = "", from_reservation: bool = False,
                request_key: str | None = None) -> Sale:
    """Sell the lines at the site's shelf prices: one numbered receipt, the stock taken off the shelf.

    `from_reservation` takes items a web buyer had reserved (their reservation is released as they
    are sold). Refuses the whole sale, writing nothing, when any item is not in stock. A `request_key`
    already used at the site (a form sent again after a lost answer) gives that sale back, unchanged.
    """
    earlier = _sale_for_request(site, request_key)
    if earlier is not None:
        return earlier
    _check_lines(lines)
    sale = _new_sale(site, channel, payment_method, actor, reference)
    sale.request_key = request_key or None
    db.session.flush()
    receipt = f"receipt:{sale.number}"
    for line in lines:
        price = shelf_price_ore(line.item.product)
        for work_order_id, quantity in _split_by_batch(site, line):
            stock.sell(site, line.item, quantity, reference=receipt, actor=actor,
                       from_reservation=from_reservation, work_order_id=work_order_id)
            _add_line(sale, line.item, quantity, price, work_order_id)
    db.session.flush()
    return sale


def _sale_for_request(site: Site, request_key: str | None) -> Sale | None:
    """The receipt an earlier send of the same form made. Looked up under the site's receipt counter's
    lock, so a second send at the same moment waits for the first and then finds its receipt."""
    if not request_key:
        return None
    hold_sqlite_write_lock()
    locked_site_counter(SaleCounter, site.id)
    return db.session.scalar(select(Sale).where(Sale.site_id == site.id, Sale.request_key == request_key))


def returnable_quantity(line: SaleLine) -> int:
    """How many of a sold line's items can still come back (earlier returns count)."""
    returned = db.session.scalar(select(func.coalesce(func.sum(SaleLine.quantity), 0))
                                 .where(SaleLine.returns_line_id == line.id))
    return line.quantity + returned


def record_return(original: Sale, quantities: dict[int, int], *, payment_method: SalePaymentMethod,
                  actor: User | None, reason: str, request_key: str | None = None) -> Sale:
    """Items come back against a receipt: a new receipt with negative lines, the items on the shelf again.

    `quantities` maps a line id of the original receipt to how many of its items come back. A
    `request_key` already used (the same form sent again) gives that return back, unchanged.
    """
    earlier = _sale_for_request(original.site, request_key)
    if earlier is not None:
        return earlier
    if original.is_return:
        raise DomainError(_l("Choose the sales receipt, not a return."))
    if not (reason or "").strip():
        raise DomainError(_l("Write why the items come back."), field="reason")
    wanted = {line_id: count for line_id, count in quantities.items() if count}
    lines = {line.id: line for line in original.lines}
    if not wanted:
        raise DomainError(_l("Choose at least one item to return."))
    for line_id, count in wanted.items():
        if line_id not in lines:
            raise NotFound(_l("That line is not on this receipt."))
        if not 0 < count <= returnable_quantity(lines[line_id]):
            raise DomainError(_l("Only %(count)d of these can come back.",
                                 count=returnable_quantity(lines[line_id])), field="quantity")
    sale = _new_sale(original.site, original.channel, payment_method, actor, f"return:{original.number}",
                     returns=original, reason=reason.strip())
    sale.request_key = request_key or None
    db.session.flush()
    for line_id, count in wanted.items():
        line = lines[line_id]
        item = StockItem(line.product, line.variant)
        stock.return_items(original.site, item, count, reference=f"receipt:{sale.number}", reason=reason.strip(),
                           actor=actor)
        _add_line(sale, item, -count, line.unit_price_ore, line.work_order_id, returns_line=line)
    db.session.flush()
    return sale


def site_sale(site_id: int, number: int) -> Sale:
    """A receipt of the site by its number, or NotFound."""
    sale = db.session.scalar(select(Sale).where(Sale.site_id == site_id, Sale.number == number))
    if sale is None:
        raise NotFound(_l("There is no receipt with that number."))
    return sale
