"""The paid-hours distribution as a server-side SVG bar chart (pygal, no script, readable in grey)."""
import pygal
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from .services import ImpactFigures
from .tables import hours

#: Dark bars on white: readable in print and in grey.
GREY_STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#212529",
                   foreground_strong="#212529", foreground_subtle="#6c757d", colors=("#343a40",),
                   font_family="system-ui, sans-serif")


def distribution_svg(figures: ImpactFigures) -> Markup:
    """An <svg> document of the paid hours per woman, fewest first; empty when nobody had paid hours."""
    if not figures.paid_minutes:
        return Markup("")
    chart = pygal.Bar(js=[], style=GREY_STYLE, show_legend=False, width=640, height=320,
                      explicit_size=False, x_title=_("Woman no."),
                      y_title=_("Paid hours"), print_values=False, show_x_labels=len(figures.paid_minutes) <= 40)
    chart.x_labels = [str(rank) for rank in range(1, len(figures.paid_minutes) + 1)]
    chart.add(_("Paid hours"), [float(hours(minutes)) for minutes in figures.paid_minutes])
    return Markup(chart.render(is_unicode=True))
