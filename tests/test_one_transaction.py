"""Every state-changing request is one transaction: a failure after its first write leaves nothing behind.

Each request below writes in several steps (a ticket and its lines and history and an outbox message; a
receipt, its lines and the stock movements; ...). The test makes the database session fail on the
request's second flush, as a crash or a lost connection would, and checks that every table holds
exactly the rows it held before: nothing half-written. Then it sends the request for real and checks
that it committed once (a commit half-way would survive a later failure). Runs on SQLite and PostgreSQL.
"""
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from shop.models import DropOffSlot, RepairType
from shop.retail import stock
from workshop.cli import seed_demo
from workshop.extensions import db
from workshop.models import Site, User
from workshop.timeutil import utcnow


class InjectedFailure(Exception):
    """The failure the test injects; the app answers it as any unexpected error (500)."""


@contextmanager
def counted_commits():
    commits = 0

    def after_commit(_session):
        nonlocal commits
        commits += 1

    event.listen(Session, "after_commit", after_commit)
    try:
        yield lambda: commits
    finally:
        event.remove(Session, "after_commit", after_commit)


@contextmanager
def fail_on_second_flush():
    flushes = 0

    def after_flush(_session, _context):
        nonlocal flushes
        flushes += 1
        if flushes == 2:
            raise InjectedFailure

    event.listen(Session, "after_flush", after_flush)
    try:
        yield lambda: flushes
    finally:
        event.remove(Session, "after_flush", after_flush)


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _log_in(client, email: str | None) -> None:
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.clear()
        if email:
            session["_user_id"] = db.session.scalar(select(User).where(User.email == email)).get_id()
            session["_fresh"] = True


def _booking(site: Site) -> dict:
    slot = db.session.scalar(select(DropOffSlot).where(DropOffSlot.site_id == site.id,
                                                       DropOffSlot.starts_at > utcnow().replace(tzinfo=None))
                             .order_by(DropOffSlot.starts_at))
    repair = db.session.scalar(select(RepairType).where(RepairType.site_id == site.id))
    return {"garment": "trousers", "repairs": [str(repair.id)], "slot": str(slot.id), "name": "Amina",
            "phone": "20304050", "consent": "y", "request_key": "one-transaction-test"}


def _scenarios(site: Site):
    """(who, path, form data or a callable giving it, what to put in the session first)."""
    item = stock.stock_items()[0]
    other_site = db.session.scalar(select(Site).where(Site.id != site.id))
    yield "a resident books a repair", None, f"/r/{site.slug}", _booking(site), {}
    yield "staff sell at the till", "personale@ishoj.example", "/till/sell", {"payment_method": "cash"}, \
        {"till_basket": {item.key: 2}, "till_site": site.id}
    yield "a leader moves stock to another workshop", "leder@ishoj.example", "/retail/stock/move", \
        {"move-item": item.key, "move-to_site_id": str(other_site.id), "move-quantity": "2"}, {}
    yield "a company registers", None, "/companies/register", {
        "company_name": "Nyt Firma ApS", "cvr": "29403406", "billing_address": "Vej 1", "name": "Ny Kunde",
        "email": "ny@firma.example", "password": "a-long-test-password"}, {}


@pytest.fixture
def demo(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # an injected failure is a 500, as in production
    app.test_cli_runner().invoke(seed_demo)
    return db.session.scalar(select(Site).where(Site.slug == "ishoj"))


def test_a_request_that_fails_after_its_first_write_leaves_nothing_behind(app, client, demo):
    checked = []
    for label, email, path, data, session_values in list(_scenarios(demo)):
        _log_in(client, email)
        with client.session_transaction() as session:
            session.update(session_values)
        before = _row_counts()
        db.session.remove()
        with fail_on_second_flush() as flushes:
            response = client.post(path, data=data)
        assert flushes() >= 2, f"{label}: the request wrote in one step only; choose a multi-step one"
        assert response.status_code == 500, f"{label}: {response.status_code}"
        db.session.remove()
        after = _row_counts()
        changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
        assert changed == {}, f"{label} left rows behind: {changed}"
        with client.session_transaction() as session:
            session.update(session_values)
        g.pop("_login_user", None)  # loaded by the failed request, from a session that is gone
        with counted_commits() as commits:
            response = client.post(path, data=data)
        assert response.status_code in (302, 303), f"{label}: {response.status_code}"
        assert commits() == 1, f"{label} committed {commits()} times"
        db.session.remove()
        checked.append(label)
    assert len(checked) == 4
