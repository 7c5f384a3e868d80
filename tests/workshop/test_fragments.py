"""Kept fragments (workshop/fragments.py): drawn once, kept the configured seconds per language,
forgotten at once when asked; Redis holds them when the app has one. The pages that use them are
tested in tests/shop/test_kept_fragments.py."""
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import text

from workshop.config import build_config
from workshop.extensions import db
from workshop.fragments import forget_fragment, kept_fragment


def test_a_fragment_is_drawn_once_and_kept_for_the_configured_seconds(app, clock):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 10
    drawn = []

    def render():
        drawn.append(1)
        return f"<p>copy {len(drawn)}</p>"

    with app.test_request_context("/"):
        assert kept_fragment("test-list", render) == "<p>copy 1</p>"
        assert kept_fragment("test-list", render) == "<p>copy 1</p>"
        clock.shift(timedelta(seconds=11))
        assert kept_fragment("test-list", render) == "<p>copy 2</p>"
    assert len(drawn) == 2


def test_each_language_has_its_own_copy_and_forgetting_drops_all_of_them(app):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 10
    with app.test_request_context("/"):
        with force_locale("da"):
            assert kept_fragment("test-list", lambda: "dansk") == "dansk"
        with force_locale("en"):
            assert kept_fragment("test-list", lambda: "english") == "english"
            assert kept_fragment("test-list", lambda: "new") == "english"
        forget_fragment("test-list")
        with force_locale("da"):
            assert kept_fragment("test-list", lambda: "ny") == "ny"
        with force_locale("en"):
            assert kept_fragment("test-list", lambda: "new") == "new"


def test_zero_seconds_draws_every_time(app):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 0
    with app.test_request_context("/"):
        assert kept_fragment("test-list", lambda: "one") == "one"
        assert kept_fragment("test-list", lambda: "two") == "two"


def test_the_shared_cache_is_redis_when_the_app_has_one():
    with_redis = build_config("/tmp", env={"REDIS_URL": "redis://127.0.0.1:6379/13"})
    without = build_config("/tmp", env={})
    assert (with_redis["CACHE_TYPE"], with_redis["CACHE_REDIS_URL"]) == ("RedisCache", "redis://127.0.0.1:6379/13")
    assert without["CACHE_TYPE"] == "SimpleCache"


def test_a_copy_drawn_while_the_change_was_not_yet_committed_is_forgotten_at_commit(app):
    """A visitor may draw the page between the service's forget and its commit (seeing the old data);
    her copy must not outlive the commit."""
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 10
    with app.test_request_context("/"):
        db.session.execute(text("SELECT 1"))
        forget_fragment("test-list")
        assert kept_fragment("test-list", lambda: "old data") == "old data"
        db.session.commit()
        assert kept_fragment("test-list", lambda: "new data") == "new data"


def test_a_rolled_back_change_forgets_nothing_later(app):
    app.config["PUBLIC_FRAGMENT_SECONDS"] = 10
    with app.test_request_context("/"):
        db.session.execute(text("SELECT 1"))  # services forget inside a transaction that did work
        forget_fragment("test-list")
        db.session.rollback()
        assert kept_fragment("test-list", lambda: "kept") == "kept"
        db.session.commit()
        assert kept_fragment("test-list", lambda: "drawn again") == "kept"
