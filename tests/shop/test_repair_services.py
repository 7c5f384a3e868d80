"""Service rules for repair bookings and tickets: pricing, slots, numbers, tokens, statuses."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from production.models import SourceKind, Task, TaskStatus, WorkOrder
from production.workorders import change_task_status
from shop.repairs import booking, tickets
from shop.repairs.catalogue import chosen_repairs, naive_utcnow, normalise_phone, total_price
from shop.models import (
    OutboxMessage,
    RepairTicket,
    TicketStatus,
)
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role

# --- Pricing and fields ---------------------------------------------------------------------


def test_the_price_is_the_sum_of_the_chosen_repairs(repair_site):
    site = repair_site()
    chosen = chosen_repairs(site, [site.repairs[0].id, site.repairs[1].id])
    assert total_price(chosen) == 8000 + 15000


def test_a_ticket_copies_the_prices_so_later_price_changes_do_not_change_it(repair_site, book):
    site = repair_site()
    ticket = book(site)
    site.repairs[0].price_ore = 99900
    db.session.flush()
    assert ticket.total_ore == 23000
    assert [line.price_ore for line in ticket.lines] == [8000, 15000]


@pytest.mark.parametrize("ids, message", [
    ([], "mindst én"),
    ([999999], "ikke på værkstedets"),
])
def test_unknown_or_no_repairs_are_refused(repair_site, ids, message):
    site = repair_site()
    with pytest.raises(DomainError, match=message) as error:
        chosen_repairs(site, ids)
    assert error.value.field == "repairs"


def test_another_sites_repairs_are_refused(repair_site):
    site, other = repair_site(), repair_site()
    with pytest.raises(DomainError, match="ikke på værkstedets"):
        chosen_repairs(site, [site.repairs[0].id, other.repairs[0].id])


@pytest.mark.parametrize("text, expected", [
    ("20 12 34 56", "+4520123456"),
    ("+45 20-12-34-56", "+4520123456"),
    ("004520123456", "+4520123456"),
    ("(42) 12 34 56", "+4542123456"),
])
def test_danish_phone_numbers_are_normalised(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize("text", ["", "1234567", "123456789", "02123456", "+46 20123456", "20a23456", "12345678"])
def test_bad_phone_numbers_are_refused(text):
    with pytest.raises(DomainError) as error:
        normalise_phone(text)
    assert error.value.field == "phone"


@pytest.mark.parametrize("fields, field", [
    ({"garment": "hat"}, "garment"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"phone": "123"}, "phone"),
    ({"email": "not-an-address"}, "email"),
    ({"consent": False}, "consent"),
])
def test_every_field_is_checked_and_nothing_is_written(repair_site, book, fields, field):
    site = repair_site()
    with pytest.raises(DomainError) as error:
        book(site, **fields)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(RepairTicket.id))) == 0


# --- Slots ---------------------------------------------------------------------------------------


def test_a_slot_takes_no_more_than_its_capacity(repair_site, book):
    site = repair_site(capacity=2)
    book(site)
    book(site)
    with pytest.raises(DomainError, match="fuld") as error:
        book(site)
    assert error.value.field == "slot"
    assert [view.slot.id for view in booking.open_slots(site)] == [site.slots[1].id]


def test_a_cancelled_booking_frees_its_place(repair_site, book, make_user):
    site = repair_site(capacity=1)
    ticket = book(site)
    tickets.cancel(ticket, make_user(Role.STAFF, site=site))
    assert book(site).slot_id == site.slots[0].id


def test_a_past_slot_cannot_be_booked(repair_site, book):
    site = repair_site()
    site.slots[0].starts_at = naive_utcnow() - timedelta(hours=2)
    site.slots[0].ends_at = naive_utcnow() - timedelta(hours=1)
    db.session.flush()
    with pytest.raises(DomainError, match="gået"):
        book(site)
    assert site.slots[0].id not in [view.slot.id for view in booking.open_slots(site)]


def test_another_sites_slot_cannot_be_booked(repair_site, book):
    site, other = repair_site(), repair_site()
    with pytest.raises(DomainError, match="findes ikke"):
        book(site, slot=other.slots[0])


def test_slots_are_added_and_removed_only_when_unbooked(repair_site, book):
    site = repair_site()
    start = naive_utcnow() + timedelta(days=3)
    slot = booking.add_slot(site, start, start + timedelta(hours=1), 5)
    with pytest.raises(DomainError):
        booking.add_slot(site, start, start + timedelta(hours=1), 5)
    with pytest.raises(DomainError):
        booking.add_slot(site, start + timedelta(hours=2), start + timedelta(hours=1), 5)
    with pytest.raises(DomainError):
        booking.add_slot(site, naive_utcnow() - timedelta(hours=1), naive_utcnow(), 5)
    booking.remove_slot(site, slot.id)
    book(site)
    with pytest.raises(DomainError, match="kan ikke fjernes"):
        booking.remove_slot(site, site.slots[0].id)


# --- Ticket numbers and tokens -------------------------------------------------------------------


def test_ticket_numbers_run_per_site_with_the_sites_letter(make_site, repair_site, book):
    gladsaxe = repair_site("gladsaxe")
    ishoj = repair_site("ishoj")
    numbers = [book(gladsaxe).number, book(gladsaxe).number, book(ishoj).number]
    assert numbers == ["G-0001", "G-0002", "I-0001"]


def test_tokens_are_long_random_and_unique(repair_site, book):
    site = repair_site(capacity=10)
    tokens = {book(site).token for _ in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert len(token) >= 32  # 24 bytes = 192 bits, base64url
        assert tickets.ticket_by_token(token).token == token


def test_a_ticket_number_or_a_short_string_is_not_a_token(repair_site, book):
    site = repair_site()
    ticket = book(site)
    assert tickets.ticket_by_token(ticket.number) is None
    assert tickets.ticket_by_token(str(ticket.id)) is None
    assert tickets.ticket_by_token(ticket.token[:-1]) is None
    assert tickets.ticket_by_token("") is None


# --- Statuses ------------------------------------------------------------------------------------


def test_the_whole_journey_keeps_every_status_change(repair_site, book, make_user, finish_tasks):
    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    ticket = book(site)
    work_order = tickets.receive_garment(ticket, staff, [site.repairs[0].id, site.repairs[1].id],
                                         damage_note="Stain on the left leg")
    assert ticket.status == TicketStatus.IN_PROGRESS
    finish_tasks(work_order, staff)
    assert ticket.status == TicketStatus.READY
    payment = tickets.collect(ticket, staff, "mobilepay")
    assert payment.amount_ore == 23000 and payment.provider == "offline"
    assert ticket.status == TicketStatus.COLLECTED
    moves = [(change.from_status, change.to_status) for change in ticket.history]
    assert moves == [(None, "booked"), ("booked", "received"), ("received", "in_progress"),
                     ("in_progress", "ready"), ("ready", "collected")]
    assert ticket.history[1].by_user_id == staff.id and ticket.history[1].note == "Stain on the left leg"
    assert all(change.at is not None for change in ticket.history)
    assert tickets.paid_too_much_ore(ticket) == 0


def test_money_paid_after_the_ticket_was_closed_is_money_to_give_back(repair_site, book, make_user, finish_tasks):
    from shop.models import PaymentMethod
    from shop.payments.services import PaymentResult

    site = repair_site()
    staff = make_user(Role.STAFF, site=site)
    ticket = book(site)
    finish_tasks(tickets.receive_garment(ticket, staff, [site.repairs[0].id]), staff)
    tickets.collect(ticket, staff, "cash")
    late = PaymentResult("stripe", "cs_late")
    tickets.record_payment(ticket, None, PaymentMethod.STRIPE, ticket.total_ore, late)
    assert tickets.paid_too_much_ore(ticket) == ticket.total_ore
    other = book(site)
    tickets.cancel(other, staff)
    tickets.record_payment(other, None, PaymentMethod.STRIPE, 5000, late)
    assert tickets.paid_too_much_ore(other) == 5000


@pytest.mark.parametrize("start, target", [
    (TicketStatus.BOOKED, TicketStatus.READY),
    (TicketStatus.BOOKED, TicketStatus.COLLECTED),
    (TicketStatus.COLLECTED, TicketStatus.BOOKED),
    (TicketStatus.CANCELLED, TicketStatus.RECEIVED),
    (TicketStatus.NO_SHOW, TicketStatus.COLLECTED),
    (TicketStatus.READY, TicketStatus.CANCELLED),
])
def test_illegal_moves_are_refused(repair_site, book, start, target):
    ticket = book(repair_site())
    ticket.status = start
    with pytest.raises(DomainError):
        tickets.change_status(ticket, target, None)


def test_receiving_creates_a_released_work_order_with_the_ticket_as_source(repair_site, book, make_user, app):
    site = repair_site()
    ticket = book(site)
    staff = make_user(Role.STAFF, site=site)
    work_order = tickets.receive_garment(ticket, staff, [site.repairs[1].id, site.repairs[2].id], price_text="150")
    assert (work_order.source_kind, work_order.source_id) == (SourceKind.REPAIR_TICKET, ticket.id)
    assert work_order.source_label.startswith(f"Reparation {ticket.number} · ")
    assert work_order.status.value == "released"
    assert sorted(task.standard_minutes for task in work_order.tasks) == [10, 45]
    assert ticket.total_ore == 15000  # adjusted at the counter
    assert [line.repair_type_id for line in ticket.lines] == [site.repairs[1].id, site.repairs[2].id]
    assert (work_order.due_date - work_order.created_at.date()).days in (6, 7, 8)


def test_receiving_refuses_a_bad_price_and_writes_no_work_order(repair_site, book, make_user):
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        tickets.receive_garment(ticket, make_user(Role.STAFF, site=site), [site.repairs[0].id], price_text="abc")
    assert error.value.field == "price"
    db.session.rollback()
    assert db.session.scalar(select(func.count(WorkOrder.id))) == 0
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.BOOKED


def test_a_ticket_is_received_only_once(repair_site, book, make_user):
    site = repair_site()
    ticket = book(site)
    staff = make_user(Role.STAFF, site=site)
    tickets.receive_garment(ticket, staff, [site.repairs[0].id])
    with pytest.raises(DomainError):
        tickets.receive_garment(ticket, staff, [site.repairs[0].id])


def test_done_signal_makes_the_ticket_ready_and_queues_the_message_in_the_same_transaction(
        repair_site, book, make_user):
    site = repair_site()
    ticket = book(site, email="")
    staff = make_user(Role.STAFF, site=site)
    work_order = tickets.receive_garment(ticket, staff, [site.repairs[0].id])
    db.session.commit()
    task = db.session.scalar(select(Task).where(Task.work_order_id == work_order.id))
    change_task_status(task, TaskStatus.DONE, staff)
    ticket = db.session.get(RepairTicket, ticket.id)
    assert ticket.status == TicketStatus.READY and ticket.ready_at is not None
    ready = [message for message in db.session.scalars(select(OutboxMessage)) if message.kind == "ticket_ready"]
    assert len(ready) == 1
    assert "klar til afhentning" in ready[0].body and ready[0].recipient == "+4520123456"
    db.session.rollback()  # production's transaction fails: neither the status nor the message stays
    assert db.session.get(RepairTicket, ticket.id).status == TicketStatus.IN_PROGRESS
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "ticket_ready")) == 0


def test_the_receiver_ignores_other_work_orders(make_site, make_product, repair_site, book, make_user):
    from production.workorders import create_work_order, release_work_order

    site = repair_site()
    ticket = book(site)
    order = create_work_order(site, quantity=1, due_date=naive_utcnow().date(), source_kind=SourceKind.ORDER_LINE,
                              source_id=ticket.id, source_label="Order 1", product=make_product(steps=((60, 0),)))
    for task in release_work_order(order):
        change_task_status(task, TaskStatus.DONE)
    assert ticket.status == TicketStatus.BOOKED


def test_only_a_ready_ticket_is_collected_and_payment_is_checked(repair_site, book, make_user):
    site = repair_site()
    ticket = book(site)
    staff = make_user(Role.STAFF, site=site)
    with pytest.raises(DomainError):
        tickets.collect(ticket, staff, "cash")
    ticket.status = TicketStatus.READY
    with pytest.raises(DomainError) as error:
        tickets.collect(ticket, staff, "bitcoin")
    assert error.value.field == "method"
    with pytest.raises(DomainError) as error:
        tickets.collect(ticket, staff, "stripe")  # the offline provider only records counter payments
    with pytest.raises(DomainError) as error:
        tickets.collect(ticket, staff, "cash", "-5")
    assert error.value.field == "amount"
    payment = tickets.collect(ticket, staff, "cash", "200,50")
    assert payment.amount_ore == 20050


def test_find_by_number_token_link_or_phone_only_in_the_own_site(repair_site, book):
    site, other = repair_site(), repair_site()
    ticket = book(site, phone="+45 31 31 31 31")
    foreign = book(other, phone="31313131")
    assert tickets.find_tickets(site, ticket.number) == [ticket]
    assert tickets.find_tickets(site, str(ticket.sequence)) == [ticket]
    assert tickets.find_tickets(site, ticket.token) == [ticket]
    assert tickets.find_tickets(site, f"http://127.0.0.1:5000/t/{ticket.token}") == [ticket]
    assert tickets.find_tickets(site, "31 31 31 31") == [ticket]
    assert tickets.find_tickets(site, foreign.token) == []
    assert tickets.find_tickets(site, "nonsense") == []


def test_overdue_tickets_get_one_automatic_reminder_then_a_leader_decides(repair_site, book, make_user, app):
    site = repair_site()
    ticket = book(site)
    ticket.status = TicketStatus.READY
    ticket.ready_at = naive_utcnow() - timedelta(days=20)
    db.session.flush()
    app.config["REPAIRS_PICKUP_DAYS"] = 14
    assert tickets.overdue_tickets(site) == [ticket]
    assert tickets.send_due_reminders() == 1
    assert tickets.send_due_reminders() == 0  # not twice
    leader = make_user(Role.LEADER, site=site)
    tickets.send_reminder(ticket, leader)
    assert ticket.reminder_count == 2
    kinds = [message.kind for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["ticket_booked", "pickup_reminder", "pickup_reminder"]
    tickets.mark_no_show(ticket, leader, "Given to charity")
    assert ticket.status == TicketStatus.NO_SHOW and tickets.overdue_tickets(site) == []


def test_a_booking_whose_drop_off_passed_is_overdue(repair_site, book):
    site = repair_site()
    ticket = book(site)
    ticket.slot.starts_at = naive_utcnow() - timedelta(days=3)
    ticket.slot.ends_at = naive_utcnow() - timedelta(days=3) + timedelta(hours=1)
    db.session.flush()
    assert tickets.overdue_tickets(site) == [ticket]


def test_any_spacing_of_a_danish_number_normalises_to_the_same_number():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(first=st.sampled_from("23456789"), rest=st.text("0123456789", min_size=7, max_size=7),
           separators=st.lists(st.sampled_from(["", " ", "-"]), min_size=8, max_size=8),
           prefix=st.sampled_from(["", "+45", "+45 ", "0045"]))
    def check(first, rest, separators, prefix):
        digits = first + rest
        text = prefix + "".join(digit + separator for digit, separator in zip(digits, separators, strict=True))
        assert normalise_phone(text) == "+45" + digits

    check()


def test_the_same_booking_form_sent_twice_books_once(repair_site, book):
    site = repair_site(capacity=1)
    first = book(site, request_key="form-key-1")
    again = book(site, request_key="form-key-1")
    assert again.id == first.id  # even though the slot's only place is now taken
    other = book(site, slot=site.slots[1], request_key="form-key-2")
    assert other.id != first.id
