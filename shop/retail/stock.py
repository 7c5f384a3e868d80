"""Stock of finished goods: every change is a movement, recorded with the cached level in one transaction.

All movements go through `_move`, which locks the level row (SELECT ... FOR UPDATE on PostgreSQL) and
changes it with a conditional UPDATE that refuses to take more than is available, so stock never goes
negative even when several buyers take the last items at once. Services flush, never commit.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from production.models import Product, ProductVariant, SourceKind, WorkOrder, WorkOrderStatus
from production.workorders import create_work_order, release_work_order
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.fragments import forget_fragment
from workshop.models import Role, Site, User
from workshop.timeutil import local_today

from .models import ON_HAND_KINDS, MovementKind, StockLevel, StockMovement

#: A restock work order is due this many days after the leader creates it.
RESTOCK_DUE_DAYS = 14
#: No single movement or level is larger than this (a typing slip, not a real stock).
MAX_QUANTITY = 100_000
#: Work orders still to be finished: what they make counts as coming stock.
UNFINISHED = (WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS)


@dataclass(frozen=True)
class StockItem:
    """A product, or one variant of it, that is kept in stock."""

    product: Product
    variant: ProductVariant | None = None

    @property
    def key(self) -> str:
        return f"{self.product.id}-{self.variant.id}" if self.variant else str(self.product.id)

    @property
    def variant_id(self) -> int | None:
        return self.variant.id if self.variant else None


#: The webshop's product list shows each site's stock; kept rendered a few seconds (workshop/fragments.py),
#: forgotten whenever a level changes.
PRODUCT_LIST_FRAGMENT = "webshop-products"


def stock_items() -> list[StockItem]:
    """Every active product sold in retail, one item per variant where it has variants."""
    products = db.session.scalars(select(Product).where(Product.sold_in_retail.is_(True), Product.active.is_(True))
                                  .order_by(Product.name_da)).all()
    return [StockItem(product, variant) for product in products for variant in (product.variants or [None])]


def stock_item(product_id: int, variant_id: int | None = None) -> StockItem:
    """The stock item for these ids, or NotFound (not a retail product, or a variant of another product)."""
    product = db.session.get(Product, product_id)
    if product is None or not product.sold_in_retail:
        raise NotFound(_l("This product is not sold in the shop."))
    variant = db.session.get(ProductVariant, variant_id) if variant_id is not None else None
    if variant_id is not None and (variant is None or variant.product_id != product.id):
        raise NotFound(_l("This product is not sold in the shop."))
    if variant is None and product.variants:
        raise DomainError(_l("Choose the size or colour."), field="item")
    return StockItem(product, variant)


def item_from_key(key: str | None) -> StockItem:
    """'12' or '12-5' (product, variant) as sent by a form."""
    parts = (key or "").strip().split("-")
    if not 1 <= len(parts) <= 2 or not all(part.isascii() and part.isdigit() and len(part) < 10 for part in parts):
        raise DomainError(_l("Choose a product."), field="item")
    return stock_item(int(parts[0]), int(parts[1]) if len(parts) == 2 else None)


# --- Levels -----------------------------------------------------------------------------------


def level_for(site: Site, item: StockItem) -> StockLevel | None:
    return db.session.scalar(_level_query(site.id, item.product.id, item.variant_id))


def _level_query(site_id: int, product_id: int, variant_id: int | None):
    query = select(StockLevel).where(StockLevel.site_id == site_id, StockLevel.product_id == product_id)
    return query.where(StockLevel.variant_id.is_(None) if variant_id is None else StockLevel.variant_id == variant_id)


def _locked_level(site_id: int, product_id: int, variant_id: int | None) -> StockLevel:
    """The level row, created if missing (another transaction may create it at the same moment), locked."""
    query = _level_query(site_id, product_id, variant_id).with_for_update()
    level = db.session.scalar(query)
    if level is not None:
        return level
    try:
        with db.session.begin_nested():
            db.session.add(StockLevel(site_id=site_id, product_id=product_id, variant_id=variant_id,
                                      on_hand=0, reserved=0, min_level=0, target_level=0))
    except IntegrityError:
        pass  # the other transaction created it first; take its row
    return db.session.scalar(query)


def available(site: Site, product: Product, variant: ProductVariant | None = None) -> int:
    """What can still be sold or reserved: on hand minus what is promised to buyers."""
    level = db.session.scalar(_level_query(site.id, product.id, variant.id if variant else None))
    return level.available if level else 0


def set_levels(site: Site, item: StockItem, min_level: int, target_level: int) -> StockLevel:
    """The leader's minimum and target for one item at her site."""
    if not 0 <= min_level <= MAX_QUANTITY:
        raise DomainError(_l("The minimum must be between 0 and %(max)d.", max=MAX_QUANTITY), field="min_level")
    if not min_level <= target_level <= MAX_QUANTITY:
        raise DomainError(_l("The target must be at least the minimum (and at most %(max)d).", max=MAX_QUANTITY),
                          field="target_level")
    level = _locked_level(site.id, item.product.id, item.variant_id)
    level.min_level, level.target_level = min_level, target_level
    db.session.flush()
    return level


# --- Movements --------------------------------------------------------------------------------


def _move(site: Site, item: StockItem, kind: MovementKind, quantity: int, *, actor: User | None = None,
          reason: str = "", reference: str = "", work_order_id: int | None = None) -> StockMovement:
    """Record one movement and change the cached level with it, never below zero (or below what is reserved)."""
    if quantity == 0 or abs(quantity) > MAX_QUANTITY:
        raise DomainError(_l("Write a number from 1 to %(max)d.", max=MAX_QUANTITY), field="quantity")
    level = _locked_level(site.id, item.product.id, item.variant_id)
    on_hand_change = quantity if kind in ON_HAND_KINDS else 0
    reserved_change = 0 if kind in ON_HAND_KINDS else quantity
    changed = db.session.execute(
        update(StockLevel)
        .where(StockLevel.id == level.id,
               StockLevel.on_hand + on_hand_change >= StockLevel.reserved + reserved_change,
               StockLevel.reserved + reserved_change >= 0)
        .values(on_hand=StockLevel.on_hand + on_hand_change, reserved=StockLevel.reserved + reserved_change)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(level)
    if changed != 1:
        if kind == MovementKind.RELEASED:
            raise DomainError(_l("That many items are not reserved."), field="quantity")
        raise DomainError(_l("Not enough in stock: only %(count)d left of %(item)s.", count=level.available,
                             item=item.product.name_da), field="quantity")
    movement = StockMovement(site_id=site.id, product_id=item.product.id, variant_id=item.variant_id, kind=kind,
                             quantity=quantity, reason=reason[:300], reference=reference[:80],
                             work_order_id=work_order_id, actor_id=actor.id if actor else None)
    db.session.add(movement)
    db.session.flush()
    forget_fragment(PRODUCT_LIST_FRAGMENT)
    return movement


def produce(site: Site, item: StockItem, quantity: int, *, work_order_id: int | None = None,
            actor: User | None = None) -> StockMovement:
    return _move(site, item, MovementKind.PRODUCED, abs(quantity), actor=actor, work_order_id=work_order_id,
                 reference=f"work_order:{work_order_id}" if work_order_id else "")


def sell(site: Site, item: StockItem, quantity: int, *, reference: str = "", actor: User | None = None,
         from_reservation: bool = False, work_order_id: int | None = None) -> StockMovement:
    """Take sold items off the shelf; `from_reservation` first releases what the buyer had reserved."""
    if from_reservation:
        release(site, item, quantity, reference=reference, actor=actor)
    return _move(site, item, MovementKind.SOLD, -abs(quantity), actor=actor, reference=reference,
                 work_order_id=work_order_id)


def reserve(site: Site, item: StockItem, quantity: int, *, reference: str = "",
            actor: User | None = None) -> StockMovement:
    return _move(site, item, MovementKind.RESERVED, abs(quantity), actor=actor, reference=reference)


def release(site: Site, item: StockItem, quantity: int, *, reference: str = "",
            actor: User | None = None) -> StockMovement:
    return _move(site, item, MovementKind.RELEASED, -abs(quantity), actor=actor, reference=reference)


def return_items(site: Site, item: StockItem, quantity: int, *, reference: str = "", reason: str = "",
                 actor: User | None = None) -> StockMovement:
    """A buyer brought items back; they go on the shelf again."""
    return _move(site, item, MovementKind.RETURNED, abs(quantity), actor=actor, reference=reference, reason=reason)


def adjust(site: Site, item: StockItem, quantity: int, reason: str, actor: User) -> StockMovement:
    """A leader corrects the count (+ found, - broken or lost); she always says why."""
    if actor.role != Role.LEADER or actor.site_id != site.id:
        raise DomainError(_l("Only the workshop's leader may adjust the stock."))
    if not (reason or "").strip():
        raise DomainError(_l("Write why the stock is adjusted."), field="reason")
    return _move(site, item, MovementKind.ADJUSTED, quantity, actor=actor, reason=reason.strip())


def move_between_sites(from_site: Site, to_site: Site, item: StockItem, quantity: int, actor: User,
                       reason: str = "") -> tuple[StockMovement, StockMovement]:
    """Items leave one site and arrive at another: two movements, one transaction."""
    if actor.role != Role.LEADER or actor.site_id != from_site.id:
        raise DomainError(_l("Only the workshop's leader may move its stock."))
    if from_site.id == to_site.id:
        raise DomainError(_l("Choose another workshop to move the items to."), field="to_site_id")
    for site_id in sorted((from_site.id, to_site.id)):  # the same lock order everywhere: no deadlock
        _locked_level(site_id, item.product.id, item.variant_id)
    reference = f"move:{from_site.slug}->{to_site.slug}"
    out = _move(from_site, item, MovementKind.MOVED_OUT, -abs(quantity), actor=actor, reason=reason.strip(),
                reference=reference)
    into = _move(to_site, item, MovementKind.MOVED_IN, abs(quantity), actor=actor, reason=reason.strip(),
                 reference=reference)
    return out, into


def on_work_order_done(work_order: WorkOrder, actor: User | None = None, **_extra) -> None:
    """Production says a work order is done: a restock batch goes on its site's shelf, exactly once."""
    if work_order.source_kind != SourceKind.RESTOCK or work_order.product is None:
        return
    already = db.session.scalar(select(StockMovement.id).where(StockMovement.kind == MovementKind.PRODUCED,
                                                               StockMovement.work_order_id == work_order.id))
    if already is not None:
        return
    site = db.session.get(Site, work_order.site_id)
    produce(site, StockItem(work_order.product, work_order.variant), work_order.quantity,
            work_order_id=work_order.id, actor=actor)


def movements(level: StockLevel, limit: int = 200) -> list[StockMovement]:
    return db.session.scalars(
        select(StockMovement).where(StockMovement.site_id == level.site_id,
                                    StockMovement.product_id == level.product_id,
                                    StockMovement.variant_id.is_(None) if level.variant_id is None
                                    else StockMovement.variant_id == level.variant_id)
        .order_by(StockMovement.at.desc(), StockMovement.id.desc()).limit(limit)).all()


def site_level(site: Site, level_id: int) -> StockLevel:
    level = db.session.get(StockLevel, level_id)
    if level is None or level.site_id != site.id:
        raise NotFound(_l("No such stock item at this workshop."))
    return level


# --- Restocking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestockProposal:
    item: StockItem
    level: StockLevel
    in_production: int
    quantity: int


def in_production(site: Site, item: StockItem) -> int:
    """Units of this item in the site's unfinished restock work orders."""
    query = select(func.coalesce(func.sum(WorkOrder.quantity), 0)).where(
        WorkOrder.site_id == site.id, WorkOrder.product_id == item.product.id,
        WorkOrder.source_kind == SourceKind.RESTOCK, WorkOrder.status.in_(UNFINISHED))
    query = query.where(WorkOrder.variant_id.is_(None) if item.variant is None
                        else WorkOrder.variant_id == item.variant.id)
    return db.session.scalar(query)


def restock_proposal(site: Site, item: StockItem) -> RestockProposal | None:
    """Propose up to the target when on hand plus what is coming is below the minimum."""
    level = level_for(site, item)
    if level is None or level.min_level == 0:
        return None
    coming = in_production(site, item)
    if level.on_hand + coming >= level.min_level:
        return None
    return RestockProposal(item, level, coming, level.target_level - level.on_hand - coming)


def restock_proposals(site: Site) -> list[RestockProposal]:
    proposals = (restock_proposal(site, item) for item in stock_items())
    return [proposal for proposal in proposals if proposal is not None]


def create_restock_work_order(site: Site, item: StockItem, actor: User) -> WorkOrder:
    """The proposal, as a released work order due in RESTOCK_DUE_DAYS; refused if nothing is proposed."""
    proposal = restock_proposal(site, item)
    if proposal is None:
        raise DomainError(_l("There is enough of this in stock and in production."))
    label = item.product.name_da + (f" ({item.variant.label})" if item.variant else "")
    work_order = create_work_order(
        site, quantity=proposal.quantity, due_date=local_today() + timedelta(days=RESTOCK_DUE_DAYS),
        source_kind=SourceKind.RESTOCK, source_id=proposal.level.id, source_label=f"Lager · {label}"[:200],
        product=item.product, variant=item.variant, actor=actor)
    release_work_order(work_order, actor)
    return work_order
