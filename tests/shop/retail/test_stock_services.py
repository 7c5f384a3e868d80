"""Stock moves only by recorded movements; the cached level always equals their sum and never goes negative."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from production.models import ProductVariant, SourceKind, TaskStatus, WorkOrderStatus
from production.workorders import cancel_work_order, change_task_status, create_work_order, release_work_order
from shop.retail import stock
from shop.retail.models import ON_HAND_KINDS, RESERVATION_KINDS, MovementKind, StockLevel, StockMovement
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


def _sums(level: StockLevel) -> tuple[int, int]:
    """(on hand, reserved) derived from the movements alone."""
    def total(kinds):
        return db.session.scalar(select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.site_id == level.site_id, StockMovement.product_id == level.product_id,
            StockMovement.kind.in_(kinds)))
    return total(ON_HAND_KINDS), total(RESERVATION_KINDS)


def test_every_kind_of_movement_keeps_the_cached_level_equal_to_the_movements(make_site, make_user, retail_item):
    site, item = make_site(), retail_item()
    leader = make_user(Role.LEADER, site=site)
    stock.produce(site, item, 10)
    stock.reserve(site, item, 3, reference="cart:1")
    stock.release(site, item, 1, reference="cart:1")
    stock.sell(site, item, 2, reference="cart:1", from_reservation=True)
    stock.sell(site, item, 1, reference="receipt:1")
    stock.return_items(site, item, 1, reference="receipt:1")
    stock.adjust(site, item, -2, "Broken in the window", leader)
    level = stock.level_for(site, item)

    assert (level.on_hand, level.reserved) == (6, 0)
    assert _sums(level) == (level.on_hand, level.reserved)
    assert stock.available(site, item.product) == 6
    kinds = db.session.scalars(select(StockMovement.kind).order_by(StockMovement.id)).all()
    assert set(kinds) == set(MovementKind) - {MovementKind.MOVED_IN, MovementKind.MOVED_OUT}


def test_stock_never_goes_negative_and_reserved_items_cannot_be_sold_twice(make_site, retail_item):
    site, item = make_site(), retail_item()
    stock.produce(site, item, 2)
    stock.reserve(site, item, 1)

    with pytest.raises(DomainError) as refused:
        stock.sell(site, item, 2)
    assert "Ikke nok på lager" in str(refused.value.message)
    with pytest.raises(DomainError):
        stock.reserve(site, item, 2)
    with pytest.raises(DomainError):
        stock.release(site, item, 2)
    stock.sell(site, item, 1)
    level = stock.level_for(site, item)
    assert (level.on_hand, level.reserved, level.available) == (1, 1, 0)
    assert _sums(level) == (1, 1)


def test_selling_what_was_never_stocked_is_refused(make_site, retail_item):
    site, item = make_site(), retail_item()
    with pytest.raises(DomainError):
        stock.sell(site, item, 1)
    assert stock.available(site, item.product) == 0


def test_an_adjustment_needs_a_reason_and_a_leader_of_the_site(make_site, make_user, retail_item):
    site, item = make_site(), retail_item()
    leader, staff = make_user(Role.LEADER, site=site), make_user(Role.STAFF, site=site)
    other_leader = make_user(Role.LEADER, site=make_site())
    with pytest.raises(DomainError) as no_reason:
        stock.adjust(site, item, 5, "  ", leader)
    assert no_reason.value.field == "reason"
    for actor in (staff, other_leader):
        with pytest.raises(DomainError):
            stock.adjust(site, item, 5, "Counted", actor)
    with pytest.raises(DomainError):
        stock.adjust(site, item, -1, "Lost", leader)  # nothing to take away
    stock.adjust(site, item, 5, "Counted", leader)
    assert stock.level_for(site, item).on_hand == 5


def test_moving_between_sites_is_two_movements_in_one_go(make_site, make_user, retail_item):
    here, there, item = make_site(), make_site(), retail_item()
    leader = make_user(Role.LEADER, site=here)
    stock.produce(here, item, 4)

    out, into = stock.move_between_sites(here, there, item, 3, leader, "For the market")
    assert (out.kind, out.quantity, into.kind, into.quantity) == (MovementKind.MOVED_OUT, -3, MovementKind.MOVED_IN, 3)
    assert (stock.level_for(here, item).on_hand, stock.level_for(there, item).on_hand) == (1, 3)
    with pytest.raises(DomainError):
        stock.move_between_sites(here, there, item, 2, leader)
    with pytest.raises(DomainError):
        stock.move_between_sites(here, here, item, 1, leader)
    assert stock.level_for(there, item).on_hand == 3


def test_variants_are_kept_apart(make_site, retail_item):
    site, item = make_site(), retail_item()
    red, blue = ProductVariant(label="red"), ProductVariant(label="blue")
    item.product.variants.extend([red, blue])
    db.session.flush()
    stock.produce(site, stock.stock_item(item.product.id, red.id), 2)
    assert stock.available(site, item.product, red) == 2
    assert stock.available(site, item.product, blue) == 0
    with pytest.raises(DomainError):
        stock.stock_item(item.product.id)  # a product with variants needs one


def _finish(work_order, actor=None):
    for task in work_order.tasks:
        change_task_status(task, TaskStatus.DONE, actor)


def test_a_finished_restock_work_order_goes_on_the_shelf_once(make_site, retail_item):
    site, item = make_site(), retail_item()
    work_order = create_work_order(site, quantity=7, due_date=local_today(), source_kind=SourceKind.RESTOCK,
                                   source_label="Lager", product=item.product)
    release_work_order(work_order)
    _finish(work_order)
    assert work_order.status == WorkOrderStatus.DONE
    from production.signals import work_order_done
    work_order_done.send(work_order, actor=None)  # the news comes twice

    movement = db.session.scalars(select(StockMovement)).one()
    assert (movement.kind, movement.quantity, movement.work_order_id) == (MovementKind.PRODUCED, 7, work_order.id)
    assert movement.reference == f"work_order:{work_order.id}"
    assert stock.level_for(site, item).on_hand == 7


def test_other_work_orders_do_not_touch_the_stock(make_site, retail_item):
    site, item = make_site(), retail_item()
    work_order = create_work_order(site, quantity=3, due_date=local_today(), source_kind=SourceKind.INTERNAL,
                                   source_label="Test", product=item.product)
    release_work_order(work_order)
    _finish(work_order)
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0


def test_proposals_count_what_is_on_hand_and_what_is_in_production(make_site, make_user, retail_item):
    site, item, quiet = make_site(), retail_item(), retail_item()
    leader = make_user(Role.LEADER, site=site)
    stock.set_levels(site, item, 10, 25)
    stock.set_levels(site, quiet, 0, 0)
    stock.produce(site, item, 4)
    assert [(p.item.product.id, p.quantity) for p in stock.restock_proposals(site)] == [(item.product.id, 21)]

    work_order = stock.create_restock_work_order(site, item, leader)
    assert (work_order.quantity, work_order.source_kind, work_order.status) == (21, SourceKind.RESTOCK,
                                                                                WorkOrderStatus.RELEASED)
    assert work_order.due_date == local_today() + timedelta(days=14)
    assert stock.restock_proposals(site) == []  # 4 + 21 in production is not below 10
    with pytest.raises(DomainError):
        stock.create_restock_work_order(site, item, leader)

    cancel_work_order(work_order, leader)
    stock.sell(site, item, 1)
    assert [p.quantity for p in stock.restock_proposals(site)] == [22]


def test_levels_must_be_in_order(make_site, retail_item):
    site, item = make_site(), retail_item()
    with pytest.raises(DomainError):
        stock.set_levels(site, item, 5, 2)
    with pytest.raises(DomainError):
        stock.set_levels(site, item, -1, 2)
