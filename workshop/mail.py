"""E-mail from the core (a password reset link).

The core keeps no outbox of its own: the package that owns the outbox (shop) registers a mailer
at start-up, which writes the message in the same transaction as the change it tells about.
Imports keep pointing down: shop calls register_mailer; the core never imports shop.
"""
import logging
from collections.abc import Callable

from flask import Flask, current_app

log = logging.getLogger(__name__)

#: mailer(kind, recipient, subject, body): queue one e-mail; flushes, never commits.
Mailer = Callable[[str, str, str, str], None]
_EXTENSION_KEY = "stitchwork.mailer"


def register_mailer(app: Flask, mailer: Mailer) -> None:
    app.extensions[_EXTENSION_KEY] = mailer


def send_mail(kind: str, recipient: str, subject: str, body: str) -> bool:
    """Queue an e-mail through the registered mailer; False (and a warning, without the body,
    which may hold a secret link) when no package registered one."""
    mailer = current_app.extensions.get(_EXTENSION_KEY)
    if mailer is None:
        log.warning("No mailer is registered: the %s e-mail to %s is not sent.", kind, recipient)
        return False
    mailer(kind, recipient, subject, body)
    return True
