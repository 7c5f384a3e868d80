"""The outbox: written with the status change, sent at least once, retried, through pluggable senders."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shop import outbox
from shop.models import MessageChannel, MessageStatus, OutboxMessage
from tests.processes import free_port
from tests.processes import smtp_server as local_smtp_server
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


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd): its .inbox holds what it received."""
    with local_smtp_server() as controller:
        yield controller


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


def test_the_log_sender_writes_each_message_once_to_the_configured_log(repair_site, book, configure, tmp_path):
    configure(REPAIRS_OUTBOX_LOG=str(tmp_path / "messages" / "outbox.log"))
    site = repair_site()
    book(site)
    book(site)
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (2, 0)
    assert outbox.send_pending(db.session.commit) == (0, 0)  # idempotent
    lines = (tmp_path / "messages" / "outbox.log").read_text().splitlines()
    assert len(lines) == 2 and "+4520123456" in lines[0]
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None


def test_without_settings_messages_go_to_the_log_in_the_instance_folder(app):
    assert app.config["REPAIRS_OUTBOX_LOG"] == str(Path(app.instance_path) / "outbox.log")
    assert isinstance(outbox.sender_for(MessageChannel.EMAIL), outbox.LogSender)
    assert isinstance(outbox.sender_for(MessageChannel.SMS), outbox.LogSender)


#: The SMS gateway the tests name by its import path in REPAIRS_SMS_GATEWAY.
GATEWAY = FakeGateway()


def test_a_failing_sender_is_retried_up_to_the_configured_attempts_and_then_marked_failed(repair_site, book,
                                                                                          configure):
    configure(REPAIRS_SMS_GATEWAY="tests.shop.test_outbox:GATEWAY", REPAIRS_OUTBOX_MAX_ATTEMPTS="3")
    GATEWAY.sent.clear()
    GATEWAY.failures = 2
    book(repair_site())
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "gateway down" in message.last_error
    assert outbox.send_pending(db.session.commit) == (0, 1)
    assert outbox.send_pending(db.session.commit) == (1, 0)
    assert message.status == MessageStatus.SENT and message.attempts == 3 and len(GATEWAY.sent) == 1
    phone, text = GATEWAY.sent[0]
    assert phone == "+4520123456" and message.body == text

    GATEWAY.failures = 99
    book(repair_site())
    db.session.commit()
    for _ in range(5):
        outbox.send_pending(db.session.commit)
    failed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED))
    assert failed.attempts == 3 and _pending() == 0


def test_e_mail_goes_through_the_configured_smtp_server(repair_site, book, app, configure, smtp_server):
    configure(REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(smtp_server.port),
              REPAIRS_SMTP_FROM="reparation@ishoj.example", PUBLIC_BASE_URL="https://syvaerksted.example/")
    ticket = book(repair_site(), email="amina@example.org", locale="en")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "Sent 1" in result.output, result.output
    [envelope] = smtp_server.inbox.envelopes
    assert envelope.mail_from == "reparation@ishoj.example" and envelope.rcpt_tos == ["amina@example.org"]
    [email] = smtp_server.inbox.messages()
    assert email["From"] == "reparation@ishoj.example" and email["To"] == "amina@example.org"
    assert email["Subject"] == f"Repair {ticket.number} is booked"
    assert f"https://syvaerksted.example/t/{ticket.token}" in email.get_content()
    assert smtp_server.inbox.logins == []  # no user name: no login
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.SENT and message.sent_at is not None


def test_the_smtp_user_name_and_password_log_in(repair_site, book, configure, smtp_server):
    configure(REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(smtp_server.port),
              REPAIRS_SMTP_USERNAME="workshop", REPAIRS_SMTP_PASSWORD="s3cret")
    book(repair_site(), email="amina@example.org")
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (1, 0)
    assert smtp_server.inbox.logins == [("workshop", "s3cret")]
    assert smtp_server.inbox.envelopes[0].mail_from == "repairs@stitchwork.example"  # the documented default


def test_starttls_is_required_when_configured(repair_site, book, configure, smtp_server):
    configure(REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(smtp_server.port), REPAIRS_SMTP_STARTTLS="yes")
    book(repair_site(), email="amina@example.org")
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (0, 1)  # this server offers no TLS: nothing is sent in clear
    assert smtp_server.inbox.envelopes == []
    assert "STARTTLS" in db.session.scalar(select(OutboxMessage)).last_error


def test_text_messages_still_go_to_the_log_when_only_smtp_is_configured(repair_site, book, configure, tmp_path,
                                                                        smtp_server):
    configure(REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(smtp_server.port),
              REPAIRS_OUTBOX_LOG=str(tmp_path / "outbox.log"))
    book(repair_site())  # a phone number, no e-mail
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (1, 0)
    assert smtp_server.inbox.envelopes == [] and "+4520123456" in (tmp_path / "outbox.log").read_text()


def test_an_unreachable_smtp_server_leaves_the_message_pending(repair_site, book, configure):
    configure(REPAIRS_SMTP_HOST="127.0.0.1", REPAIRS_SMTP_PORT=str(free_port()))  # nothing listens there
    book(repair_site(), email="amina@example.org")
    db.session.commit()
    assert outbox.send_pending(db.session.commit) == (0, 1)
    assert _pending() == 1


def test_the_cli_command_sends_pending_messages(repair_site, book, app, configure, tmp_path):
    configure(REPAIRS_OUTBOX_LOG=str(tmp_path / "outbox.log"))
    book(repair_site())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1" in result.output
    db.session.expire_all()
    assert _pending() == 0
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Sent 0" in result.output
