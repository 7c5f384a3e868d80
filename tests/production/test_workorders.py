from datetime import date, timedelta

import pytest

from production import workorders
from production.models import SourceKind, TaskStatus, WorkOrderStatus
from production.signals import work_order_done
from production.workorders import (
    UNFINISHED_WORK_ORDER,
    OperationStep,
    board_columns,
    change_task_status,
    create_work_order,
    release_work_order,
    site_work_orders,
    split_into_batches,
)
from workshop.errors import DomainError

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment

DUE = date(2026, 12, 15)


def _order(site, product, quantity):
    return create_work_order(site, quantity=quantity, due_date=DUE, source_kind=SourceKind.ORDER_LINE,
                             source_label="Ordre 2026-0042 · gaveposer", source_id=42, product=product)


def test_batches_fit_a_work_session():
    step = OperationStep(operation=None, seconds_per_unit=180)
    batches = split_into_batches(100, step, 120)
    assert [len(batch) for batch in batches] == [40, 40, 20]
    assert split_into_batches(3, OperationStep(None, 3 * 3600), 120) == [range(0, 1), range(1, 2), range(2, 3)]


def test_the_first_batch_makes_room_for_the_set_up():
    step = OperationStep(operation=None, seconds_per_unit=180, setup_minutes=30)
    batches = split_into_batches(100, step, 120)
    assert [len(batch) for batch in batches] == [30, 40, 30]  # 30 x 3 + 30 set-up = 120
    assert batches[0].start == 0 and batches[-1].stop == 100
    # A set-up longer than the limit still leaves one unit in the first batch.
    assert [len(batch) for batch in split_into_batches(20, OperationStep(None, 600, 150), 120)] == [1, 12, 7]
    # Small quantities: one batch.
    assert split_into_batches(1, step, 120) == [range(0, 1)]


def test_the_batch_limit_comes_from_the_config(app, make_site, make_product):
    app.config["PRODUCTION_MAX_BATCH_MINUTES"] = 60
    try:
        tasks = release_work_order(_order(make_site(), make_product(steps=((60, 0),)), 100))
    finally:
        app.config["PRODUCTION_MAX_BATCH_MINUTES"] = 120
    assert [task.quantity for task in tasks] == [60, 40]


def test_release_splits_into_batches_with_routing_dependencies(make_site, make_product):
    site = make_site()
    product = make_product(steps=((60, 15), (180, 0)))  # cut 1 min/unit (+15 set-up), sew 3 min/unit
    work_order = _order(site, product, 200)
    tasks = release_work_order(work_order)
    cuts = [task for task in tasks if task.sequence == 1]
    sews = [task for task in tasks if task.sequence == 2]
    # The first cut batch carries the 15 set-up minutes, so it holds 105 units: 105 + 15 = 120.
    assert [task.quantity for task in cuts] == [105, 95]
    assert cuts[0].standard_minutes == 105 + 15 and cuts[1].standard_minutes == 95
    assert all(task.standard_minutes <= 120 for task in tasks)
    assert [task.quantity for task in sews] == [40, 40, 40, 40, 40]
    assert sews[0].requires == [cuts[0]]
    assert set(sews[2].requires) == {cuts[0], cuts[1]} and sews[3].requires == [cuts[1]]
    assert work_order.status == WorkOrderStatus.RELEASED
    assert sum(task.quantity for task in sews) == 200


def test_a_task_waits_for_the_step_before_it(make_site, make_product):
    tasks = release_work_order(_order(make_site(), make_product(), 10))
    with pytest.raises(DomainError):
        change_task_status(tasks[1], TaskStatus.IN_PROGRESS)


def test_last_task_done_finishes_the_work_order_and_sends_the_signal(make_site, make_product):
    work_order = _order(make_site(), make_product(), 10)
    tasks = release_work_order(work_order)
    received = []
    with work_order_done.connected_to(lambda sender, actor: received.append(sender)):
        for task in tasks:
            change_task_status(task, TaskStatus.IN_PROGRESS)
            change_task_status(task, TaskStatus.DONE)
    assert work_order.status == WorkOrderStatus.DONE and work_order.done_at is not None
    assert received == [work_order]
    assert [change.to_status for change in work_order.history] == ["draft", "released", "in_progress", "done"]
    assert [change.to_status for change in tasks[0].history] == ["open", "in_progress", "done"]


def test_a_done_task_cannot_be_reopened(make_site, make_product):
    task = release_work_order(_order(make_site(), make_product(steps=((60, 0),)), 5))[0]
    change_task_status(task, TaskStatus.DONE)
    with pytest.raises(DomainError):
        change_task_status(task, TaskStatus.OPEN)


def test_a_repair_brings_its_own_steps(make_site, make_operation):
    site = make_site()
    work_order = create_work_order(site, quantity=1, due_date=DUE, source_kind=SourceKind.REPAIR_TICKET,
                                   source_label="Reparation G-0142", source_id=7)
    hem, zip_ = make_operation(), make_operation()
    tasks = release_work_order(work_order, steps=[OperationStep(hem, 25 * 60), OperationStep(zip_, 45 * 60)])
    assert [(task.operation, task.standard_minutes) for task in tasks] == [(hem, 25), (zip_, 45)]
    assert tasks[1].requires == [tasks[0]]


def test_zero_quantity_is_refused(make_site, make_product):
    with pytest.raises(DomainError):
        _order(make_site(), make_product(), 0)


# --- The task board ---------------------------------------------------------------


def test_unfinished_work_orders_are_all_but_done_and_cancelled(make_site, make_product):
    assert set(UNFINISHED_WORK_ORDER) == set(WorkOrderStatus) - {WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED}
    site, product = make_site(), make_product(steps=((60, 0),))
    draft, released = _order(site, product, 1), _order(site, product, 1)
    release_work_order(released)
    done = _order(site, product, 1)
    change_task_status(release_work_order(done)[0], TaskStatus.DONE)
    assert site_work_orders(site, include_finished=False) == [draft, released]


@pytest.fixture
def small_board(monkeypatch, make_site, make_product):
    """A site with five open one-step tasks due a day apart (the first due first) and three done ones;
    columns cut at 2 cards, opened columns paged by 2, counts kept exact up to 3."""
    monkeypatch.setattr(workorders, "BOARD_COLUMN_LIMIT", 2)
    monkeypatch.setattr(workorders, "BOARD_PAGE_SIZE", 2)
    monkeypatch.setattr(workorders, "BOARD_COUNT_LIMIT", 3)
    site, product = make_site(), make_product(steps=((60, 0),))
    tasks = []
    for day in (4, 1, 3, 0, 2, 5, 6, 7):  # created out of due order
        order = create_work_order(site, quantity=1, due_date=DUE + timedelta(days=day),
                                  source_kind=SourceKind.ORDER_LINE, source_label=f"Ordre {day}", source_id=day,
                                  product=product)
        tasks.append(release_work_order(order)[0])
    done = tasks[5:]
    for task in done:
        change_task_status(task, TaskStatus.DONE)
    opened = sorted(tasks[:5], key=lambda task: task.due_date)
    return site, opened, done


def _column(columns, status):
    return next(column for column in columns if column.status == status)


def test_each_column_shows_its_first_cards_in_board_order_and_counts_all(small_board):
    site, opened, done = small_board
    columns = board_columns(site)
    assert [column.status for column in columns] == list(workorders.BOARD_COLUMNS)
    open_column = _column(columns, TaskStatus.OPEN)
    assert open_column.tasks == opened[:2] and open_column.has_next and not open_column.complete
    assert open_column.total == 3 + 1 and open_column.over_limit  # five, counted no further than the limit + 1
    done_column = _column(columns, TaskStatus.DONE)
    assert done_column.tasks == [done[2], done[1]]  # the latest done first
    assert done_column.total == 3 and not done_column.over_limit and done_column.has_next
    planned = _column(columns, TaskStatus.PLANNED)
    assert planned.tasks == [] and planned.total == 0 and planned.complete


def test_an_opened_column_pages_through_all_its_cards(small_board):
    site, opened, done = small_board
    pages = [_column(board_columns(site, expanded=TaskStatus.OPEN, page=page), TaskStatus.OPEN) for page in (1, 2, 3)]
    assert [column.tasks for column in pages] == [opened[:2], opened[2:4], opened[4:]]
    assert [(column.offset, column.page, column.has_next) for column in pages] == [(0, 1, True), (2, 2, True),
                                                                                   (4, 3, False)]
    assert all(column.expanded for column in pages)
    # Another column stays cut; a page past a counted end is the last page.
    columns = board_columns(site, expanded=TaskStatus.DONE, page=9)
    assert _column(columns, TaskStatus.OPEN).tasks == opened[:2]
    assert _column(columns, TaskStatus.DONE).tasks == [done[0]] and _column(columns, TaskStatus.DONE).page == 2


def test_the_board_filters_count_and_show_the_same_tasks(small_board, make_product):
    site, opened, _done = small_board
    other = release_work_order(_order(site, make_product(steps=((60, 0),)), 1))[0]
    columns = board_columns(site, operation_id=other.operation_id)
    assert _column(columns, TaskStatus.OPEN).tasks == [other] and _column(columns, TaskStatus.OPEN).total == 1
    assert _column(columns, TaskStatus.DONE).total == 0
    columns = board_columns(site, work_order_id=opened[3].work_order_id)
    assert _column(columns, TaskStatus.OPEN).tasks == [opened[3]] and _column(columns, TaskStatus.OPEN).complete
