"""The indexes the busy pages need at scale (migration 0025_indexes creates them).

Each serves a filter, join or order of a page of the benchmark's mix (bench/web.py) on years of
data; they are declared here, beside the tables they index, so the models and the migrations agree.
Every one leads with site_id where the page is a site's: a site's rows sit together.
"""
from sqlalchemy import Index

from production.models import Task, WorkOrder, task_dependencies
from production.planner.models import PlanAssignment
from staffing.models import AvailabilityException, Course, LedgerEntry, LogbookEntry, Person

from .models import RepairTicket, RepairTicketLine
from .orders.models import Invoice, OrderLine
from .retail.models import StockMovement

#: (name, table, columns): what it is for.
SCALE_INDEXES = (
    # task board (columns by status, latest done), planner instance (open tasks that can start)
    ("ix_tasks_site_status_id", Task.__table__, ("site_id", "status", "id")),
    ("ix_tasks_assignee_id", Task.__table__, ("assignee_id",)),
    ("ix_tasks_rework_of_id", Task.__table__, ("rework_of_id",)),
    ("ix_task_dependencies_requires", task_dependencies, ("requires_task_id",)),
    # work orders still open (task board filter), a ticket's or order line's work order
    ("ix_work_orders_site_status_due", WorkOrder.__table__, ("site_id", "status", "due_date")),
    ("ix_repair_tickets_work_order_id", RepairTicket.__table__, ("work_order_id",)),
    ("ix_order_lines_work_order_id", OrderLine.__table__, ("work_order_id",)),
    # people list, start page and week board: the site's people by kind and name
    ("ix_people_site_kind_name", Person.__table__, ("site_id", "kind", "name")),
    ("ix_courses_site_status", Course.__table__, ("site_id", "status")),
    ("ix_availability_exceptions_person_day", AvailabilityException.__table__, ("person_id", "day")),
    ("ix_plan_assignments_task_id", PlanAssignment.__table__, ("task_id",)),
    # hours overview and impact: a site's ledger over a period, a person's weeks
    ("ix_ledger_entries_site_date", LedgerEntry.__table__, ("site_id", "work_date")),
    ("ix_ledger_entries_person_date", LedgerEntry.__table__, ("person_id", "work_date")),
    ("ix_ledger_entries_corrects_id", LedgerEntry.__table__, ("corrects_id",)),
    # start page: who is in today
    ("ix_logbook_entries_site_day", LogbookEntry.__table__, ("site_id", "day")),
    # impact: collected tickets and invoices of a period
    ("ix_repair_tickets_site_status_closed", RepairTicket.__table__, ("site_id", "status", "closed_at")),
    ("ix_invoices_site_issued_on", Invoice.__table__, ("site_id", "issued_on")),
    ("ix_repair_ticket_lines_repair_type_id", RepairTicketLine.__table__, ("repair_type_id",)),
    # stock page: a level's movements, latest first
    ("ix_stock_movements_site_product_at", StockMovement.__table__, ("site_id", "product_id", "at")),
)

for _name, _table, _columns in SCALE_INDEXES:
    Index(_name, *(_table.c[column] for column in _columns))
