"""Query budgets: the pages run as many SQL statements for a site with 20 tickets as with 2, and
every page of the benchmark's mix as many on ten times a year's work as on a year's (an N+1 would
grow with the data); the ticket page's QR code is drawn once per link."""
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import event, select

from production.planner.models import Plan
from shop import scale
from shop.models import RepairTicket
from shop.orders.models import Order, OrderStatus
from shop.repairs import booking
from shop.repairs.qr import qr_svg
from workshop.extensions import db
from workshop.models import Role, Site, User


@pytest.fixture(autouse=True)
def drawn_every_time(app):
    """Count what drawing each page costs, not a kept copy of its public parts (workshop/fragments.py)."""
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 0


@contextmanager
def counted_statements():
    """Count the SQL statements sent while the block runs: yields a list, one entry a statement."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements_for(client, path: str) -> int:
    return len(_statements_of(client, path))


def _statements_of(client, path: str) -> list[str]:
    client.get(path)  # warm up: per-process caches, the first connection
    db.session.remove()
    with counted_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


def _book_tickets(site_id: int, repair_ids: list[int], slot_ids: list[int], how_many: int) -> list[str]:
    """Book `how_many` tickets at the site, spread over its slots; their tokens."""
    site = db.session.get(Site, site_id)
    tokens = [booking.book_repair(site, garment="trousers", repair_ids=repair_ids, slot_id=slot_ids[number % 2],
                                  name="Amina Testesen", phone="20 12 34 56", email="", consent=True,
                                  locale="da").token
              for number in range(how_many)]
    db.session.commit()
    return tokens


@pytest.mark.parametrize("page", ["ticket", "booking"])
def test_a_public_page_runs_as_many_statements_for_20_tickets_as_for_2(client, repair_site, page):
    site = repair_site("gladsaxe", capacity=30)
    ids = (site.id, [repair.id for repair in site.repairs[:2]], [slot.id for slot in site.slots])
    first = _book_tickets(*ids, 2)[0]
    path = f"/t/{first}" if page == "ticket" else "/r/gladsaxe"
    with_two = _statements_for(client, path)
    _book_tickets(*ids, 18)
    with_twenty = _statements_for(client, path)
    assert with_two > 0
    assert with_twenty == with_two, f"{path}: {with_two} statements with 2 tickets, {with_twenty} with 20"


def test_the_qr_code_of_a_link_is_drawn_once():
    qr_svg.cache_clear()
    first = qr_svg("https://example.test/t/abc")
    second = qr_svg("https://example.test/t/abc")
    assert second is first
    assert qr_svg.cache_info().hits == 1 and qr_svg.cache_info().misses == 1
    assert qr_svg("https://example.test/t/abc", "qr qr-tag") != first  # the class is part of the key


def test_the_qr_cache_is_bounded():
    assert qr_svg.cache_info().maxsize is not None


# --- Every page of the benchmark's mix, on a site with a year of work and on one with ten times as much ---

#: A small site's year; the larger data set is ten such years (the same shape today, ten times the history).
YEAR = scale.Volumes(trainees=6, paid_people=3, repair_tickets=100, orders=10, retail_sales=40)


def bench_pages(site: Site) -> dict[str, str]:
    """The benchmark's page mix for a site (bench/web.py asks for the same pages): name -> path."""
    ticket = db.session.scalar(select(RepairTicket).where(RepairTicket.site_id == site.id,  # its link still works
                                                          RepairTicket.slot_id.is_not(None))
                               .order_by(RepairTicket.created_at.desc(), RepairTicket.id).limit(1))
    order = db.session.scalar(select(Order).where(Order.site_id == site.id, Order.status == OrderStatus.PAID)
                              .order_by(Order.id).limit(1))
    plan = db.session.scalar(select(Plan).where(Plan.site_id == site.id).order_by(Plan.id.desc()).limit(1))
    return {
        "ticket": f"/t/{ticket.token}",
        "booking": f"/r/{site.slug}",
        "start page": "/people/dashboard",
        "task board": "/production/board",
        "week board": f"/production/planner/{plan.id}",
        "people": "/people/",
        "hours": "/hours/",
        "impact": "/impact/",
        "order": f"/orders/{order.id}",
        "stock": "/retail/stock",
        "product list": "/butik/",
    }


def _statements_as_leader(client, login, site: Site) -> dict[str, list[str]]:
    leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == Role.LEADER))
    g.pop("_login_user", None)  # the test's app context remembers the last user
    login(client, leader)
    return {name: _statements_of(client, path) for name, path in bench_pages(site).items()}


def test_no_page_of_the_mix_runs_more_statements_on_ten_years_than_on_one(app, client, login):
    scale.seed_scale(sites=1, years=1, seed=3, volumes=YEAR)
    small = _statements_as_leader(client, login, db.session.scalar(select(Site).where(Site.slug == "scale-01")))
    scale.seed_scale(sites=2, years=10, seed=3, volumes=YEAR, force=True)  # adds scale-02
    large = _statements_as_leader(client, login, db.session.scalar(select(Site).where(Site.slug == "scale-02")))
    grown = {name: (len(small[name]), len(large[name]), [sql[:60] for sql in large[name] if sql not in small[name]])
             for name in small if len(large[name]) > len(small[name])}
    assert not grown, f"statements (small data, ten times the data, the new ones): {grown}"
