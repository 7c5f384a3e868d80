"""Figures set by Danish rules (frikort cap, internship lengths...) as dated configuration rows.

Rules change (2026-2027 reforms): a new value is a new row with the date it takes
effect, so the history stays and past periods are computed with the figures of their time.
Nothing here is a constant in code: the demo data seeds the rows, a leader adds new ones.
"""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User
from workshop.timeutil import utcnow


class RuleValue(db.Model):
    """One value of a named rule, in force from `effective_from` until a later row replaces it."""

    __tablename__ = "rule_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A key of RULES, e.g. "frikort_yearly_cap".
    name: Mapped[str] = mapped_column(String(60), index=True)
    #: What the value applies to, e.g. a target group; "" for everyone.
    scope: Mapped[str] = mapped_column(String(60), default="")
    value_int: Mapped[int]
    #: "ore", "weeks", "minutes" or "percent" (see RULES).
    unit: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User | None] = relationship()


@dataclass(frozen=True)
class RuleKind:
    label: object  # lazy_gettext string
    unit: str
    #: True when the value can differ per scope (target group).
    scoped: bool = False


FRIKORT_CAP = "frikort_yearly_cap"
MAX_INTERNSHIP_WEEKS = "max_internship_weeks"
FRIKORT_WARNING_PERCENT = "frikort_warning_percent"

#: The rules the app knows. Their values live in rule_values, never here.
RULES: dict[str, RuleKind] = {
    FRIKORT_CAP: RuleKind(_l("Socialt frikort: yearly cap"), "ore"),
    FRIKORT_WARNING_PERCENT: RuleKind(_l("Socialt frikort: warn at share of cap"), "percent"),
    MAX_INTERNSHIP_WEEKS: RuleKind(_l("Maximum internship length"), "weeks", scoped=True),
}

UNIT_LABELS = {
    "ore": _l("DKK"),
    "weeks": _l("weeks"),
    "minutes": _l("minutes"),
    "percent": "%",
}


def rule_value(name: str, day: date, scope: str = "") -> RuleValue | None:
    """The row of rule `name` in force on `day` (latest effective date on or before it).

    A scoped lookup falls back to the general row (scope "") when the scope has none.
    """
    scopes = [scope, ""] if scope else [""]
    for candidate in scopes:
        row = db.session.scalar(
            select(RuleValue)
            .where(RuleValue.name == name, RuleValue.scope == candidate, RuleValue.effective_from <= day)
            .order_by(RuleValue.effective_from.desc(), RuleValue.id.desc())
            .limit(1)
        )
        if row is not None:
            return row
    return None


def add_rule_value(name: str, value_int: int, effective_from: date, actor: User | None,
                   scope: str = "", note: str = "") -> RuleValue:
    """Record a new value from a date. Old rows stay: they hold the history."""
    kind = RULES.get(name)
    if kind is None:
        raise DomainError(_l("Unknown rule."), field="name")
    if value_int < 0:
        raise DomainError(_l("The value cannot be negative."), field="value")
    if kind.unit == "percent" and not 1 <= value_int <= 100:
        raise DomainError(_l("A share must be between 1 and 100 %."), field="value")
    scope = scope.strip() if kind.scoped else ""
    duplicate = db.session.scalar(select(RuleValue.id).where(
        RuleValue.name == name, RuleValue.scope == scope, RuleValue.effective_from == effective_from))
    if duplicate is not None:
        raise DomainError(_l("This rule already has a value from that date. Choose another date."),
                          field="effective_from")
    row = RuleValue(name=name, scope=scope, value_int=value_int, unit=kind.unit, effective_from=effective_from,
                    note=note.strip(), changed_by_id=actor.id if actor is not None else None)
    db.session.add(row)
    db.session.flush()
    return row


def all_rule_values() -> list[RuleValue]:
    """Every row, newest first within each rule: the history a leader sees."""
    return list(db.session.scalars(
        select(RuleValue).order_by(RuleValue.name, RuleValue.scope, RuleValue.effective_from.desc(), RuleValue.id.desc())
    ))


def ensure_rule_value(name: str, value_int: int, effective_from: date, scope: str = "", note: str = "") -> None:
    """For demo data: add the row unless one exists for that rule, scope and date."""
    exists = db.session.scalar(select(RuleValue.id).where(
        RuleValue.name == name, RuleValue.scope == scope, RuleValue.effective_from == effective_from))
    if exists is None:
        add_rule_value(name, value_int, effective_from, None, scope, note)
