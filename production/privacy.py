"""What production keeps about a person that has no `person_id` column: the tasks assigned to her.

Registered with staffing's export (`staffing.privacy.register_collector`) at start-up.
"""
from sqlalchemy import select

from staffing.models import Person
from workshop.extensions import db

from .models import Task


def assigned_tasks(person: Person) -> list[dict]:
    """The tasks she is (or was) assigned, as plain rows for her data export."""
    tasks = db.session.scalars(select(Task).where(Task.assignee_id == person.id).order_by(Task.id))
    return [{"id": task.id, "work_order_id": task.work_order_id, "operation": task.operation.name_da,
             "quantity": task.quantity, "quantity_done": task.quantity_done,
             "standard_minutes": task.standard_minutes, "earliest_start": task.earliest_start,
             "due_date": task.due_date, "status": task.status} for task in tasks]
