"""The repair settings of README "Configuration" change what people see. Each test sets the
environment variable and reads it through build_config() (the `configure` fixture)."""
from datetime import timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import select

from production.models import WorkOrder
from shop.repairs import tickets
from shop.repairs.catalogue import naive_utcnow
from shop.models import OutboxMessage, RepairTicket, TicketStatus
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


def test_the_due_days_set_the_due_date_of_a_received_repair(client_as, repair_site, book, configure):
    configure(REPAIRS_DUE_DAYS="3")
    site = repair_site()
    ticket = book(site)
    db.session.commit()
    client = client_as(Role.STAFF, site=site)
    assert client.post(f"/repairs/tickets/{ticket.id}/receive",
                       data={"repairs": [str(site.repairs[0].id)], "price": ""}).status_code == 302
    work_order = db.session.get(WorkOrder, db.session.get(RepairTicket, ticket.id).work_order_id)
    due = local_today() + timedelta(days=3)
    assert work_order.due_date == due
    with force_locale("da"):
        shown = format_date(due, "medium")
    assert f"Forfald {shown}" in " ".join(client.get(f"/production/work-orders/{work_order.id}")
                                          .get_data(as_text=True).split())


def _ready(ticket, days_ago: int):
    ticket.status = TicketStatus.READY
    ticket.ready_at = naive_utcnow() - timedelta(days=days_ago, hours=1)


def test_the_pick_up_days_decide_when_a_ticket_is_overdue_and_reminded(app, repair_site, book, configure):
    configure(REPAIRS_PICKUP_DAYS="3")
    site = repair_site()
    waiting, fresh = book(site), book(site)
    _ready(waiting, days_ago=3)
    _ready(fresh, days_ago=2)
    db.session.commit()
    assert tickets.overdue_tickets(site) == [waiting]
    result = app.test_cli_runner().invoke(args=["repairs", "remind"])
    assert "Queued 1" in result.output, result.output
    reminded = db.session.scalars(select(OutboxMessage.ticket_id).where(OutboxMessage.kind == "pickup_reminder"))
    assert list(reminded) == [waiting.id]


def test_the_ticket_page_days_decide_when_the_link_expires(client, repair_site, book, make_user, configure, clock):
    configure(REPAIRS_TICKET_PAGE_DAYS="5")
    site = repair_site()
    ticket = book(site)
    tickets.cancel(ticket, make_user(Role.STAFF, site=site))
    db.session.commit()
    clock.shift(timedelta(days=4))
    assert client.get(f"/t/{ticket.token}").status_code == 200
    clock.shift(timedelta(days=2))
    assert client.get(f"/t/{ticket.token}").status_code == 404
