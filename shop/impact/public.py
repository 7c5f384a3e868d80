"""The public impact page of a site that opted in: aggregate figures only, small counts hidden, cached.

Any count of people under `SMALL_COUNT` is shown as "fewer than 3", so nobody can be singled out; the
spread of hours per woman (lowest, median, highest) is left out when fewer than 3 women had paid hours.
"""
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from workshop import services as core
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site, User

from .models import ImpactPublication
from .services import ImpactFigures, impact_figures, period_bounds

#: Counts of people below this are never shown exactly.
SMALL_COUNT = 3
#: Seconds a public page's figures are reused before they are computed again.
CACHE_SECONDS = 300
_cache: dict[tuple[int, int], tuple[float, "PublicFigures"]] = {}


def is_published(site_id: int) -> bool:
    return db.session.get(ImpactPublication, site_id) is not None


def set_published(site: Site, actor: User, published: bool) -> None:
    """A leader opts her site in or out (flushes; the caller commits)."""
    row = db.session.get(ImpactPublication, site.id)
    if published and row is None:
        db.session.add(ImpactPublication(site_id=site.id, published_by_id=actor.id))
    elif not published and row is not None:
        db.session.delete(row)
    db.session.flush()
    clear_cache()


def clear_cache() -> None:
    _cache.clear()


def people_count(count: int) -> int | None:
    """The count, or None for "fewer than 3" (0 stays 0: nobody to single out)."""
    return None if 0 < count < SMALL_COUNT else count


@dataclass(frozen=True)
class PublicFigures:
    site_name: str
    year: int
    figures: ImpactFigures

    @property
    def women(self) -> int | None:
        return people_count(self.figures.women)

    @property
    def shows_spread(self) -> bool:
        return self.figures.women >= SMALL_COUNT


def published_site(slug: str) -> Site | None:
    """The site with this slug if it opted in; None otherwise (the page is then not found)."""
    try:
        site = core.get_site(slug)
    except DomainError:
        return None
    return site if is_published(site.id) else None


def public_figures(site: Site, year: int) -> PublicFigures:
    """The year's figures of a published site, reused for `CACHE_SECONDS` (keyed by site and year)."""
    key = (site.id, year)
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    start, end = period_bounds("year", date(year, 1, 1))
    result = PublicFigures(site.name, year, impact_figures([site.id], start, end))
    _cache[key] = (time.monotonic(), result)
    return result


def published_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).join(ImpactPublication, ImpactPublication.site_id == Site.id)
                                   .order_by(Site.name)))
