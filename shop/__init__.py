"""Shop: business customers, orders and payments, retail, repair tickets."""
import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from production.signals import work_order_done
from workshop.extensions import db
from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link, set_start_page

from . import (
    models,  # noqa: F401 - registers the tables
    outbox,
    tickets,
)
from .companies import models as company_models  # noqa: F401 - registers the tables
from .companies.views import blueprint as companies_blueprint
from .demo import seed_shop_demo
from .public_views import blueprint as public_blueprint
from .repair_views import blueprint as repairs_blueprint
from .views import blueprint
from .webhooks import blueprint as webhooks_blueprint

outbox_cli = AppGroup("outbox", help="Messages to residents.")
repairs_cli = AppGroup("repairs", help="Repair tickets.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages per run.")
def send_outbox(limit: int):
    """Send pending messages (safe to run again: a sent message is never sent twice)."""
    sent, not_sent = outbox.send_pending(db.session.commit, limit=limit)
    click.echo(f"Sent {sent} message(s); {not_sent} not sent (will be retried or marked failed).")


@repairs_cli.command("remind")
def remind_overdue():
    """Queue a pick-up reminder for ready tickets not collected after REPAIRS_PICKUP_DAYS."""
    count = tickets.send_due_reminders()
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.register_blueprint(repairs_blueprint)
    app.register_blueprint(public_blueprint)
    app.register_blueprint(webhooks_blueprint)
    app.register_blueprint(companies_blueprint)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(repairs_cli)
    work_order_done.connect(tickets.on_work_order_done)
    add_nav_link(app, _l("Repairs"), "repairs.desk", {Role.LEADER, Role.STAFF}, icon="scissors", order=65, group="sales")
    add_nav_link(app, _l("Repair prices"), "shop.repair_prices", {Role.STAFF}, icon="tags", order=70, group="sales")
    # A leader sets these up, so she finds them under Set-up.
    add_nav_link(app, _l("Repair prices"), "shop.repair_prices", {Role.LEADER}, icon="tags", order=84, group="setup")
    add_nav_link(app, _l("Drop-off times"), "repairs.slots", {Role.LEADER}, icon="calendar-week", order=85, group="setup")
    add_nav_link(app, _l("Customers"), "shop.customers", {Role.LEADER}, icon="building", order=86, group="setup")
    add_nav_link(app, _l("Registrations"), "companies.registrations", {Role.LEADER}, icon="person-plus",
                 order=87, group="setup")
    add_nav_link(app, _l("My account"), "shop.account", {Role.CUSTOMER}, icon="person", order=10)
    set_start_page(app, Role.CUSTOMER, "shop.account")
    add_demo_seeder(app, 30, seed_shop_demo)
