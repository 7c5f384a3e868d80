"""The outbox: written with the status change, sent at least once, retried, through pluggable senders."""
import socketserver
import threading

import pytest
from sqlalchemy import func, select

from shop import outbox
from shop.models import MessageChannel, MessageStatus, OutboxMessage
from workshop.extensions import db


class FakeGateway:
    """An SMS gateway adapter that remembers what it was asked to send, or fails on demand."""

    def __init__(self, failures: int = 0):
        self.sent: list[tuple[str, str]] = []
        self.failures = failures

    def send(self, phone: str, text: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("gateway down")
        self.sent.append((phone, text))


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message (a fake server on 127.0.0.1)."""

    def handle(self):
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 fake\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk.decode())
                self.server.messages.append("".join(data))
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _pending():
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == MessageStatus.PENDING))


def test_booking_writes_a_message_in_the_residents_language(repair_site, book):
    site = repair_site()
    danish = book(site, locale="da")
    english = book(site, locale="en", email="amina@example.org")
    messages = {message.ticket_id: message for message in db.session.scalars(select(OutboxMessage))}
    assert messages[danish.id].channel == MessageChannel.SMS and messages[danish.id].recipient == "+4520123456"
    assert "er booket" in messages[danish.id].body and danish.token in messages[danish.id].body
    assert messages[english.id].channel == MessageChannel.EMAIL
    assert "is booked" in messages[english.id].body
    db.session.rollback()  # the booking fails later in the request: no message stays behind
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_log_sender_sends_each_message_once(repair_site, book, app, tmp_path):
    app.config["REPAIRS_OUTBOX_LOG"] = str(tmp_path / "outbox.log")
    site = repair_site()
    book(site)
    book(site)
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (2, 0)
    assert outbox.send_pending(db.session.commit) == (0, 0)  # idempotent
    lines = (tmp_path / "outbox.log").read_text().splitlines()
    assert len(lines) == 2 and "+4520123456" in lines[0]
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None


def test_a_failing_sender_is_retried_and_then_marked_failed(repair_site, book, app):
    gateway = FakeGateway(failures=2)
    app.config["REPAIRS_SMS_GATEWAY"] = gateway
    app.config["REPAIRS_OUTBOX_MAX_ATTEMPTS"] = 3
    try:
        book(repair_site())
        db.session.commit()
        assert outbox.send_pending(db.session.commit) == (0, 1)
        message = db.session.scalar(select(OutboxMessage))
        assert message.status == MessageStatus.PENDING and message.attempts == 1
        assert "gateway down" in message.last_error
        assert outbox.send_pending(db.session.commit) == (0, 1)
        assert outbox.send_pending(db.session.commit) == (1, 0)
        assert message.status == MessageStatus.SENT and message.attempts == 3 and len(gateway.sent) == 1
        assert gateway.sent[0][0] == "+4520123456"

        gateway.failures = 99
        book(repair_site())
        db.session.commit()
        for _ in range(5):
            outbox.send_pending(db.session.commit)
        failed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED))
        assert failed.attempts == 3 and _pending() == 0
    finally:
        app.config.pop("REPAIRS_OUTBOX_MAX_ATTEMPTS", None)


def test_e_mail_goes_through_smtp_when_configured(repair_site, book, app, smtp_server):
    app.config["REPAIRS_SMTP_HOST"] = "127.0.0.1"
    app.config["REPAIRS_SMTP_PORT"] = smtp_server.server_address[1]
    book(repair_site(), email="amina@example.org", locale="en")
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (1, 0)
    assert len(smtp_server.messages) == 1
    assert "To: amina@example.org" in smtp_server.messages[0]
    assert "is booked" in smtp_server.messages[0]


def test_an_unreachable_smtp_server_leaves_the_message_pending(repair_site, book, app):
    app.config["REPAIRS_SMTP_HOST"] = "127.0.0.1"
    app.config["REPAIRS_SMTP_PORT"] = 1  # nothing listens there
    book(repair_site(), email="amina@example.org")
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (0, 1)
    assert _pending() == 1


def test_the_cli_command_sends_pending_messages(repair_site, book, app, tmp_path):
    app.config["REPAIRS_OUTBOX_LOG"] = str(tmp_path / "outbox.log")
    book(repair_site())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1" in result.output
    db.session.expire_all()
    assert _pending() == 0
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Sent 0" in result.output
