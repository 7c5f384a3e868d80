"""What the domain packages tell the core about themselves at start-up.

The core never imports the packages above it; instead each package's
`init_app(app)` registers its navigation links, start pages and demo data here.
"""
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask

from flask_babel import lazy_gettext as _l

from .models import Role

#: Menu groups, shown as drop-downs in the top bar (key -> label), in this order.
NAV_GROUPS = {
    "people": _l("People and hours"),
    "production": _l("Production"),
    "sales": _l("Sales and repairs"),
    #: What a leader sets up once and changes now and then: her workshop, skills, price lists...
    "setup": _l("Set-up"),
}


@dataclass(frozen=True)
class NavLink:
    label: str  # a lazy_gettext string
    endpoint: str
    roles: frozenset[Role]
    icon: str = "circle"
    order: int = 50
    #: A key of NAV_GROUPS, or None for a top-level link.
    group: str | None = None


@dataclass
class Registry:
    nav_links: list[NavLink] = field(default_factory=list)
    #: The page a role lands on after login.
    start_pages: dict[Role, str] = field(default_factory=dict)
    #: (order, seeder) pairs; seeders must be idempotent.
    demo_seeders: list[tuple[int, Callable[[], None]]] = field(default_factory=list)
    #: (kind of data, function(now) -> how many removed) for `flask retention run`; each is idempotent.
    retention_rules: list[tuple[str, Callable]] = field(default_factory=list)
    #: Panels other packages add to the start page of leaders and staff.
    start_panels: list["StartPanel"] = field(default_factory=list)


@dataclass(frozen=True)
class StartPanel:
    """A section of the start page: its template, drawn with what `context(user)` gives (None: not shown)."""

    template: str
    context: Callable
    roles: frozenset[Role]
    order: int = 50


def get_registry(app: Flask) -> Registry:
    return app.extensions.setdefault("stitchwork", Registry())


def add_nav_link(
    app: Flask, label, endpoint: str, roles, icon: str = "circle", order: int = 50, group: str | None = None
):
    if group is not None and group not in NAV_GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    get_registry(app).nav_links.append(NavLink(label, endpoint, frozenset(roles), icon, order, group))


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: list[NavLink]


def menu_for(app: Flask, role: Role) -> list[NavLink | NavGroup]:
    """The top bar for a role: links in order; a group with one visible link stays a plain link."""
    links = sorted((link for link in get_registry(app).nav_links if role in link.roles), key=lambda link: link.order)
    grouped: dict[str, list[NavLink]] = {}
    for link in links:
        if link.group:
            grouped.setdefault(link.group, []).append(link)
    menu, placed = [], set()
    for link in links:
        members = grouped.get(link.group) if link.group else None
        if not members or len(members) == 1:
            menu.append(link)
        elif link.group not in placed:
            placed.add(link.group)
            menu.append(NavGroup(NAV_GROUPS[link.group], members))
    return menu


def set_start_page(app: Flask, role: Role, endpoint: str) -> None:
    get_registry(app).start_pages[role] = endpoint


def add_demo_seeder(app: Flask, order: int, seeder: Callable[[], None]) -> None:
    get_registry(app).demo_seeders.append((order, seeder))


def add_start_panel(app: Flask, template: str, context: Callable, roles, order: int = 50) -> None:
    get_registry(app).start_panels.append(StartPanel(template, context, frozenset(roles), order))


def start_panels_for(app: Flask, user) -> list[tuple[str, dict]]:
    """(template, context) of the start page's extra panels this user sees, in order."""
    panels = sorted((panel for panel in get_registry(app).start_panels if user.role in panel.roles),
                    key=lambda panel: panel.order)
    shown = [(panel.template, panel.context(user)) for panel in panels]
    return [(template, context) for template, context in shown if context is not None]


def add_retention_rule(app: Flask, kind: str, apply: Callable) -> None:
    """A kind of personal data removed after its time: `apply(now)` removes what is due and says how much."""
    get_registry(app).retention_rules.append((kind, apply))
