"""Parts of the busy public pages kept rendered for a few seconds (micro-caching).

The booking page's price list and free times, the webshop's product list and a repair ticket's page are
the same for every visitor for seconds at a time, but drawing them is most of a request's cost. They
are kept for PUBLIC_FRAGMENT_SECONDS (10 by default) per language, in Redis when the app has one (every
web process sees the same copy) or in the process. The services that change what a kept part shows
forget it, at once and again after their transaction commits (a visitor who drew the page in between
would otherwise keep the old copy), so a booking, a new status or a sale shows on the next visit; a
change made any other way shows within the kept seconds. Nothing is decided from a kept copy: a booking
or a checkout checks places and stock again in its own transaction. Forms, CSRF tokens and anything
about the visitor are never part of one.
"""
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import cache, db
from .i18n import current_locale_name

#: Where a transaction remembers the keys to forget again once it has committed.
FORGET_AFTER_COMMIT = "stitchwork.forget_fragments"


def kept(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value for `name` in the current language, kept a few seconds (None is never kept)."""
    seconds = current_app.config["PUBLIC_FRAGMENT_SECONDS"]
    if not seconds:
        return compute()
    key = f"{name}:{current_locale_name()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout=seconds)
    return value


def kept_fragment(name: str, render: Callable[[], str]) -> Markup:
    """The HTML `render()` draws for `name`, kept a few seconds per language."""
    return Markup(kept(name, lambda: str(render())))


def forget_fragment(name: str) -> None:
    """Drop every language's copy of `name`, now and once the current transaction has committed."""
    keys = [f"{name}:{locale}" for locale in current_app.config["LANGUAGES"]]
    cache.delete_many(*keys)
    db.session.info.setdefault(FORGET_AFTER_COMMIT, set()).update(keys)


@event.listens_for(Session, "after_commit")
def _forget_again_after_commit(session: Session) -> None:
    keys = session.info.pop(FORGET_AFTER_COMMIT, None)
    if keys and has_app_context():
        cache.delete_many(*keys)


@event.listens_for(Session, "after_soft_rollback")
def _nothing_to_forget_after_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(FORGET_AFTER_COMMIT, None)
