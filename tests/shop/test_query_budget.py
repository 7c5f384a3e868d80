"""Query budgets: the public pages run as many SQL statements for a site with 20 tickets as with 2
(an N+1 would grow with the data), and the ticket page's QR code is drawn once per link."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from shop.repairs import booking
from shop.repairs.qr import qr_svg
from workshop.extensions import db
from workshop.models import Site


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
    client.get(path)  # warm up: per-process caches, the first connection
    db.session.remove()
    with counted_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


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
