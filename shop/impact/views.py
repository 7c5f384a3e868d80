"""The impact page for leaders (with wages) and staff (without), its chart and its CSV files."""
from decimal import Decimal

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from workshop.models import Role, User
from workshop.security import role_required
from workshop.timeutil import local_today

from . import chart
from .forms import PeriodForm
from .services import ImpactFigures, impact_figures
from .tables import BUILDERS, WAGE_TABLES, table_csv, tables

blueprint = Blueprint("impact", __name__, url_prefix="/impact")


@blueprint.app_template_filter("impact_cell")
def impact_cell(value) -> str:
    """A table cell in the reader's language: decimals with her decimal sign, counts as they are."""
    if isinstance(value, Decimal):
        places = max(-value.as_tuple().exponent, 0)
        return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")
    return str(value)


def sees_wages(user: User) -> bool:
    return user.role == Role.LEADER


def site_ids_of(user: User) -> list[int]:
    """The sites a leader or staff member sees: her own (a user belongs to one site today)."""
    return [user.site_id] if user.site_id is not None else []


def _figures() -> tuple[PeriodForm, ImpactFigures | None]:
    """The period from the address and its figures; None (and the form's errors) when the period is wrong."""
    form = PeriodForm(request.args)
    if not form.validate():
        return form, None
    start, end = form.bounds(local_today())
    return form, impact_figures(site_ids_of(current_user), start, end)


def _period_query() -> dict[str, str]:
    """The period fields of the address, for the CSV links (nothing else is passed on)."""
    return {name: request.args[name] for name in ("period", "day", "start", "end") if name in request.args}


@blueprint.route("/")
@role_required(Role.LEADER, Role.STAFF)
def index():
    if not request.args:
        form = PeriodForm(formdata=None, day=local_today())
        start, end = form.bounds(local_today())
        figures = impact_figures(site_ids_of(current_user), start, end)
    else:
        form, figures = _figures()
    if figures is None:
        return render_template("shop/impact/index.html", form=form, figures=None, tables=[]), 400
    with_wages = sees_wages(current_user)
    return render_template("shop/impact/index.html", form=form, figures=figures, tables=tables(figures, with_wages),
                           with_wages=with_wages, has_chart=bool(figures.paid_minutes), query=_period_query())


@blueprint.route("/chart.svg")
@role_required(Role.LEADER, Role.STAFF)
def chart_image():
    """The chart as an image of its own: pygal's SVG carries inline style and script, which the page's
    Content-Security-Policy refuses, while an image is drawn without running anything."""
    form, figures = _figures()
    if figures is None:
        return Response(_("Choose a valid period."), status=400, mimetype="text/plain")
    return Response(chart.distribution_svg(figures), mimetype="image/svg+xml")


@blueprint.route("/<name>.csv")
@role_required(Role.LEADER, Role.STAFF)
def table_download(name: str):
    if name not in BUILDERS:
        abort(404)
    if name in WAGE_TABLES and not sees_wages(current_user):
        abort(403)
    form, figures = _figures()
    if figures is None:
        return Response(_("Choose a valid period."), status=400, mimetype="text/plain")
    filename = f"impact-{name}-{figures.start.isoformat()}-{figures.end.isoformat()}.csv"
    return Response(table_csv(BUILDERS[name](figures)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
