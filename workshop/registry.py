"""What the domain packages tell the core about themselves at start-up.

The core never imports the packages above it; instead each package's
`init_app(app)` registers its navigation links, start pages and demo data here.
"""
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask

from .models import Role


@dataclass(frozen=True)
class NavLink:
    label: str  # a lazy_gettext string
    endpoint: str
    roles: frozenset[Role]
    icon: str = "circle"
    order: int = 50


@dataclass
class Registry:
    nav_links: list[NavLink] = field(default_factory=list)
    #: The page a role lands on after login.
    start_pages: dict[Role, str] = field(default_factory=dict)
    #: (order, seeder) pairs; seeders must be idempotent.
    demo_seeders: list[tuple[int, Callable[[], None]]] = field(default_factory=list)


def get_registry(app: Flask) -> Registry:
    return app.extensions.setdefault("stitchwork", Registry())


def add_nav_link(app: Flask, label, endpoint: str, roles, icon: str = "circle", order: int = 50):
    link = NavLink(label, endpoint, frozenset(roles), icon, order)
    get_registry(app).nav_links.append(link)


def set_start_page(app: Flask, role: Role, endpoint: str) -> None:
    get_registry(app).start_pages[role] = endpoint


def add_demo_seeder(app: Flask, order: int, seeder: Callable[[], None]) -> None:
    get_registry(app).demo_seeders.append((order, seeder))
