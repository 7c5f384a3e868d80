"""The impact pages: the flow for leaders (with wages) and staff (without), its charts, CSV files and
A4 annual report; the company's yearly summary for a customer; the public page of a site that opted in."""
from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from staffing.services import person_for_user
from workshop.extensions import db
from workshop.forms import EmptyForm
from workshop.i18n import memoized_per_locale
from workshop.models import Role, Site, User
from workshop.security import role_required
from workshop.services import sites_led_by
from workshop.timeutil import local_today
from workshop.downloads import download

from ..companies.services import company_of
from . import chart, public
from .forms import PeriodForm
from .models import ImpactPublication  # noqa: F401 - registers the table
from .progress import progress_figures as progress_for
from .services import impact_figures, own_hours, period_bounds
from .statements import company_year
from .tables import BUILDERS, KIND_LABELS, WAGE_TABLES, Report, build, table_csv, tables

blueprint = Blueprint("impact", __name__, url_prefix="/impact")
#: No login: /impact/public/<slug> (nested, so the shop registers one blueprint).
public_blueprint = Blueprint("public_page", __name__, url_prefix="/public")


@blueprint.app_template_filter("impact_cell")
def impact_cell(value) -> str:
    """A table cell in the reader's language: decimals with her decimal sign, counts as they are."""
    if isinstance(value, Decimal):
        return _decimal_cell(str(value))  # by its text: 1.0 and 1.00 are equal but shown differently
    return str(value)


@memoized_per_locale
def _decimal_cell(text: str) -> str:
    value = Decimal(text)
    places = max(-value.as_tuple().exponent, 0)
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def sees_wages(user: User) -> bool:
    return user.role == Role.LEADER


def sites_of(user: User) -> list[Site]:
    """The sites a leader or staff member sees: every site a leader leads (her own first), a staff member's own."""
    if user.role == Role.LEADER:
        return sites_led_by(user)
    return [user.site] if user.site is not None else []


def chosen_sites(user: User, sites: list[Site] | None = None) -> list[Site]:
    """The sites of `?site=` (a slug among hers, or "all"); her first site when none is chosen.
    `sites`: hers, when the caller has already read them."""
    sites = sites_of(user) if sites is None else sites
    wanted = request.args.get("site", "")
    if wanted == "all":
        return sites
    chosen = [site for site in sites if site.slug == wanted]
    return chosen or sites[:1]


def _report(with_progress: bool = True, chosen: list[Site] | None = None) -> tuple[PeriodForm, Report | None]:
    """The period from the address and its figures for the chosen sites (read again when not given);
    None (and the form's errors) when the period is wrong."""
    form = PeriodForm(request.args) if request.args else PeriodForm(formdata=None, day=local_today())
    if request.args and not form.validate():
        return form, None
    start, end = form.bounds(local_today())
    site_ids = [site.id for site in (chosen_sites(current_user) if chosen is None else chosen)]
    progress = progress_for(site_ids, start, end, local_today()) if with_progress else None
    return form, Report(impact_figures(site_ids, start, end), progress)


def _query() -> dict[str, str]:
    """The period and site fields of the address, for the CSV and chart links (nothing else is passed on)."""
    return {name: request.args[name] for name in ("period", "day", "start", "end", "site") if name in request.args}


@blueprint.route("/")
@role_required(Role.LEADER, Role.STAFF)
def index():
    sites = sites_of(current_user)
    chosen = chosen_sites(current_user, sites)
    form, report = _report(chosen=chosen)
    if report is None:
        return render_template("shop/impact/index.html", form=form, report=None, tables=[], sites=sites,
                               chosen=chosen), 400
    with_wages = sees_wages(current_user)
    return render_template(
        "shop/impact/index.html", form=form, report=report, figures=report.figures,
        tables=tables(report, with_wages), with_wages=with_wages, has_chart=bool(report.figures.paid_minutes),
        query=_query(), sites=sites, chosen=chosen,
        published=current_user.site is not None and public.is_published(current_user.site_id),
        publish_form=EmptyForm() if with_wages and chosen == [current_user.site] else None)


def _chart(draw) -> Response:
    """A chart as an image of its own: pygal's SVG carries inline style and script, which the page's
    Content-Security-Policy refuses, while an image is drawn without running anything."""
    _form, report = _report(with_progress=False)
    if report is None:
        return Response(_("Choose a valid period."), status=400, mimetype="text/plain")
    return Response(draw(report.figures), mimetype="image/svg+xml")


@blueprint.route("/chart.svg")
@role_required(Role.LEADER, Role.STAFF)
def chart_image():
    return _chart(chart.distribution_svg)


@blueprint.route("/chart-months.svg")
@role_required(Role.LEADER, Role.STAFF)
def months_chart():
    return _chart(chart.months_svg)


@blueprint.route("/<name>.csv")
@role_required(Role.LEADER, Role.STAFF)
def table_download(name: str):
    if name not in BUILDERS:
        abort(404)
    if name in WAGE_TABLES and not sees_wages(current_user):
        abort(403)
    _form, report = _report()
    if report is None:
        return Response(_("Choose a valid period."), status=400, mimetype="text/plain")
    figures = report.figures
    filename = f"impact-{name}-{figures.start.isoformat()}-{figures.end.isoformat()}.csv"
    return download(table_csv(build(report, name)), filename)


def _year() -> int:
    """`?year=` between 2000 and 2100, this year when left out; a 400 otherwise."""
    text = request.args.get("year", "")
    if not text:
        return local_today().year
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        abort(400, _("Choose a year between 2000 and 2100."))
    return int(text)


@blueprint.route("/annual")
@role_required(Role.LEADER)
def annual():
    """The A4 annual report of her site: every table of the year, ready to print."""
    year = _year()
    start, end = period_bounds("year", date(year, 1, 1))
    sites = chosen_sites(current_user)
    site_ids = [site.id for site in sites]
    report = Report(impact_figures(site_ids, start, end), progress_for(site_ids, start, end, local_today()))
    return render_template("shop/impact/annual.html", year=year, report=report, tables=tables(report, True),
                           sites=sites, site_query=request.args.get("site"))


@blueprint.route("/publication", methods=["POST"])
@role_required(Role.LEADER)
def publication():
    """A leader opts her site in to (or out of) the public impact page."""
    form = EmptyForm()
    if not form.validate_on_submit() or current_user.site is None:
        abort(400)
    published = request.form.get("publish") == "1"
    public.set_published(current_user.site, current_user, published)
    db.session.commit()
    flash(_("The public impact page is on.") if published else _("The public impact page is off."), "success")
    return redirect(url_for("impact.index"))


@blueprint.route("/company")
@role_required(Role.CUSTOMER)
def company():
    """The customer's yearly summary: the hours her company's orders created (counts, no names, no wages)."""
    customer = company_of(current_user)
    if customer is None:
        abort(404)
    year = _year()
    return render_template("shop/impact/company.html", customer=customer, summary=company_year(customer.id, year),
                           year=year)


@blueprint.route("/mine")
@role_required(Role.TRAINEE)
def mine():
    """A trainee's own hours, month by month: hers only, never anybody else's."""
    person = person_for_user(current_user)
    year = _year()
    return render_template("shop/impact/mine.html", year=year,
                           months=own_hours(person.id, year) if person is not None else [])


@public_blueprint.route("/<slug>")
def site_page(slug: str):
    """A site's public impact page (no login): the year's aggregate figures, small counts hidden."""
    site = public.published_site(slug)
    if site is None:
        abort(404)
    year = _year()
    return render_template("shop/impact/public.html", page=public.public_figures(site, year), slug=slug,
                           kind_labels=KIND_LABELS)


blueprint.register_blueprint(public_blueprint)
