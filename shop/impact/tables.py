"""The impact figures as tables: one source for the page, its CSV files and `report impact`."""
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from staffing.hours_forms import ACTIVITY_LABELS
from workshop.money import kroner
from workshop.spreadsheet import csv_writer

from .services import B2B, OTHER, REPAIRS, Hours, ImpactFigures

KIND_LABELS = {B2B: _l("B2B orders"), REPAIRS: _l("Repairs"), OTHER: _l("Other work orders (stock, internal)")}
#: Tables with wages in them: leaders only.
WAGE_TABLES = ("wages",)
TABLE_NAMES = ("demand", "hours", "wages", "people", "distribution")


@dataclass(frozen=True)
class Table:
    """A titled table; cells are str, int or Decimal (hours and kroner with two decimals)."""

    name: str
    title: str
    header: tuple
    rows: list[tuple]


def hours(minutes: int | Decimal) -> Decimal:
    """Minutes as hours with two decimals (90 -> 1.50)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _hours_row(label, row: Hours) -> tuple:
    return (str(label), hours(row.training_minutes), hours(row.paid_minutes), hours(row.total_minutes))


def demand_table(figures: ImpactFigures) -> Table:
    rows = [(str(KIND_LABELS[row.kind]), row.count, kroner(row.revenue_ore)) for row in figures.demand]
    rows.append((str(_l("Total")), sum(row.count for row in figures.demand), kroner(figures.revenue_ore)))
    return Table("demand", str(_l("Demand")), (str(_l("Kind")), str(_l("Orders or tickets")),
                                               str(_l("Revenue excl. VAT (kr.)"))), rows)


def hours_table(figures: ImpactFigures) -> Table:
    on_tasks = [_hours_row(_l("On tasks: %(kind)s", kind=KIND_LABELS[row.key]), row) for row in figures.task_hours]
    untied = [_hours_row(_l("Not on a task: %(activity)s", activity=ACTIVITY_LABELS.get(row.key, row.key)), row)
              for row in figures.other_hours]
    total = figures.hours_total(figures.task_hours + figures.other_hours)
    return Table("hours", str(_l("Hours of work")),
                 (str(_l("Work")), str(_l("Training hours")), str(_l("Paid hours")), str(_l("Hours in all"))),
                 on_tasks + untied + [_hours_row(_l("Total"), total)])


def wages_table(figures: ImpactFigures) -> Table:
    share = figures.wage_share
    rows = [(str(_l("Wages for paid hours (kr.)")), kroner(figures.wages_ore)),
            (str(_l("Revenue excl. VAT (kr.)")), kroner(figures.revenue_ore)),
            (str(_l("Wages per 100 kr. of revenue (kr.)")), share if share is not None else "")]
    return Table("wages", str(_l("Wages")), (str(_l("Figure")), str(_l("Value"))), rows)


def people_table(figures: ImpactFigures) -> Table:
    rows = [(str(_l("Women with paid hours")), figures.women),
            (str(_l("Fewest paid hours for one woman")), hours(figures.lowest_minutes)),
            (str(_l("Median paid hours")), hours(figures.median_minutes)),
            (str(_l("Most paid hours for one woman")), hours(figures.highest_minutes)),
            (str(_l("Gini coefficient (0 = equal, 1 = one woman has all)")), figures.gini)]
    return Table("people", str(_l("How the paid hours were spread")), (str(_l("Figure")), str(_l("Value"))), rows)


def distribution_table(figures: ImpactFigures) -> Table:
    rows = [(rank, hours(minutes)) for rank, minutes in enumerate(figures.paid_minutes, start=1)]
    return Table("distribution", str(_l("Paid hours per woman, fewest first")),
                 (str(_l("Woman no.")), str(_l("Paid hours"))), rows)


BUILDERS = {"demand": demand_table, "hours": hours_table, "wages": wages_table, "people": people_table,
            "distribution": distribution_table}


def tables(figures: ImpactFigures, with_wages: bool) -> list[Table]:
    """The page's tables in order; without wages for staff."""
    return [BUILDERS[name](figures) for name in TABLE_NAMES if with_wages or name not in WAGE_TABLES]


def _csv_cell(value):
    """Decimals with a comma (1,50); everything else as it is."""
    return str(value).replace(".", ",") if isinstance(value, Decimal) else value


def table_csv(table: Table) -> str:
    """Semicolon separated, comma decimals, with a byte order mark (as the payroll export)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def _json_cell(value):
    return str(value) if isinstance(value, Decimal) else value


def as_json(figures: ImpactFigures, site_names: list[str], with_wages: bool = True) -> str:
    """The same tables as JSON (decimals as strings with a point)."""
    body = {"sites": site_names, "from": figures.start.isoformat(), "to": figures.end.isoformat(),
            "tables": {table.name: {"title": table.title, "header": list(table.header),
                                    "rows": [[_json_cell(value) for value in row] for row in table.rows]}
                       for table in tables(figures, with_wages)}}
    return json.dumps(body, ensure_ascii=False, indent=2)


def as_text(figures: ImpactFigures, site_names: list[str], with_wages: bool = True) -> str:
    """The tables as plain text for a terminal."""
    lines = [f"{', '.join(site_names)}: {figures.start.isoformat()} – {figures.end.isoformat()}"]
    for table in tables(figures, with_wages):
        lines += ["", table.title, " | ".join(table.header)]
        lines += [" | ".join(str(value) for value in row) for row in table.rows]
    return "\n".join(lines) + "\n"
