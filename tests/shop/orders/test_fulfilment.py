"""From an accepted order to delivered: work orders once, progress from the floor, ready, deliveries,
the impact statement in counts, and what cancelling does to production."""
from datetime import timedelta

import pytest
from flask import render_template
from sqlalchemy import func, select

from production.floor import record_work
from production.models import SourceKind, TaskStatus, WorkOrder, WorkOrderStatus
from shop.impact.statements import order_statement
from shop.orders import events, fulfilment, states
from shop.orders.fulfilment_views import deliveries_section, impact_section, production_section
from shop.models import OutboxMessage
from shop.orders.models import Delivery, OrderStatus
from staffing.models import LedgerEntry
from tests.shop.orders.fulfilment_fixtures import (  # noqa: F401 - fixtures
    PROMISED_DAYS,
    accept_order,
    finish_work_order,
    order_in_production,
)
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture
def listen():
    """listen(signal) -> the list of senders it got during the test."""
    connected = []

    def start(signal):
        heard = []

        def receiver(sender, **_kwargs):
            heard.append(sender)

        signal.connect(receiver)
        connected.append((signal, receiver))
        return heard

    yield start
    for signal, receiver in connected:
        signal.disconnect(receiver)


def count_work_orders() -> int:
    return db.session.scalar(select(func.count(WorkOrder.id)))


def test_acceptance_creates_one_released_work_order_per_line_once(make_order, make_catalogue_product, accept_order,
                                                                  make_site):
    site = make_site()
    bag, heart = make_catalogue_product(), make_catalogue_product()
    order = make_order(site=site, lines=[(bag, 10), (heart, 4)])
    order.lines[0].embroidery_text, order.lines[0].thread_colours = "Museet", "guld"
    quote = accept_order(order)
    events.quote_accepted.send(order, quote=quote, actor=None)
    events.quote_accepted.send(order, quote=quote, actor=None)

    assert count_work_orders() == 2
    assert order.status == OrderStatus.IN_PRODUCTION
    first, second = (db.session.get(WorkOrder, line.work_order_id) for line in order.lines)
    assert (first.source_kind, first.source_id, first.quantity) == (SourceKind.ORDER_LINE, order.lines[0].id, 10)
    assert first.due_date == local_today() + timedelta(days=PROMISED_DAYS)
    assert first.status == WorkOrderStatus.RELEASED and first.tasks
    assert "Broderi: Museet" in first.history[0].note and "Farver: guld" in first.history[0].note
    assert second.product_id == heart.id and second.quantity == 4
    assert [change.to_status for change in order.history].count("in_production") == 1


def test_prototype_first_comes_first(order_in_production):
    order = order_in_production(prototype_first=True)
    work_orders = fulfilment.work_orders_of(order)
    assert [work_order.quantity for work_order in work_orders] == [1, 500]
    prototype, line_order = work_orders
    assert "prototype" in prototype.source_label
    assert min(task.earliest_start for task in line_order.tasks) == prototype.due_date
    assert fulfilment.progress_for(order).prototype == prototype


def test_an_order_not_accepted_gets_no_work_orders(make_order):
    order = make_order()
    events.quote_accepted.send(order, quote=None, actor=None)
    assert count_work_orders() == 0 and order.status == OrderStatus.REQUESTED


def test_progress_counts_pieces_recorded_on_the_floor(order_in_production, make_catalogue_product, make_person, app):
    order = order_in_production(lines=[(make_catalogue_product(), 10)])
    person = make_person(site=order.site)
    work_order = db.session.get(WorkOrder, order.lines[0].work_order_id)
    cut, sew = sorted(work_order.tasks, key=lambda task: task.sequence)
    record_work(cut, person, 10, 10)
    record_work(sew, person, 8, 4)

    [line] = fulfilment.progress_for(order).lines
    assert [(step.done, step.quantity) for step in line.operations] == [(10, 10), (4, 10)]
    assert [step.name for step in line.operations] == [cut.operation.name, sew.operation.name]
    with app.test_request_context():
        html = render_template("shop/orders/_production.html", **production_section(order, None, False), order=order,
                               for_workshop=False)
    assert "4 af 10" in html and "10 af 10" in html


def test_all_work_orders_done_makes_the_order_ready_once(order_in_production, make_catalogue_product, make_person,
                                                         listen):
    order = order_in_production(lines=[(make_catalogue_product(), 6), (make_catalogue_product(), 3)])
    ready = listen(events.order_ready)
    person = make_person(site=order.site)
    first, second = fulfilment.work_orders_of(order)
    finish_work_order(first, person)
    assert order.status == OrderStatus.IN_PRODUCTION and ready == []
    finish_work_order(second, person)
    assert order.status == OrderStatus.READY and ready == [order]
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "order_ready"))
    assert message.recipient == order.requested_by.email
    assert message.subject == f"Din ordre {order.number} er klar" and f"/orders/{order.id}" in message.body

    fulfilment.on_work_order_done(second)  # production says it again (after a rework, say)
    assert ready == [order] and order.status == OrderStatus.READY
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "order_ready")) == 1


def test_partial_then_full_delivery(order_in_production, make_catalogue_product, make_person, make_user, listen):
    order = order_in_production(lines=[(make_catalogue_product(), 6)])
    leader = make_user(Role.LEADER, site=order.site)
    delivered = listen(events.order_delivered)
    line = order.lines[0]
    first = fulfilment.record_delivery(order, leader, local_today(), {line.id: 2}, "Første kasse")
    assert order.status == OrderStatus.IN_PRODUCTION and first.sequence == 1
    with pytest.raises(DomainError):  # the last pieces wait until the order is ready
        fulfilment.record_delivery(order, leader, local_today(), {line.id: 4})
    finish_work_order(fulfilment.work_orders_of(order)[0], make_person(site=order.site))
    second = fulfilment.record_delivery(order, leader, local_today(), {line.id: 4})
    assert order.status == OrderStatus.DELIVERED and second.sequence == 2
    assert delivered == [order, order]
    assert fulfilment.delivered_up_to(first) == {line.id: 2}
    assert fulfilment.delivered_up_to(second) == {line.id: 6}


@pytest.mark.parametrize("quantities, day_offset", [
    ({"line": 7}, 0), ({"line": -1}, 0), ({"line": 0}, 0), ({"other": 1}, 0), ({"line": 1}, 400), ({"line": 1}, -400),
])
def test_bad_deliveries_are_refused(order_in_production, make_catalogue_product, make_person, quantities, day_offset):
    order = order_in_production(lines=[(make_catalogue_product(), 6)])
    finish_work_order(fulfilment.work_orders_of(order)[0], make_person(site=order.site))
    ids = {"line": order.lines[0].id, "other": 10**6}
    with pytest.raises(DomainError):
        fulfilment.record_delivery(order, None, local_today() - timedelta(days=day_offset),
                                   {ids[key]: value for key, value in quantities.items()})
    assert db.session.scalar(select(func.count(Delivery.id))) == 0


def test_over_delivery_after_a_partial_one_is_refused(order_in_production, make_catalogue_product, make_person):
    order = order_in_production(lines=[(make_catalogue_product(), 6)])
    finish_work_order(fulfilment.work_orders_of(order)[0], make_person(site=order.site))
    line_id = order.lines[0].id
    fulfilment.record_delivery(order, None, local_today(), {line_id: 5})
    with pytest.raises(DomainError):
        fulfilment.record_delivery(order, None, local_today(), {line_id: 2})
    assert fulfilment.left_to_deliver(order) == {line_id: 1}


def test_no_delivery_before_production(make_order):
    order = make_order()
    with pytest.raises(DomainError):
        fulfilment.record_delivery(order, None, local_today(), {order.lines[0].id: 1})


def test_impact_counts_training_and_paid_hours_without_names(order_in_production, make_catalogue_product,
                                                             make_person, make_user, app):
    order = order_in_production(lines=[(make_catalogue_product(steps=((60, 0),)), 30)])
    [task, *_] = fulfilment.work_orders_of(order)[0].tasks
    trainees = [make_person(site=order.site, name=name) for name in ("Amina Trainee", "Berit Trainee")]
    paid = make_person(site=order.site, name="Fatima Paid", employment_wage_ore=13_500)
    record_work(task, trainees[0], 30, 5)
    record_work(task, trainees[1], 30, 5)
    record_work(task, paid, 60, 5)
    finish_work_order(task.work_order, paid)  # 5 more paid minutes: 125 in all

    impact = order_statement(order)  # 65 paid minutes at 135 kr./h = 146,25 kr.
    assert (impact.total_minutes, impact.training_minutes, impact.trainees, impact.paid_minutes, impact.women,
            impact.wages_ore) == (125, 60, 2, 65, 1, 14_625)
    leader = make_user(Role.LEADER, site=order.site)
    assert impact_section(order, leader, True) is None  # not delivered yet
    fulfilment.record_delivery(order, leader, local_today(), {order.lines[0].id: 30})
    with app.test_request_context():
        html = render_template("shop/orders/_impact.html", **impact_section(order, leader, True), order=order,
                               for_workshop=True)
    assert "1 timer i træning for 2 kvinder i forløb" in html and "for 1 kvinde" in html and "146,25" in html
    with app.test_request_context():
        customer_html = render_template("shop/orders/_impact.html", order=order, for_workshop=False,
                                        **impact_section(order, None, False))
    assert "146,25" not in customer_html and "for 1 kvinde" in customer_html
    assert not any(name in html for name in ("Amina", "Berit", "Fatima"))


def test_cancelling_cancels_unfinished_work_and_keeps_done_work_booked(order_in_production, make_catalogue_product,
                                                                       make_person):
    order = order_in_production(lines=[(make_catalogue_product(), 4), (make_catalogue_product(), 8)])
    person = make_person(site=order.site)
    done, unfinished = fulfilment.work_orders_of(order)
    finish_work_order(done, person)
    first_task = sorted(unfinished.tasks, key=lambda task: task.sequence)[0]
    record_work(first_task, person, 10, 3)
    booked = db.session.scalar(select(func.sum(LedgerEntry.minutes)))

    states.change_status(order, OrderStatus.CANCELLED)
    events.order_cancelled.send(order, actor=None)
    events.order_cancelled.send(order, actor=None)

    assert done.status == WorkOrderStatus.DONE
    assert unfinished.status == WorkOrderStatus.CANCELLED
    assert {task.status for task in unfinished.tasks} == {TaskStatus.CANCELLED}
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == booked
    section = production_section(order, None, False)
    assert section is not None and section["progress"].lines[1].operations[0].done == 3


def test_the_deliveries_section_offers_the_form_to_leaders_only(order_in_production, make_user, app):
    order = order_in_production()
    leader, staff = make_user(Role.LEADER, site=order.site), make_user(Role.STAFF, site=order.site)
    with app.test_request_context():
        assert deliveries_section(order, leader, True)["delivery_form"] is not None
        assert deliveries_section(order, staff, True) is None
