"""The impact figures as tables: one source for the page, its CSV files and `report impact`."""
import json
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from staffing.hours_forms import ACTIVITY_LABELS
from staffing.labels import COURSE_OUTCOME_LABELS
from workshop.money import kroner
from workshop.spreadsheet import spreadsheet_csv

from .progress import STEPS, ProgressFigures
from .services import B2B, OTHER, REPAIRS, RETAIL, Hours, ImpactFigures, ProductWork

KIND_LABELS = {B2B: _l("B2B orders"), REPAIRS: _l("Repairs"), RETAIL: _l("Retail sales"),
               OTHER: _l("Other work orders (internal)")}
#: The ledger's activities, with the logbook's attended days (booked by staffing's logbook).
WORK_LABELS = {**ACTIVITY_LABELS, "logbook": _l("Logbook (days attended)")}
#: Tables with wages in them: leaders only.
WAGE_TABLES = ("wages",)
#: Tables of the progress figures (shown when they were computed).
PROGRESS_TABLES = ("staircase", "courses", "outcomes")
TABLE_NAMES = ("demand", "hours", "apart", "wages", "people", "distribution", "months", "planned", "products",
               *PROGRESS_TABLES)


@dataclass(frozen=True)
class Report:
    """What the page, the CSV files, the annual report and the CLI show: the flow and, for the
    workshop, the progress figures."""

    figures: ImpactFigures
    progress: ProgressFigures | None = None


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


def _month_label(first_day) -> str:
    return first_day.strftime("%Y-%m")


def _hours_row(label, row: Hours) -> tuple:
    return (str(label), hours(row.training_minutes), hours(row.paid_minutes), hours(row.total_minutes))


def demand_table(figures: ImpactFigures) -> Table:
    rows = [(str(KIND_LABELS[row.kind]), row.count, kroner(row.revenue_ore)) for row in figures.demand]
    rows.append((str(_l("Total")), sum(row.count for row in figures.demand), kroner(figures.revenue_ore)))
    return Table("demand", str(_l("Demand")), (str(_l("Kind")), str(_l("Orders, tickets or sales")),
                                               str(_l("Revenue excl. VAT (kr.)"))), rows)


HOURS_HEADER = (_l("Training hours"), _l("Paid hours"), _l("Hours in all"))


def hours_table(figures: ImpactFigures) -> Table:
    """Hours on tasks per kind of demand; the hours not on a task in one line (their own table below)."""
    on_tasks = [_hours_row(_l("On tasks: %(kind)s", kind=KIND_LABELS[row.key]), row) for row in figures.task_hours]
    rows = on_tasks + [_hours_row(_l("On tasks in all"), figures.hours_total(figures.task_hours)),
                       _hours_row(_l("Not on a task (see the next table)"), figures.hours_total(figures.other_hours)),
                       _hours_row(_l("Total"), figures.hours_total(figures.task_hours + figures.other_hours))]
    return Table("hours", str(_l("Hours of work")), (str(_l("Work")), *map(str, HOURS_HEADER)), rows)


def apart_table(figures: ImpactFigures) -> Table:
    """Hours not tied to a task (meetings, Danish lessons, cleaning, logbook days...), per activity."""
    rows = [_hours_row(WORK_LABELS.get(row.key, row.key), row) for row in figures.other_hours]
    if rows:
        rows.append(_hours_row(_l("Total"), figures.hours_total(figures.other_hours)))
    return Table("apart", str(_l("Hours not on a task")), (str(_l("Activity")), *map(str, HOURS_HEADER)), rows)


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


def months_table(figures: ImpactFigures) -> Table:
    rows = [(_month_label(month.first_day), month.women, hours(month.lowest_minutes), hours(month.median_minutes),
             hours(month.highest_minutes), month.gini) for month in figures.months]
    return Table("months", str(_l("The spread of paid hours, month by month")),
                 (str(_l("Month")), str(_l("Women with paid hours")), str(_l("Fewest")), str(_l("Median")),
                  str(_l("Most")), str(_l("Gini"))), rows)


def planned_table(figures: ImpactFigures) -> Table:
    rows = [(_month_label(month.first_day), hours(month.planned_paid_minutes), hours(month.recorded_task_paid_minutes),
             hours(month.recorded_task_paid_minutes - month.planned_paid_minutes)) for month in figures.months]
    planned = sum(month.planned_paid_minutes for month in figures.months)
    recorded = sum(month.recorded_task_paid_minutes for month in figures.months)
    rows.append((str(_l("Total")), hours(planned), hours(recorded), hours(recorded - planned)))
    return Table("planned", str(_l("Paid hours on tasks: planned and recorded")),
                 (str(_l("Month")), str(_l("Planned (accepted week plans)")), str(_l("Recorded (hours ledger)")),
                  str(_l("Recorded less planned"))), rows)


def _product_name(row: ProductWork) -> str:
    locale = get_locale()
    return row.name_en if locale is not None and locale.language == "en" and row.name_en else row.name_da


def products_table(figures: ImpactFigures) -> Table:
    def per_item(row: ProductWork):
        return hours(row.minutes_per_item) if row.minutes_per_item is not None else ""

    def per_hour(row: ProductWork):
        return kroner(row.revenue_ore_per_hour) if row.revenue_ore_per_hour is not None else ""

    rows = [(_product_name(row), row.items_sold, kroner(row.revenue_ore), per_item(row), per_hour(row), row.makers)
            for row in figures.products]
    return Table("products", str(_l("Retail products: the work in each item")),
                 (str(_l("Product")), str(_l("Items sold")), str(_l("Revenue excl. VAT (kr.)")),
                  str(_l("Hours per item")), str(_l("Revenue per hour of work (kr.)")), str(_l("Makers"))), rows)


def staircase_table(progress: ProgressFigures) -> Table:
    rows = [(str(_l("Step %(step)d", step=step)), progress.steps_before[step], progress.steps_now[step])
            for step in STEPS]
    rows.append((str(_l("Total")), sum(progress.steps_before.values()), sum(progress.steps_now.values())))
    return Table("staircase", str(_l("The staircase: women on each step")),
                 (str(_l("Step")), progress.year_earlier.isoformat(), progress.day.isoformat()), rows)


def courses_table(progress: ProgressFigures) -> Table:
    percent = progress.raised_percent
    rows = [(str(_l("Courses ended in the period, with hours")), progress.courses_measured),
            (str(_l("More hours a week at the end than at the start")), progress.courses_raised),
            (str(_l("Share in per cent")), percent if percent is not None else "")]
    return Table("courses", str(_l("Weekly hours raised during courses")), (str(_l("Figure")), str(_l("Value"))), rows)


def outcomes_table(progress: ProgressFigures) -> Table:
    rows = [(str(COURSE_OUTCOME_LABELS[outcome]), count) for outcome, count in progress.outcomes.items()]
    rows.append((str(_l("Total")), sum(progress.outcomes.values())))
    return Table("outcomes", str(_l("Outcomes of courses completed in the period")),
                 (str(_l("Outcome")), str(_l("Courses"))), rows)


FLOW_BUILDERS = {"demand": demand_table, "hours": hours_table, "apart": apart_table, "wages": wages_table, "people": people_table,
                 "distribution": distribution_table, "months": months_table, "planned": planned_table,
                 "products": products_table}
PROGRESS_BUILDERS = {"staircase": staircase_table, "courses": courses_table, "outcomes": outcomes_table}
BUILDERS = (*FLOW_BUILDERS, *PROGRESS_BUILDERS)


def build(report: Report, name: str) -> Table:
    if name in PROGRESS_BUILDERS:
        return PROGRESS_BUILDERS[name](report.progress)
    return FLOW_BUILDERS[name](report.figures)


def tables(report: Report, with_wages: bool) -> list[Table]:
    """The page's tables in order; without wages for staff, without progress when it was not computed."""
    return [build(report, name) for name in TABLE_NAMES
            if (with_wages or name not in WAGE_TABLES) and (report.progress is not None or name not in PROGRESS_TABLES)]


def table_csv(table: Table) -> str:
    """The table as a spreadsheet opens it (as the payroll export)."""
    return spreadsheet_csv(table.header, table.rows)


def _json_cell(value):
    return str(value) if isinstance(value, Decimal) else value


def as_json(report: Report, site_names: list[str], with_wages: bool = True) -> str:
    """The same tables as JSON (decimals as strings with a point)."""
    figures = report.figures
    body = {"sites": site_names, "from": figures.start.isoformat(), "to": figures.end.isoformat(),
            "tables": {table.name: {"title": table.title, "header": list(table.header),
                                    "rows": [[_json_cell(value) for value in row] for row in table.rows]}
                       for table in tables(report, with_wages)}}
    return json.dumps(body, ensure_ascii=False, indent=2)


def as_text(report: Report, site_names: list[str], with_wages: bool = True) -> str:
    """The tables as plain text for a terminal."""
    figures = report.figures
    lines = [f"{', '.join(site_names)}: {figures.start.isoformat()} – {figures.end.isoformat()}"]
    for table in tables(report, with_wages):
        lines += ["", table.title, " | ".join(table.header)]
        lines += [" | ".join(str(value) for value in row) for row in table.rows]
    return "\n".join(lines) + "\n"
