"""Command line: `flask --app workshop seed-demo`, `create-site`, `create-user`, `users lead-site`."""
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import backup, services
from .errors import DomainError
from .extensions import db
from .models import Role
from .timeutil import utcnow
from .registry import add_demo_seeder, add_retention_rule, get_registry

#: The demo logins; printed by `make run` and listed in the README.
DEMO_PASSWORD = "stitchwork-demo"
DEMO_SITES = (
    ("ishoj", "I Tråd Med Verden – Ishøj", 20, "Ishøj Bycenter, 2635 Ishøj"),
    ("gladsaxe", "I Tråd Med Verden – Høje Gladsaxe", 15, "Høje Gladsaxe Torv, 2860 Søborg"),
)
DEMO_USERS = (
    ("leder@ishoj.example", "Mette Lind (leder)", Role.LEADER, "ishoj"),
    ("leder@gladsaxe.example", "Hanne Berg (leder)", Role.LEADER, "gladsaxe"),
    ("personale@ishoj.example", "Jonas Holm (værkstedsassistent)", Role.STAFF, "ishoj"),
    ("kunde@tekstilservice.example", "Lise Kragh (Tekstilservice Nord A/S)", Role.CUSTOMER, None),
)
#: Ishøj's leader leads Høje Gladsaxe too: her impact page offers both sites and "All my sites".
DEMO_ALSO_LEADS = (("leder@ishoj.example", "gladsaxe"),)


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_site)
    app.cli.add_command(create_user)
    app.cli.add_command(users)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention)
    add_demo_seeder(app, 0, seed_core_demo)
    add_retention_rule(app, "audit log entries", services.forget_old_audit_entries)


def seed_core_demo() -> None:
    sites = {slug: services.ensure_site(slug, name, capacity, address) for slug, name, capacity, address in DEMO_SITES}
    for email, name, role, slug in DEMO_USERS:
        services.ensure_user(email, name, DEMO_PASSWORD, role, sites.get(slug))
    for email, slug in DEMO_ALSO_LEADS:
        leader = services.find_user_by_email(email)
        if sites[slug] not in services.sites_led_by(leader):
            services.grant_also_leads(leader, sites[slug])


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load the demo data. Safe to run again: nothing is doubled."""
    for _order, seeder in sorted(get_registry(current_app).demo_seeders, key=lambda pair: pair[0]):
        seeder()
        db.session.flush()
    db.session.commit()
    click.echo("Demo data is loaded. Logins (password for all: %s):" % DEMO_PASSWORD)
    for email, role in services.demo_login_summary():
        click.echo(f"  {role:<9} {email}")


@click.command("create-site")
@click.option("--slug", prompt=True, help="Short name in URLs and ticket numbers, e.g. ishoj (cannot be changed).")
@click.option("--name", prompt=True, help="The workshop's name, e.g. \"I Tråd Med Verden – Ishøj\".")
@click.option("--capacity", prompt=True, help="Course places agreed with the job centre, e.g. 15.")
@click.option("--address", default="", help="Street address, shown to residents.")
@with_appcontext
def create_site(slug, name, capacity, address):
    """Create a workshop (site); then create its first leader with create-user."""
    try:
        site = services.create_site(slug, name, capacity, address)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created the site {site.slug} ({site.name}). Next: flask --app workshop create-user "
               f"--role leader --site {site.slug}")


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), prompt=True)
@click.option("--site", "site_slug", default="", help="Site slug, e.g. ishoj (not needed for customers).")
@click.password_option()
@with_appcontext
def create_user(email, name, role, site_slug, password):
    """Create a login."""
    try:
        site = services.get_site(site_slug) if site_slug else None
        user = services.create_user(email, name, password, Role(role), site)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.group("users")
def users():
    """Logins: which workshops a leader leads."""


@users.command("lead-site")
@click.argument("email")
@click.argument("site_slug")
@click.option("--withdraw", is_flag=True, help="She no longer leads the site.")
@with_appcontext
def lead_site(email, site_slug, withdraw):
    """The leader EMAIL also leads SITE_SLUG besides her own workshop (sees its impact figures), or no longer does."""
    try:
        user = services.find_user_by_email(email)
        if user is None:
            raise DomainError(f"No login has the e-mail {email}.")
        site = services.get_site(site_slug)
        (services.withdraw_also_leads if withdraw else services.grant_also_leads)(user, site)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{user.email} leads: " + ", ".join(site.slug for site in services.sites_led_by(user)) + ".")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target):
    """Copy the whole database to TARGET (SQLite: online backup; PostgreSQL: pg_dump custom format)."""
    try:
        backup.backup(target)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"The database is copied to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
@with_appcontext
def restore_command(source, force):
    """Replace the database with the backup in SOURCE, then check it (integrity, schema, rows per table)."""
    try:
        result = backup.restore(source, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    for name, count in result.row_counts.items():
        click.echo(f"  {name:<32} {count:>9}")
    if result.problems:
        raise click.ClickException("The restored database has problems:\n" + "\n".join(result.problems))
    click.echo(f"Restored from {source}; the check found nothing wrong.")


@click.group("retention")
def retention():
    """Personal data kept no longer than its time (RETENTION_* settings)."""


@retention.command("run")
@with_appcontext
def retention_run():
    """Remove what is past its time, kind by kind; safe to run again (nightly)."""
    now = utcnow()
    for kind, apply in get_registry(current_app).retention_rules:
        click.echo(f"{kind}: {apply(now)} removed")
    db.session.commit()
