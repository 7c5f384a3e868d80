"""Server-side SVG charts (pygal, `js=[]`: no script from elsewhere), readable in print and in grey.

Each chart has its numbers in a table beside it on the page (`tables.py`)."""
import pygal
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from .services import ImpactFigures
from .tables import hours

#: Dark lines and bars on white: readable in print and in grey (shades, not colours, tell series apart).
GREY_STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#212529",
                   foreground_strong="#212529", foreground_subtle="#6c757d",
                   colors=("#343a40", "#6c757d", "#adb5bd"), font_family="system-ui, sans-serif")


def _options(**extra) -> dict:
    return {"js": [], "style": GREY_STYLE, "width": 640, "height": 320, "explicit_size": False, **extra}


def distribution_svg(figures: ImpactFigures) -> Markup:
    """An <svg> document of the paid hours per woman, fewest first; empty when nobody had paid hours."""
    if not figures.paid_minutes:
        return Markup("")
    chart = pygal.Bar(**_options(show_legend=False, x_title=_("Woman no."), y_title=_("Paid hours"),
                                 print_values=False, show_x_labels=len(figures.paid_minutes) <= 40))
    chart.x_labels = [str(rank) for rank in range(1, len(figures.paid_minutes) + 1)]
    chart.add(_("Paid hours"), [float(hours(minutes)) for minutes in figures.paid_minutes])
    return Markup(chart.render(is_unicode=True))


def months_svg(figures: ImpactFigures) -> Markup:
    """Fewest, median and most paid hours for one woman, month by month (dashes tell the lines apart)."""
    chart = pygal.Line(**_options(x_title=_("Month"), y_title=_("Paid hours"), legend_at_bottom=True,
                                  x_label_rotation=30, show_minor_x_labels=len(figures.months) <= 24))
    chart.x_labels = [month.first_day.strftime("%Y-%m") for month in figures.months]
    chart.add(_("Most"), [float(hours(month.highest_minutes)) for month in figures.months])
    chart.add(_("Median"), [float(hours(month.median_minutes)) for month in figures.months],
              stroke_style={"dasharray": "6, 3"})
    chart.add(_("Fewest"), [float(hours(month.lowest_minutes)) for month in figures.months],
              stroke_style={"dasharray": "2, 3"})
    return Markup(chart.render(is_unicode=True))

