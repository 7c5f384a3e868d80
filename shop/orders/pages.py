"""The sections of an order's page (quote, proofs, production, money), each supplied by its own module.

A module registers a section once at import: its template and a function giving the template's
context for an order and the person looking (a company user or the workshop's leader or staff).
The order page renders every section whose context function returns a dict (None hides it), in
`position` order. So the order page never needs to know every module, and each room stays small.

How a section is rendered (`orders.views`): the view renders each section's template on its own,
`render_template(template, **context)`, and the page inserts the HTML in order. So a section
template is a fragment (it does not extend base.html) that receives its context dict's keys as
variables, always including `order` and `for_workshop`, plus `current_user`, `url_for`, `_` and the
filters (`money`, `localdate`, `localtime`) as in any template. Start it with an `<h2>` inside a
`<section>`: the page's own headings are h1 and h2. Forms in a section post to its own module's routes.
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
