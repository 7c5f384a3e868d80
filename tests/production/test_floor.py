from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from production.floor import (
    minutes_booked,
    record_manually,
    record_work,
    running_session,
    start_work,
    stop_work,
    tasks_for_today,
)
from production.models import TaskStatus, WorkOrderStatus, WorkRecord
from production.signals import work_order_done
from production.workorders import cancel_work_order, change_task_status, send_back_for_rework
from staffing.ledger import correct_entry
from staffing.models import HoursKind, LedgerEntry
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.timeutil import utcnow

pytestmark = pytest.mark.any_day  # dates come from the pinned today: run at each awkward moment

DAY = date(2026, 11, 18)


def _ledger(person):
    return list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.person_id == person.id)))


def test_recorded_work_books_the_ledger_and_counts_the_pieces(floor, make_user):
    site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    leader = make_user()
    [record] = record_work(task, trainee, 30, 12, actor=leader, day=DAY)
    assert task.quantity_done == 12 and task.status == TaskStatus.IN_PROGRESS
    [entry] = _ledger(trainee)
    assert (entry.minutes, entry.kind, entry.work_date, entry.activity) == (30, HoursKind.TRAINING, DAY, "production")
    assert entry.reference == f"Ordre 2026-0042 · gaveposer · {task.operation.name_da}"
    assert record.ledger_entry == entry and record.recorded_by_id == leader.id
    assert work_order.status == WorkOrderStatus.IN_PROGRESS
    assert [change.to_status for change in task.history] == ["open", "in_progress"]


def test_paid_hours_for_an_employed_person_up_to_her_weekly_maximum(floor):
    _site, work_order, trainee, paid = floor
    task = work_order.tasks[0]
    record_work(task, paid, 590, 1, day=DAY)
    records = record_work(task, paid, 20, 1, day=DAY)  # 10 more are paid, the rest is training
    record_work(task, paid, 30, 1, day=DAY)
    record_work(task, trainee, 30, 1, day=DAY)
    assert [(entry.minutes, entry.kind) for entry in _ledger(paid)] == [
        (590, HoursKind.PAID), (10, HoursKind.PAID), (10, HoursKind.TRAINING), (30, HoursKind.TRAINING)]
    assert [(record.minutes, record.quantity) for record in records] == [(10, 1), (10, 0)]
    assert _ledger(paid)[0].wage_ore_per_hour == 13_500
    assert _ledger(trainee)[0].kind == HoursKind.TRAINING


def test_more_pieces_than_the_task_has_are_refused_and_nothing_is_written(floor):
    _site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    record_work(task, trainee, 30, 15, day=DAY)
    with pytest.raises(DomainError) as error:
        record_work(task, trainee, 30, 6, day=DAY)
    assert error.value.field == "quantity" and "5" in str(error.value.message)
    assert task.quantity_done == 15 and len(_ledger(trainee)) == 1


def test_several_people_finish_a_task_together_and_the_order_is_done_with_the_signal(floor):
    _site, work_order, trainee, paid = floor
    received = []
    with work_order_done.connected_to(lambda sender, actor: received.append(sender)):
        for task in work_order.tasks:
            record_work(task, trainee, 20, 10, day=DAY)
            record_work(task, paid, 25, 10, day=DAY)
            assert task.status == TaskStatus.DONE
        # Minutes without pieces can still be booked on a done task; pieces cannot.
        record_work(work_order.tasks[0], trainee, 5, 0, day=DAY)
        with pytest.raises(DomainError):
            record_work(work_order.tasks[0], trainee, 5, 1, day=DAY)
    assert work_order.status == WorkOrderStatus.DONE and received == [work_order]
    assert minutes_booked([work_order.tasks[0].id]) == {work_order.tasks[0].id: 50}


def test_a_later_step_must_wait_for_the_step_before(floor):
    _site, work_order, trainee, _paid = floor
    sew = work_order.tasks[-1]
    with pytest.raises(DomainError):
        record_work(sew, trainee, 10, 1, day=DAY)
    with pytest.raises(DomainError):
        start_work(trainee, sew)
    assert not _ledger(trainee)


def test_bad_numbers_are_refused(floor):
    _site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    for minutes, quantity in ((0, 1), (721, 1), (10, -1)):
        with pytest.raises(DomainError):
            record_work(task, trainee, minutes, quantity, day=DAY)
    assert not _ledger(trainee) and task.quantity_done == 0


def test_another_sites_task_is_refused(floor, make_worker, make_site):
    _site, work_order, _trainee, _paid = floor
    stranger = make_worker(make_site())
    with pytest.raises(DomainError):
        record_work(work_order.tasks[0], stranger, 10, 1)
    with pytest.raises(DomainError):
        start_work(stranger, work_order.tasks[0])


def test_start_and_stop_record_the_minutes_of_the_session(floor):
    _site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    session = start_work(trainee, task)
    assert task.status == TaskStatus.IN_PROGRESS and running_session(trainee) == session
    assert start_work(trainee, task) == session  # a second tap does not start a second session
    session.started_at = utcnow() - timedelta(minutes=42)
    [record] = stop_work(trainee, 7)
    assert (record.minutes, record.quantity) == (42, 7) and running_session(trainee) is None
    assert _ledger(trainee)[0].minutes == 42
    with pytest.raises(DomainError):
        stop_work(trainee, 0)


def test_switching_tasks_stops_the_running_one(floor, make_product, make_work_order):
    site, work_order, trainee, _paid = floor
    other = make_work_order(site, make_product(steps=((60, 0),)), quantity=5).tasks[0]
    first = start_work(trainee, work_order.tasks[0])
    first.started_at = utcnow() - timedelta(minutes=15)
    second = start_work(trainee, other)
    assert first.stopped_at is not None and running_session(trainee) == second
    assert [(record.minutes, record.quantity) for record in work_order.tasks[0].records] == [(15, 0)]
    # A session of less than a minute with no pieces books nothing.
    assert stop_work(trainee, 0) == [] and running_session(trainee) is None
    assert len(_ledger(trainee)) == 1


def test_recording_by_hand_closes_the_session_on_that_task(floor):
    _site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    start_work(trainee, task).started_at = utcnow() - timedelta(minutes=30)
    record_manually(trainee, task, 30, 12)
    assert running_session(trainee) is None and task.quantity_done == 12
    assert [entry.minutes for entry in _ledger(trainee)] == [30]


def test_minutes_booked_follow_ledger_corrections(floor):
    _site, work_order, trainee, _paid = floor
    task = work_order.tasks[0]
    [record] = record_work(task, trainee, 30, 1, day=DAY)
    correct_entry(record.ledger_entry, None, "was 20 minutes", new_minutes=20)
    assert minutes_booked([task.id]) == {task.id: 20}


def test_my_tasks_put_hers_first_and_leave_out_what_she_cannot_do(floor, make_product, make_work_order, make_worker):
    site, work_order, trainee, paid = floor
    hard = make_product(steps=((60, 0),))
    hard.routing[0].operation.min_skill_level = 3
    hard_task = make_work_order(site, hard, quantity=5).tasks[0]
    cut, sew = work_order.tasks
    sew.assignee = trainee
    assert [task for task, _mine in tasks_for_today(trainee)] == [cut]  # sew waits for cut; hard needs level 3
    hard_task.assignee = trainee
    assert tasks_for_today(trainee) == [(hard_task, True), (cut, False)]
    cut.assignee = paid
    assert tasks_for_today(trainee) == [(hard_task, True)]


def test_rework_is_a_new_task_linked_to_the_finished_batch(floor, make_user):
    _site, work_order, trainee, _paid = floor
    leader = make_user()
    for task in work_order.tasks:
        record_work(task, trainee, 30, task.quantity, day=DAY)
    assert work_order.status == WorkOrderStatus.DONE
    sew = work_order.tasks[1]
    rework = send_back_for_rework(sew, 4, "Skæve sømme", leader)
    assert (rework.rework_of_id, rework.rework_reason, rework.quantity) == (sew.id, "Skæve sømme", 4)
    assert rework.operation_id == sew.operation_id and rework.status == TaskStatus.OPEN
    assert rework.standard_minutes == 8  # 4 of 20 pieces of a 40-minute batch
    assert work_order.status == WorkOrderStatus.IN_PROGRESS and work_order.done_at is None
    record_work(rework, trainee, 10, 4, day=DAY)
    assert work_order.status == WorkOrderStatus.DONE


def test_rework_needs_a_finished_batch_a_reason_and_a_sensible_quantity(floor):
    _site, work_order, trainee, _paid = floor
    cut = work_order.tasks[0]
    with pytest.raises(DomainError):
        send_back_for_rework(cut, 1, "Skæv")  # not finished
    record_work(cut, trainee, 30, cut.quantity, day=DAY)
    for quantity, reason in ((1, " "), (0, "Skæv"), (cut.quantity + 1, "Skæv")):
        with pytest.raises(DomainError):
            send_back_for_rework(cut, quantity, reason)
    assert db.session.scalar(select(func.count(WorkRecord.id))) == 1
    assert len(work_order.tasks) == 2


def test_cancelling_a_work_order_cancels_its_unfinished_tasks(floor):
    _site, work_order, trainee, _paid = floor
    cut, sew = work_order.tasks
    record_work(cut, trainee, 30, cut.quantity, day=DAY)
    received = []
    with work_order_done.connected_to(lambda sender, actor: received.append(sender)):
        cancel_work_order(work_order)
    assert work_order.status == WorkOrderStatus.CANCELLED and not received
    assert (cut.status, sew.status) == (TaskStatus.DONE, TaskStatus.CANCELLED)
    with pytest.raises(DomainError):
        cancel_work_order(work_order)
    with pytest.raises(DomainError):
        change_task_status(sew, TaskStatus.OPEN)


def test_minutes_on_a_task_cancelled_while_she_worked_are_still_booked(floor, make_product, make_work_order):
    site, work_order, trainee, _paid = floor
    other = make_work_order(site, make_product(steps=((60, 0),)), quantity=5).tasks[0]
    session = start_work(trainee, work_order.tasks[0])
    session.started_at = utcnow() - timedelta(minutes=20)
    cancel_work_order(work_order)
    start_work(trainee, other)  # switching books the 20 minutes on the cancelled task
    assert [(entry.minutes, entry.kind) for entry in _ledger(trainee)] == [(20, HoursKind.TRAINING)]
    assert work_order.tasks[0].status == TaskStatus.CANCELLED
    with pytest.raises(DomainError):
        record_work(work_order.tasks[0], trainee, 5, 1)
