"""`flask --app workshop report impact --site SITE [--site SITE ...] --from DATE --to DATE [--json]`.

The command joins staffing's `report` group (shop may import staffing; staffing never learns of shop).
"""
from datetime import date

import click
from flask.cli import with_appcontext

from workshop import services as core
from workshop.errors import DomainError
from workshop.timeutil import local_today

from .progress import progress_figures
from .services import MAX_PERIOD_DAYS, impact_figures
from .tables import Report, as_json, as_text


def _iso_date(_context, _parameter, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("write the date as YYYY-MM-DD") from error
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise click.BadParameter("choose a date between 2000 and 2100")
    return day


@click.command("impact")
@click.option("--site", "site_slugs", required=True, multiple=True,
              help="Site slug, e.g. gladsaxe; give it again to sum several sites, as the page's \"All my sites\".")
@click.option("--from", "start", required=True, callback=_iso_date, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, callback=_iso_date, help="Last day, YYYY-MM-DD.")
@click.option("--json", "as_json_output", is_flag=True, help="Print JSON instead of tables.")
@with_appcontext
def impact(site_slugs: tuple[str, ...], start: date, end: date, as_json_output: bool):
    """The impact page's figures (with wages) for a site, or several together, and a period."""
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        raise click.BadParameter("--to must be on or after --from, at most ten years later")
    try:
        sites = [core.get_site(slug) for slug in dict.fromkeys(site_slugs)]
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    site_ids = [site.id for site in sites]
    report = Report(impact_figures(site_ids, start, end), progress_figures(site_ids, start, end, local_today()))
    click.echo((as_json if as_json_output else as_text)(report, [site.name for site in sites]), nl=False)
