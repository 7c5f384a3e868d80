"""The sections of an order's page (quote, proofs, production, money), each supplied by its own module.

A module registers a section once at import: its template and a function giving the template's
context for an order and the person looking (a company user or the workshop's leader or staff).
The order page renders every section whose context function returns a dict (None hides it), in
`position` order. So the order page never needs to know every module, and each room stays small.
"""
from collections.abc import Callable
from dataclasses import dataclass

from workshop.models import Role, User

from .models import Order


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    #: (order, viewer, for_workshop) -> the template's context, or None to leave the section out.
    context: Callable[[Order, User | None, bool], dict | None]
    position: int


_SECTIONS: dict[str, Section] = {}


def register_section(name: str, template: str, context: Callable[[Order, User | None, bool], dict | None],
                     position: int) -> None:
    _SECTIONS[name] = Section(name, template, context, position)


def sections_for(order: Order, viewer: User | None) -> list[tuple[str, dict]]:
    """(template, context) for each section to show, in order. `for_workshop` is True for leaders and staff."""
    for_workshop = viewer is not None and viewer.role in (Role.LEADER, Role.STAFF)
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda section: section.position):
        context = section.context(order, viewer, for_workshop)
        if context is not None:
            shown.append((section.template, {"order": order, "for_workshop": for_workshop, **context}))
    return shown
