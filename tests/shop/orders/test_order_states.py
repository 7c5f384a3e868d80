"""The order's state machine and order numbers."""
import pytest

from shop.orders import services, states
from shop.orders.models import OrderStatus
from workshop.errors import DomainError

S = OrderStatus


def test_a_new_order_is_requested_with_a_number_and_a_history_row(make_order):
    order = make_order()
    assert order.status == S.REQUESTED and order.number == "O-0001"
    assert [(change.from_status, change.to_status) for change in order.history] == [(None, "requested")]


def test_order_numbers_run_per_site(make_order, make_site):
    site, other = make_site(), make_site()
    numbers = [make_order(site=site).number, make_order(site=site).number, make_order(site=other).number]
    assert numbers == ["O-0001", "O-0002", "O-0001"]


def test_the_happy_path_is_legal_and_written_down(make_order, make_user):
    order = make_order()
    leader = make_user()
    for status in states.HAPPY_PATH[1:]:
        states.change_status(order, status, leader)
    assert order.status == S.PAID
    assert [change.to_status for change in order.history] == [status.value for status in states.HAPPY_PATH]
    assert order.history[-1].by_user_id == leader.id


@pytest.mark.parametrize(("start", "illegal"), [
    (S.REQUESTED, S.IN_PRODUCTION), (S.QUOTED, S.PAID), (S.DELIVERED, S.CANCELLED),
    (S.CANCELLED, S.QUOTED), (S.PAID, S.REQUESTED), (S.DECLINED, S.ACCEPTED),
])
def test_illegal_moves_are_refused_and_change_nothing(make_order, start, illegal):
    order = make_order()
    order.status = start
    with pytest.raises(DomainError):
        states.change_status(order, illegal)
    assert order.status == start and len(order.history) == 1


def test_bad_quantities_are_refused(make_order, make_catalogue_product):
    product = make_catalogue_product()
    for quantity in (0, -5, services.MAX_QUANTITY + 1):
        with pytest.raises(DomainError):
            make_order(lines=[(product, quantity)])
