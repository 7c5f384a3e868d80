"""`flask --app workshop report jobcentre --site SITE --year YEAR [--json]`."""
import json

import click
from flask.cli import with_appcontext

from workshop import services as core
from workshop.errors import DomainError

from .reports import year_statistics


@click.group("report")
def report():
    """Reports from the workshop's records."""


@report.command("jobcentre")
@click.option("--site", "site_slug", required=True, help="Site slug, e.g. gladsaxe.")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_appcontext
def jobcentre(site_slug: str, year: int, as_json: bool):
    """The year's statistics table for the job centre."""
    try:
        site = core.get_site(site_slug)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    stats = year_statistics(site, year)
    if as_json:
        click.echo(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{site.name} – {year}")
    rows = [(str(label), value) for label, value in stats.rows()]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        click.echo(f"{label:<{width}}  {value:>12}")
