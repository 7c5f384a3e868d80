"""The crash test: gunicorn is killed with SIGKILL (master and workers) in the middle of a burst of
repair bookings and till sales, and started again. Afterwards every request that was answered is in
the database exactly once, nothing is half written, and `outbox send` delivers each waiting e-mail
exactly once to an SMTP server on 127.0.0.1.

The burst is PostgreSQL only (skipped without a PostgreSQL TEST_DATABASE_URL): the processes share its
database. No timing is asserted; every wait has a deadline.

And the outbox sender's one gap, shown rather than hidden: a sender killed after the SMTP server took
a message, before the row was marked sent, sends it again on its next run (at least once, never lost).
"""
import asyncio
import queue
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
import requests
import time_machine
from sqlalchemy import func, select

from shop.models import (
    DropOffSlot,
    MessageStatus,
    OutboxMessage,
    RepairTicket,
    RepairTicketStatusChange,
    RepairType,
    TicketCounter,
)
from shop.outbox import queue_email
from shop.retail import stock
from shop.retail.models import Sale, SaleCounter, StockLevel, StockMovement
from shop.retail.stock import StockItem
from tests.conftest import TEST_PASSWORD
from tests.processes import VENV_BIN, Gunicorn, Inbox, app_env, csrf_token, log_in, smtp_server
from workshop.extensions import db
from workshop.models import Role

BOOKINGS = 36
SALES = 12
CLIENTS = 6
#: The servers are killed once this many requests were answered: in the middle of the burst.
KILL_AFTER = 20
#: How often a client sends a booking whose answer was lost again (with the same form key).
TRIES = 4
STOCK = 1000
SECONDS = 60


@dataclass
class Burst:
    """What the clients sent and what each answer said; `up` is set while the server answers."""

    base: str
    email: str
    site_slug: str
    repair_ids: list[str]
    slot_ids: list[int]
    item_key: str
    up: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: int = 0
    enough_answered: threading.Event = field(default_factory=threading.Event)
    #: form key -> the ticket page the booking was sent to (None: never answered)
    bookings: dict[str, str | None] = field(default_factory=dict)
    #: receipt numbers of answered sales, and how many items each sold
    sales: dict[int, int] = field(default_factory=dict)
    lost_answers: int = 0
    errors: list[str] = field(default_factory=list)

    def count_answer(self) -> None:
        with self.lock:
            self.answered += 1
            if self.answered >= KILL_AFTER:
                self.enough_answered.set()

    def post(self, session: requests.Session, path: str, data: dict) -> requests.Response | None:
        """The answer, or None when the connection broke (the server was killed, or is down)."""
        try:
            response = session.post(self.base + path, data=data, allow_redirects=False, timeout=30)
        except requests.RequestException:
            with self.lock:
                self.lost_answers += 1
            self.up.wait(SECONDS)
            return None
        self.count_answer()
        return response


def _book(burst: Burst, session: requests.Session, token: str, number: int) -> None:
    key = f"crash-booking-{number:03d}"
    data = {"csrf_token": token, "request_key": key, "garment": "trousers",
            "repairs": burst.repair_ids[: 1 + number % len(burst.repair_ids)],
            "slot": str(burst.slot_ids[number % len(burst.slot_ids)]), "name": f"Beboer {number}",
            "phone": f"20{number:06d}", "email": f"resident-{number}@example.org", "consent": "y"}
    burst.bookings[key] = None
    for _try in range(TRIES):  # a lost answer: send the same form again, as her browser would
        response = burst.post(session, f"/r/{burst.site_slug}", data)
        if response is None:
            continue
        if response.status_code != 303:
            burst.errors.append(f"booking {key}: {response.status_code} {response.text[:300]}")
        burst.bookings[key] = response.headers.get("Location")
        return


def _sell(burst: Burst, session: requests.Session, token: str, number: int) -> None:
    quantity = 1 + number % 3
    for _try in range(TRIES):
        basket = burst.post(session, "/till/basket", {"csrf_token": token, "item": burst.item_key,
                                                      "quantity": str(quantity)})
        if basket is not None:
            break
    else:
        burst.errors.append(f"sale {number}: the basket was never answered")
        return
    data = {"csrf_token": token, "payment_method": "cash", "request_key": f"crash-sale-{number:03d}"}
    for _try in range(TRIES):  # a lost answer: she taps "Sell" again, and the same form goes
        sold = burst.post(session, "/till/sell", data)
        if sold is not None:
            break
    else:
        burst.errors.append(f"sale {number}: never answered")
        return
    if sold.status_code != 302:
        burst.errors.append(f"sale {number}: {sold.status_code} {sold.text[:300]}")
        return
    burst.sales[int(sold.headers["Location"].rstrip("/").rsplit("/", 1)[1])] = quantity


def _logged_in(burst: Burst) -> tuple[requests.Session, str]:
    """A person at the till who also books repairs: her session and its CSRF token."""
    session = requests.Session()
    assert log_in(session, burst.base, burst.email, TEST_PASSWORD).status_code == 302
    return session, csrf_token(session.get(f"{burst.base}/till/", timeout=30).text)


def _client(burst: Burst, jobs: queue.Queue, session: requests.Session, token: str) -> None:
    """One job after another until none is left."""
    try:
        while True:
            try:
                kind, number = jobs.get_nowait()
            except queue.Empty:
                return
            (_book if kind == "booking" else _sell)(burst, session, token, number)
    except Exception as error:  # noqa: BLE001 - reported by the test, not lost in a thread
        burst.errors.append(f"client: {type(error).__name__}: {error}")


def _real_now() -> datetime:
    """The wall clock's time: the servers run on it, not on the test's pinned clock."""
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), timezone.utc).replace(tzinfo=None)


@pytest.fixture
def crash_site(app, make_site, make_user, make_operation, make_product):
    """A workshop with a price list, drop-off slots a month ahead, a till with brooches, and its staff."""
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("the crash test kills gunicorn on a shared PostgreSQL database (set TEST_DATABASE_URL "
                    "to a PostgreSQL URL)")
    site = make_site("crash")
    staff = make_user(Role.STAFF, site=site)
    operation = make_operation()
    repairs = [RepairType(site=site, code=code, name_da=code, name_en=code, price_ore=price, standard_minutes=20,
                          operation=operation) for code, price in (("hem", 8000), ("zip", 15000), ("button", 2500))]
    start = max(_real_now(), datetime.now(timezone.utc).replace(tzinfo=None)).replace(microsecond=0, second=0)
    slots = [DropOffSlot(site_id=site.id, starts_at=start + timedelta(days=30, hours=hours),
                         ends_at=start + timedelta(days=30, hours=hours + 1), capacity=50) for hours in (0, 2, 4)]
    db.session.add_all(repairs + slots)
    brooch = StockItem(make_product(steps=((60, 0),), sold_in_retail=True, unit_price_ore=7_960))
    stock.produce(site, brooch, STOCK)
    db.session.commit()
    return {"site": site, "staff": staff, "repair_ids": [str(repair.id) for repair in repairs],
            "slot_ids": [slot.id for slot in slots], "item_key": brooch.key}


def test_a_killed_server_loses_no_answered_request_and_half_writes_nothing(app, crash_site, tmp_path):
    env = app_env(app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="the-crash-test-secret-key-0123456789abcdef",
                  REPAIRS_BOOKING_RATE_LIMIT="10000 per minute", LOGIN_RATE_LIMIT="1000 per minute",
                  REPAIRS_OUTBOX_LOG=str(tmp_path / "outbox.log"))
    env.pop("REDIS_URL", None)
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    burst = Burst(server.url, crash_site["staff"].email, "crash", crash_site["repair_ids"], crash_site["slot_ids"],
                  crash_site["item_key"])
    jobs = queue.Queue()
    for number in range(max(BOOKINGS, SALES)):
        if number < BOOKINGS:
            jobs.put(("booking", number))
        if number < SALES:
            jobs.put(("sale", number))
    try:
        server.start()
        burst.up.set()
        clients = [threading.Thread(target=_client, args=(burst, jobs, *_logged_in(burst)), daemon=True)
                   for _client_number in range(CLIENTS)]
        for client in clients:
            client.start()
        assert burst.enough_answered.wait(SECONDS), f"the burst did not get going: {burst.errors}"
        burst.up.clear()
        server.kill()
        server.start()
        burst.up.set()
        for client in clients:
            client.join(SECONDS)
        assert not any(client.is_alive() for client in clients), "a client did not finish"
    finally:
        burst.up.set()
        server.stop()
    assert burst.errors == [], server.log_tail()
    assert burst.lost_answers > 0  # the kill broke requests off
    db.session.expire_all()
    site = crash_site["site"]
    _every_booking_is_there_once_and_whole(burst, site)
    _every_answered_sale_is_there_once_and_whole(burst, site)
    _the_outbox_delivers_each_message_once(env)


def _every_booking_is_there_once_and_whole(burst: Burst, site) -> None:
    tickets = list(db.session.scalars(select(RepairTicket).where(RepairTicket.site_id == site.id)))
    assert sorted(ticket.request_key for ticket in tickets) == sorted(burst.bookings)  # each booking once
    by_key = {ticket.request_key: ticket for ticket in tickets}
    for key, location in burst.bookings.items():
        assert location is not None, f"booking {key} never got an answer"
        assert location.endswith(f"/t/{by_key[key].token}")  # her answer names the ticket that was kept
    assert sorted(ticket.sequence for ticket in tickets) == list(range(1, len(tickets) + 1))
    assert db.session.get(TicketCounter, site.id).last_number == len(tickets)
    booked = Counter(db.session.scalars(select(OutboxMessage.ticket_id).where(OutboxMessage.kind == "ticket_booked")))
    changes = Counter(db.session.scalars(select(RepairTicketStatusChange.ticket_id)))
    for ticket in tickets:
        assert ticket.lines and ticket.total_ore == sum(line.price_ore for line in ticket.lines)
        assert booked[ticket.id] == 1 and changes[ticket.id] == 1


def _every_answered_sale_is_there_once_and_whole(burst: Burst, site) -> None:
    sales = {sale.number: sale for sale in db.session.scalars(select(Sale).where(Sale.site_id == site.id))}
    assert sorted(sales) == list(range(1, len(sales) + 1))  # no receipt number twice, none skipped
    assert db.session.get(SaleCounter, site.id).last_number == len(sales)
    assert len(sales) == len(burst.sales)  # a sale sent again after a lost answer was made once
    for number, quantity in burst.sales.items():
        assert sum(line.quantity for line in sales[number].lines) == quantity
    moved = dict(db.session.execute(select(StockMovement.reference, func.sum(StockMovement.quantity))
                                    .where(StockMovement.reference.like("receipt:%"))
                                    .group_by(StockMovement.reference)).all())
    sold = 0
    for number, sale in sales.items():
        quantity = sum(line.quantity for line in sale.lines)
        assert quantity > 0 and sale.total_ore == sum(line.total_ore for line in sale.lines)
        assert moved[f"receipt:{number}"] == -quantity  # the items left the shelf with the receipt
        sold += quantity
    assert db.session.scalar(select(StockLevel.on_hand).where(StockLevel.site_id == site.id)) == STOCK - sold


def _send_outbox(env: dict[str, str]) -> str:
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "workshop", "outbox", "send", "--limit", "1000"],
                          env=env, capture_output=True, text=True, timeout=SECONDS)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _the_outbox_delivers_each_message_once(env: dict[str, str]) -> None:
    pending = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.PENDING)))
    assert pending
    with smtp_server() as smtp:
        env = dict(env, REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(smtp.port))
        assert f"Sent {len(pending)} message(s); 0 not sent" in _send_outbox(env)
        delivered = sorted((email["To"], email["Subject"]) for email in smtp.inbox.messages())
        assert delivered == sorted((message.recipient, message.subject) for message in pending)  # each once
        assert "Sent 0 message(s)" in _send_outbox(env)  # a second run sends nothing more
        assert len(smtp.inbox.envelopes) == len(pending)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.status != MessageStatus.SENT)) == 0


class StallingInbox(Inbox):
    """Takes each message (250), then holds back its answer to QUIT until `release` is set: a sender killed
    meanwhile has handed its message over but not yet marked it sent."""

    def __init__(self):
        super().__init__()
        self.took, self.release = threading.Event(), threading.Event()

    async def handle_QUIT(self, server, session, envelope):
        self.took.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, SECONDS)
        return "221 Bye"


def test_a_sender_killed_after_the_smtp_server_took_a_message_sends_it_again_with_the_same_message_id(app):
    queue_email("password_reset", "amina@example.org", "Your link", "Here is your link.")
    db.session.commit()
    inbox = StallingInbox()
    with smtp_server(inbox) as smtp:
        env = app_env(app.config["SQLALCHEMY_DATABASE_URI"], REPAIRS_SMTP_HOST="127.0.0.1",
                      REPAIRS_SMTP_PORT=str(smtp.port))
        sender = subprocess.Popen([str(VENV_BIN / "flask"), "--app", "workshop", "outbox", "send"], env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert inbox.took.wait(SECONDS), "the sender did not hand its message over"
        finally:
            sender.kill()
            sender.wait(timeout=SECONDS)
            inbox.release.set()
        db.session.expire_all()
        message = db.session.scalar(select(OutboxMessage))
        assert message.status == MessageStatus.PENDING  # it went, but the row does not know
        assert "Sent 1 message(s)" in _send_outbox(env)
        first, again = inbox.messages()
        assert first["Message-ID"] == again["Message-ID"] and again["To"] == "amina@example.org"
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == MessageStatus.SENT
