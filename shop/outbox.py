"""The outbox: messages to residents are rows written in the same transaction as the change
they tell about; `flask --app workshop outbox send` delivers pending rows at least once.

At least once, not exactly once: a sender killed after the SMTP server (or SMS gateway) took a
message but before its row was marked sent leaves the row pending, and the next run sends it again
(tests/test_crash.py shows it). No sender can close that gap; an e-mail sent again carries the same
Message-ID, so a mail program can tell it is the same message.

Senders are pluggable: a log/file sender by default, SMTP for e-mail when
REPAIRS_SMTP_HOST is set, and an SMS gateway (any object with `send(phone, text)`)
when REPAIRS_SMS_GATEWAY is set.
"""
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_babel import force_locale, format_currency, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.extensions import db
from workshop.money import kroner
from workshop.timeutil import to_local, utcnow

from .models import MessageChannel, MessageStatus, OutboxMessage, RepairTicket

STATUS_LABELS = {
    MessageStatus.PENDING: _l("Waiting to be sent"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Could not be sent"),
}


# --- Writing messages -------------------------------------------------------------------------


def ticket_url(ticket: RepairTicket) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/t/{ticket.token}"


def _ticket_text(ticket: RepairTicket, kind: str) -> tuple[str, str]:
    """Subject and body in the resident's language."""
    with force_locale(ticket.locale or "da"):
        values = {"number": ticket.number, "site": ticket.site.name, "url": ticket_url(ticket),
                  "price": format_currency(kroner(ticket.total_ore), "DKK")}
        if kind == "ticket_booked":
            when = format_datetime(to_local(ticket.slot.starts_at), "short") if ticket.slot else ""
            subject = _("Repair %(number)s is booked", **values)
            body = _("Your repair %(number)s is booked. Bring the garment to %(site)s on %(when)s. "
                     "Your ticket: %(url)s", when=when, **values)
        elif kind == "ticket_received":
            subject = _("Repair %(number)s is received", **values)
            body = _("We have received your garment at %(site)s. Your repair %(number)s costs %(price)s. "
                     "You get a message when it is ready. Your ticket: %(url)s", **values)
        elif kind == "ticket_ready":
            subject = _("Repair %(number)s is ready", **values)
            body = _("Your repair %(number)s is ready for pick-up at %(site)s (price %(price)s). "
                     "Your ticket: %(url)s", **values)
        elif kind == "pickup_reminder":
            subject = _("Reminder: repair %(number)s is waiting for you", **values)
            body = _("Reminder: your repair %(number)s is still waiting for you at %(site)s. "
                     "Please pick it up soon. Your ticket: %(url)s", **values)
        else:
            raise ValueError(kind)
    return str(subject), str(body)


def queue_ticket_message(ticket: RepairTicket, kind: str) -> OutboxMessage:
    """Write a message to the resident (e-mail if she gave one, else SMS). Flushes, never commits."""
    subject, body = _ticket_text(ticket, kind)
    channel, recipient = (MessageChannel.EMAIL, ticket.email) if ticket.email else (MessageChannel.SMS, ticket.phone)
    message = OutboxMessage(site_id=ticket.site_id, ticket_id=ticket.id, kind=kind, channel=channel,
                            recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def queue_email(kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """An e-mail that belongs to no workshop (e.g. the core's password reset link): the core's mailer
    (workshop/mail.py). Flushes, never commits."""
    message = OutboxMessage(site_id=None, kind=kind, channel=MessageChannel.EMAIL, recipient=recipient,
                            subject=subject[:200], body=body)
    db.session.add(message)
    db.session.flush()
    return message


def messages_for(ticket: RepairTicket) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)
                                   .order_by(OutboxMessage.id)))


# --- Attachments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    #: "application/pdf"
    content_type: str
    data: bytes


#: Functions giving a message's attachments (e.g. an invoice's PDF), made when it is sent.
_ATTACHERS: list[Callable[[OutboxMessage], list[Attachment]]] = []


def register_attachments(attacher: Callable[[OutboxMessage], list[Attachment]]) -> None:
    if attacher not in _ATTACHERS:
        _ATTACHERS.append(attacher)


def attachments_for(message: OutboxMessage) -> list[Attachment]:
    return [attachment for attacher in _ATTACHERS for attachment in attacher(message)]


# --- Senders -----------------------------------------------------------------------------------


class Sender(Protocol):
    """Delivers one message; raises on failure (the message is then retried)."""

    def send(self, message: OutboxMessage) -> None: ...


class SmsGateway(Protocol):
    """The contract of an SMS provider's adapter: raise on failure."""

    def send(self, phone: str, text: str) -> None: ...


class LogSender:
    """The default: append each message to a file (instance/outbox.log) instead of sending it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def send(self, message: OutboxMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        attached = "".join(f" [{attachment.filename}, {len(attachment.data)} bytes]"
                           for attachment in attachments_for(message))
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(f"{utcnow().isoformat()} #{message.id} {message.channel.value} to {message.recipient}: "
                         f"{message.body}{attached}\n")


def message_id(message: OutboxMessage, sender: str) -> str:
    """The e-mail's Message-ID: the same each time the row is sent, so a resend after a crash is recognisably
    the same message."""
    domain = sender.rpartition("@")[2] or "stitchwork.invalid"
    return f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


class SmtpSender:
    """E-mail through an SMTP server (smtplib)."""

    def __init__(self, host: str, port: int, sender: str, username: str | None = None, password: str | None = None,
                 starttls: bool = False, timeout: float = 10):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout

    def send(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = message_id(message, self.sender)
        email.set_content(message.body)
        for attachment in attachments_for(message):
            maintype, _slash, subtype = attachment.content_type.partition("/")
            email.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


class SmsSender:
    """Hands SMS messages to the configured gateway adapter."""

    def __init__(self, gateway: SmsGateway):
        self.gateway = gateway

    def send(self, message: OutboxMessage) -> None:
        self.gateway.send(message.recipient, message.body)


def sender_for(channel: MessageChannel) -> Sender:
    """The configured sender for a channel; the log sender when nothing is configured."""
    config = current_app.config
    if channel == MessageChannel.EMAIL and config["REPAIRS_SMTP_HOST"]:
        return SmtpSender(config["REPAIRS_SMTP_HOST"], config["REPAIRS_SMTP_PORT"], config["REPAIRS_SMTP_FROM"],
                          config["REPAIRS_SMTP_USERNAME"], config["REPAIRS_SMTP_PASSWORD"],
                          config["REPAIRS_SMTP_STARTTLS"])
    if channel == MessageChannel.SMS and config["REPAIRS_SMS_GATEWAY"] is not None:
        return SmsSender(config["REPAIRS_SMS_GATEWAY"])
    return LogSender(config["REPAIRS_OUTBOX_LOG"])


# --- Delivering ----------------------------------------------------------------------------------


def max_attempts() -> int:
    return current_app.config["REPAIRS_OUTBOX_MAX_ATTEMPTS"]


def pending_message_ids(limit: int = 100) -> list[int]:
    return list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == MessageStatus.PENDING)
                                   .order_by(OutboxMessage.id).limit(limit)))


def deliver(message_id: int) -> bool:
    """Try to send one pending message; True if it went. The caller commits after each message.

    The row is locked (skipping rows another sender holds), so two senders running at
    once do not both send it; a message is marked sent only after its sender returned.
    """
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id)
                                .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    if message is None or message.status != MessageStatus.PENDING:
        return False
    message.attempts += 1
    try:
        sender_for(message.channel).send(message)
    except Exception as error:  # noqa: BLE001 - any sender failure means "try again later"
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        if message.attempts >= max_attempts():
            message.status = MessageStatus.FAILED
        db.session.flush()
        return False
    message.status = MessageStatus.SENT
    message.sent_at = utcnow()
    message.last_error = ""
    db.session.flush()
    return True


def send_pending(commit, limit: int = 100) -> tuple[int, int]:
    """Deliver every pending message once, calling `commit()` after each: (sent, not sent)."""
    sent = failed = 0
    for message_id in pending_message_ids(limit):
        if deliver(message_id):
            sent += 1
        else:
            failed += 1
        commit()
    return sent, failed
