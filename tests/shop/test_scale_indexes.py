"""The indexes the busy pages need at scale exist in the database the migrations built."""
from sqlalchemy import inspect

from workshop.extensions import db

#: table -> the indexes (by their columns) the page mix's filters, joins and orders use.
EXPECTED = {
    "tasks": [("site_id", "status", "id"), ("assignee_id",), ("rework_of_id",), ("work_order_id",)],
    "task_dependencies": [("requires_task_id",)],
    "work_orders": [("site_id", "status", "due_date")],
    "people": [("site_id", "kind", "name")],
    "courses": [("site_id", "status"), ("person_id",)],
    "availability_exceptions": [("person_id", "day")],
    "follow_ups": [("person_id",)],
    "plan_assignments": [("plan_id",), ("person_id",), ("task_id",)],
    "ledger_entries": [("site_id", "work_date"), ("person_id", "work_date"), ("corrects_id",)],
    "logbook_entries": [("site_id", "day")],
    "repair_tickets": [("site_id", "status", "closed_at"), ("work_order_id",), ("slot_id",)],
    "repair_ticket_lines": [("ticket_id",), ("repair_type_id",)],
    "order_lines": [("order_id",), ("work_order_id",)],
    "invoices": [("site_id", "issued_on")],
    "stock_movements": [("site_id", "product_id", "at")],
    "sales": [("site_id", "at")],
    "sale_lines": [("sale_id",)],
}


def test_the_pages_indexes_exist():
    inspector = inspect(db.engine)
    missing = []
    for table, wanted in EXPECTED.items():
        present = {tuple(index["column_names"]) for index in inspector.get_indexes(table)}
        present |= {tuple(unique["column_names"]) for unique in inspector.get_unique_constraints(table)}
        missing += [f"{table}{columns}" for columns in wanted if columns not in present]
    assert not missing, f"indexes missing: {missing}"
