"""Shop: business customers, orders and payments, retail, repair tickets.

Each kind of sale has its own subpackage (`repairs/`), and `payments/` takes the money for all
of them. The tables stay in `shop/models.py`, except the payments' own (`payments/models.py`).
"""
from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from production.signals import work_order_done
from staffing.cli import report as report_cli
from workshop.extensions import db
from workshop.mail import register_mailer
from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link, add_retention_rule, add_start_panel, set_start_page

from . import api
from . import (
    models,  # noqa: F401 - registers the tables
    outbox,
)
from .companies import models as company_models  # noqa: F401 - registers the tables
from .companies.views import blueprint as companies_blueprint
from .demo import seed_shop_demo
from .impact.cli import impact as impact_report
from .impact.views import blueprint as impact_blueprint
from .orders import invoice_section, invoicing
from .orders import fulfilment_views
from .orders import models as order_models  # noqa: F401 - registers the orders' tables
from .orders.views import blueprint as orders_blueprint
from .orders import quote_sections  # noqa: F401 - registers the quote and proofs sections
from .orders import quotes as order_quotes
from .orders.quote_views import blueprint as quotes_blueprint
from .orders.quote_views import public_blueprint as quotes_public_blueprint
from .orders.invoice_documents import pdf_attachment
from .orders.invoice_payable import ORDER_INVOICE_PAYABLE
from .orders.invoice_views import blueprint as invoices_blueprint
from .orders.catalogue_views import blueprint as catalogue_blueprint
from .orders import refund_section  # noqa: F401 - registers the order page's refunds section
from .payments import models as payment_models  # noqa: F401 - registers the payments' tables
from .payments import services as payment_services
from .payments.payables import register_payable
from .payments.refund_views import blueprint as refunds_blueprint
from .payments.views import blueprint as webhooks_blueprint
from .payments.views import payer_blueprint
from .repairs import lookup, tickets
from .scale import seed_scale_command
from . import scale_indexes  # noqa: F401 - declares the indexes for the pages at scale
from .repairs.payable import REPAIR_TICKET_PAYABLE
from .repairs.public_views import blueprint as public_blueprint
from .repairs.views import blueprint as repairs_blueprint
from .retail import models as retail_models  # noqa: F401 - registers the stock tables
from .retail import stock as retail_stock
from .retail.demo import seed_retail_demo
from .retail.till_views import blueprint as till_blueprint
from .retail import views as retail_views
from .retail.views import blueprint as retail_blueprint
from .retail import web_models as retail_web_models  # noqa: F401 - registers the web orders' tables
from .retail import webshop
from .retail import webshop_views
from .retail.webshop_demo import seed_demo_web_orders
from .views import blueprint

outbox_cli = AppGroup("outbox", help="Messages to residents.")
payments_cli = AppGroup("payments", help="Online payments.")
repairs_cli = AppGroup("repairs", help="Repair tickets.")
orders_cli = AppGroup("orders", help="B2B orders.")
invoices_cli = AppGroup("invoices", help="Invoices for orders.")
retail_cli = AppGroup("retail", help="Retail: stock and the webshop.")


@retail_cli.command("release-lapsed")
def release_lapsed():
    """Give back the items of web orders not paid in time (RETAIL_RESERVATION_MINUTES) and of unpaid pick-up
    orders not collected in time (RETAIL_PICKUP_HOLD_DAYS); safe to run again."""
    count = webshop.release_lapsed(db.session.commit)
    db.session.commit()
    click.echo(f"Released {count} web order(s).")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages per run.")
def send_outbox(limit: int):
    """Send pending messages (safe to run again: a message marked sent is never sent again)."""
    sent, not_sent = outbox.send_pending(db.session.commit, limit=limit)
    click.echo(f"Sent {sent} message(s); {not_sent} not sent (will be retried or marked failed).")


@payments_cli.command("reconcile")
@click.option("--older-than-minutes", default=60, show_default=True, type=click.IntRange(1, 60 * 24 * 90),
              help="Only sessions started at least this long ago.")
def reconcile_payments(older_than_minutes: int):
    """Ask Stripe about Checkout Sessions still pending and settle them as the webhook would."""
    outcomes = payment_services.reconcile(db.session.commit, timedelta(minutes=older_than_minutes))
    summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items())) or "nothing pending"
    click.echo(f"Asked Stripe about {sum(outcomes.values())} session(s): {summary}.")


@repairs_cli.command("remind")
def remind_overdue():
    """Queue a pick-up reminder for ready tickets not collected after REPAIRS_PICKUP_DAYS."""
    count = tickets.send_due_reminders()
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")


@orders_cli.command("expire-quotes")
def expire_quotes():
    """Quoted orders whose quote is no longer valid become expired (run daily)."""
    count = order_quotes.expire_quotes()
    db.session.commit()
    click.echo(f"{count} quote(s) expired.")


@invoices_cli.command("remind")
def remind_unpaid_invoices():
    """Queue a reminder for unpaid invoices overdue by INVOICE_REMINDER_DAYS (once per that many days)."""
    count = invoicing.send_reminders()
    db.session.commit()
    click.echo(f"Queued {count} invoice reminder(s).")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.register_blueprint(repairs_blueprint)
    app.register_blueprint(public_blueprint)
    app.register_blueprint(webhooks_blueprint)
    app.register_blueprint(payer_blueprint)
    app.register_blueprint(refunds_blueprint)
    register_payable(REPAIR_TICKET_PAYABLE)
    register_payable(ORDER_INVOICE_PAYABLE)
    app.register_blueprint(invoices_blueprint)
    invoicing.connect_receivers()
    invoice_section.register()
    outbox.register_attachments(pdf_attachment)
    register_mailer(app, outbox.queue_email)  # the core's e-mails (password reset) go through the outbox
    app.register_blueprint(companies_blueprint)
    app.register_blueprint(orders_blueprint)
    app.register_blueprint(quotes_blueprint)
    app.register_blueprint(quotes_public_blueprint)
    fulfilment_views.init_app(app)
    app.register_blueprint(catalogue_blueprint)
    app.register_blueprint(impact_blueprint)
    report_cli.add_command(impact_report)  # `flask report impact`, beside staffing's `report jobcentre`
    app.cli.add_command(outbox_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(repairs_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(invoices_cli)
    app.cli.add_command(seed_scale_command)
    work_order_done.connect(tickets.on_work_order_done)
    app.register_blueprint(retail_blueprint)
    app.register_blueprint(till_blueprint)
    work_order_done.connect(retail_stock.on_work_order_done)
    app.register_blueprint(webshop_views.blueprint)
    app.register_blueprint(webshop_views.order_blueprint)
    app.register_blueprint(webshop_views.workshop_blueprint)
    register_payable(webshop.WEB_ORDER_PAYABLE)
    app.cli.add_command(retail_cli)
    add_nav_link(app, _l("Web orders"), "web_orders.orders", {Role.LEADER, Role.STAFF}, icon="bag", order=63,
                 group="sales")
    add_nav_link(app, _l("Maker consents"), "web_orders.consents", {Role.LEADER}, icon="person-check", order=89,
                 group="setup")
    add_nav_link(app, _l("Till"), "till.index", {Role.LEADER, Role.STAFF}, icon="cash-coin", order=61, group="sales")
    add_nav_link(app, _l("Stock"), "retail.stock_page", {Role.LEADER, Role.STAFF}, icon="boxes", order=62,
                 group="sales")
    add_nav_link(app, _l("Repairs"), "repairs.desk", {Role.LEADER, Role.STAFF}, icon="scissors", order=65, group="sales")
    add_nav_link(app, _l("Orders"), "orders.workshop", {Role.LEADER, Role.STAFF}, icon="box-seam", order=60,
                 group="sales")
    add_nav_link(app, _l("Repair prices"), "shop.repair_prices", {Role.STAFF}, icon="tags", order=70, group="sales")
    # A leader sets these up, so she finds them under Set-up.
    add_nav_link(app, _l("Repair prices"), "shop.repair_prices", {Role.LEADER}, icon="tags", order=84, group="setup")
    add_nav_link(app, _l("Drop-off times"), "repairs.slots", {Role.LEADER}, icon="calendar-week", order=85, group="setup")
    add_nav_link(app, _l("Customers"), "shop.customers", {Role.LEADER}, icon="building", order=86, group="setup")
    add_nav_link(app, _l("Registrations"), "companies.registrations", {Role.LEADER}, icon="person-plus",
                 order=87, group="setup")
    add_nav_link(app, _l("Invoices"), "invoices.index", {Role.LEADER, Role.STAFF}, icon="receipt", order=68,
                 group="sales")
    add_nav_link(app, _l("Invoices"), "invoices.index", {Role.CUSTOMER}, icon="receipt", order=30)
    add_nav_link(app, _l("Catalogue for companies"), "catalogue.setup", {Role.LEADER}, icon="shop", order=88,
                 group="setup")
    add_nav_link(app, _l("Products"), "catalogue.index", {Role.CUSTOMER}, icon="shop", order=20)
    add_nav_link(app, _l("My account"), "shop.account", {Role.CUSTOMER}, icon="person", order=10)
    add_nav_link(app, _l("My orders"), "orders.mine", {Role.CUSTOMER}, icon="box-seam", order=20)
    add_nav_link(app, _l("Our impact"), "impact.company", {Role.CUSTOMER}, icon="bar-chart", order=25)
    add_nav_link(app, _l("My hours"), "impact.mine", {Role.TRAINEE}, icon="clock-history", order=30)
    add_nav_link(app, _l("Impact"), "impact.index", {Role.LEADER, Role.STAFF}, icon="bar-chart", order=69,
                 group="sales")
    set_start_page(app, Role.CUSTOMER, "shop.account")
    api.init_app(app)  # the JSON API over the services above
    add_demo_seeder(app, 30, seed_shop_demo)
    add_demo_seeder(app, 35, seed_retail_demo)
    add_demo_seeder(app, 36, seed_demo_web_orders)
    add_retention_rule(app, "residents' names and phone numbers (repair tickets)", tickets.forget_old_residents)
    add_retention_rule(app, "residents' requests for a code (repair tickets)", lookup.forget_old_lookups)
    add_start_panel(app, "shop/retail/_restock_panel.html", retail_views.restock_panel, {Role.LEADER}, order=40)
