"""Indexes for the busy pages at scale (shop/scale_indexes.py says what each is for)

Revision ID: 0025_indexes
Revises: 0021_impact
Create Date: 2026-12-04 19:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_indexes'
down_revision = '0021_impact'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_tasks_site_status_id', 'tasks', ['site_id', 'status', 'id']),
    ('ix_tasks_assignee_id', 'tasks', ['assignee_id']),
    ('ix_tasks_rework_of_id', 'tasks', ['rework_of_id']),
    ('ix_task_dependencies_requires', 'task_dependencies', ['requires_task_id']),
    ('ix_work_orders_site_status_due', 'work_orders', ['site_id', 'status', 'due_date']),
    ('ix_repair_tickets_work_order_id', 'repair_tickets', ['work_order_id']),
    ('ix_order_lines_work_order_id', 'order_lines', ['work_order_id']),
    ('ix_people_site_kind_name', 'people', ['site_id', 'kind', 'name']),
    ('ix_courses_site_status', 'courses', ['site_id', 'status']),
    ('ix_availability_exceptions_person_day', 'availability_exceptions', ['person_id', 'day']),
    ('ix_plan_assignments_task_id', 'plan_assignments', ['task_id']),
    ('ix_ledger_entries_site_date', 'ledger_entries', ['site_id', 'work_date']),
    ('ix_ledger_entries_person_date', 'ledger_entries', ['person_id', 'work_date']),
    ('ix_ledger_entries_corrects_id', 'ledger_entries', ['corrects_id']),
    ('ix_logbook_entries_site_day', 'logbook_entries', ['site_id', 'day']),
    ('ix_repair_tickets_site_status_closed', 'repair_tickets', ['site_id', 'status', 'closed_at']),
    ('ix_invoices_site_issued_on', 'invoices', ['site_id', 'issued_on']),
    ('ix_repair_ticket_lines_repair_type_id', 'repair_ticket_lines', ['repair_type_id']),
    ('ix_stock_movements_site_product_at', 'stock_movements', ['site_id', 'product_id', 'at']),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
