"""Start pressed twice at the same moment (two devices, a double tap): one running session, not two.

Real threads, each in its own transaction, on PostgreSQL (the person's row lock); SQLite has one writer.
"""
import threading

import pytest
from sqlalchemy import func, select

from production.floor import start_work
from production.models import Task, WorkSession
from staffing.models import Person
from workshop.extensions import db


def test_two_starts_at_once_make_one_running_session(app, floor):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL only")
    _site, work_order, trainee, _paid = floor
    db.session.commit()
    person_id, task_id = trainee.id, work_order.tasks[0].id
    start, errors = threading.Barrier(4), []

    def press_start():
        with app.app_context():
            try:
                start.wait(30)
                start_work(db.session.get(Person, person_id), db.session.get(Task, task_id))
                db.session.commit()
            except Exception as error:  # a crash is a finding: say which
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press_start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert db.session.scalar(select(func.count(WorkSession.id)).where(
        WorkSession.person_id == person_id, WorkSession.stopped_at.is_(None))) == 1
