"""An accepted order for the fulfilment tests, made without the quotes code: order + Quote rows,
accepted through the state machine, then `quote_accepted` as the quotes code sends it."""
from datetime import timedelta

import pytest

from production.floor import record_work
from production.models import TaskStatus
from shop.orders import events, states
from shop.orders.models import OrderStatus, Proof, ProofDecision, Quote, QuoteLine
from workshop.extensions import db
from workshop.timeutil import local_today

PROMISED_DAYS = 28


@pytest.fixture
def accept_order():
    """accept_order(order, actor=None, deposit_percent=0, proof=True) -> the Quote; the order is accepted but
    nothing is sent yet. With `proof`, a customised order gets an approved proof, so it may be released."""

    def accept(order, actor=None, deposit_percent=0, proof=True):
        quote = Quote(order_id=order.id, version=1, valid_until=local_today() + timedelta(days=30),
                      promised_date=local_today() + timedelta(days=PROMISED_DAYS), total_ore=100_000,
                      deposit_percent=deposit_percent)
        db.session.add(quote)
        quote.lines = [QuoteLine(order_line_id=line.id, quantity=line.quantity, list_price_ore=4500,
                                 unit_price_ore=4500) for line in order.lines]
        if proof:
            db.session.add(Proof(order_id=order.id, version=1, stored_name=f"proofs/approved-{order.id}.png",
                                 decision=ProofDecision.APPROVED, decided_by_name="Karin"))
        db.session.flush()
        states.change_status(order, OrderStatus.QUOTED, actor)
        order.accepted_quote_id = quote.id
        order.promised_date = quote.promised_date
        states.change_status(order, OrderStatus.ACCEPTED, actor)
        return quote

    return accept


@pytest.fixture
def order_in_production(make_order, accept_order):
    """order_in_production(**make_order args) -> an order whose `quote_accepted` was sent: its work orders exist."""

    def make(actor=None, **fields):
        order = make_order(**fields)
        quote = accept_order(order, actor)
        events.quote_accepted.send(order, quote=quote, actor=actor)
        return order

    return make


def finish_work_order(work_order, person, actor=None):
    """Record every piece of every task of the work order, step by step, as the shop floor does."""
    for task in sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number)):
        if task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED) and task.quantity_left:
            record_work(task, person, 5, task.quantity_left, actor)
