"""Where each package's interface text lives, and `python -m workshop.i18n update`.

Every package keeps its own Danish catalogue (<package>/translations/da), so the
packages can change their text independently; Flask-Babel merges them at run time.
English is the source language and needs no catalogue.
"""
import subprocess
import sys
from functools import cached_property, lru_cache

import flask_babel
from flask import Flask, g
from jinja2 import pass_context
from markupsafe import Markup

from .config import PROJECT_ROOT

#: Source paths per catalogue, relative to the project root.
MESSAGE_SOURCES = {
    "workshop": ["workshop", "templates/base.html", "templates/_macros", "templates/errors", "templates/workshop",
                 "templates/auth"],
    "staffing": ["staffing", "templates/staffing"],
    "production": ["production", "templates/production"],
    "shop": ["shop", "templates/shop"],
}
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2"]


def current_translations(fetch=flask_babel.get_translations):
    """The merged catalogue of the locale Flask-Babel chose for this context.

    Flask-Babel finds it through several context proxies on every string (about 25 µs); a page shows
    hundreds. This reads the chosen locale once and keeps its catalogue in Flask-Babel's own
    per-context namespace, keyed by locale, so `force_locale` and `refresh` still apply.
    """
    state = getattr(g._get_current_object(), "_flask_babel", None)
    locale = getattr(state, "babel_locale", None)
    if locale is None:  # not chosen yet in this context: let Flask-Babel choose (and remember)
        return fetch()
    by_locale = state.__dict__.setdefault("stitchwork_translations", {})
    if locale not in by_locale:
        by_locale[locale] = fetch()
    return by_locale[locale]


class RememberingDomain(flask_babel.Domain):
    """Flask-Babel's message domain for `gettext` and `lazy_gettext` in Python code, finding the
    catalogue as `current_translations` does."""

    def get_translations(self):
        return current_translations(fetch=super().get_translations)


class StitchworkBabel(flask_babel.Babel):
    """Flask-Babel with the RememberingDomain as its default domain."""

    @cached_property
    def domain_instance(self):
        return RememberingDomain(domain=self.domain)


def current_locale_name() -> str:
    """The chosen locale's name ("da", "en"), as cheaply as `current_translations` finds it."""
    state = getattr(g._get_current_object(), "_flask_babel", None)
    locale = getattr(state, "babel_locale", None) or flask_babel.get_locale()
    return str(locale)


def memoized_per_locale(format_value):
    """`format_value(value, *options)` remembered per value, options and locale.

    Babel's formatting of a date or an amount is a pure function of those (the time zone is always
    Europe/Copenhagen) but costs 15-30 µs; a page repeats the same days, times and prices many times.
    """
    @lru_cache(maxsize=8192)
    def remembered(value, options, locale_name):
        return format_value(value, *options)

    return lambda value, *options: remembered(value, options, current_locale_name())


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    """Jinja's "new style" gettext (escaped, then %-formatted), without its two extra layers of calls."""
    text = current_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text  # ("%%" is a literal "%", as in Jinja's)


@pass_context
def _template_ngettext(context, singular: str, plural: str, number: int, **variables) -> str:
    variables.setdefault("num", number)
    text = current_translations().ungettext(singular, plural, number)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def install_template_gettext(app: Flask) -> None:
    """Templates' `_`, `gettext` and `ngettext` through `current_translations` (after Babel's init_app,
    whose `pgettext` stays): a page draws hundreds of strings."""
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)


def catalogue_path(package: str):
    return PROJECT_ROOT / package / "translations" / "da" / "LC_MESSAGES" / "messages.po"


def update(package: str) -> None:
    """Extract the package's text and merge it into its Danish catalogue."""
    template = PROJECT_ROOT / package / "translations" / "messages.pot"
    sources = [str(PROJECT_ROOT / path) for path in MESSAGE_SOURCES[package] if (PROJECT_ROOT / path).exists()]
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "-q"]
    subprocess.run([*pybabel, "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), *KEYWORDS,
                    "--no-location", "-o", str(template), *sources], check=True)
    catalogue = ["-i", str(template), "-d", str(template.parent), "-l", "da"]
    if catalogue_path(package).exists():
        subprocess.run([*pybabel, "update", *catalogue, "--no-fuzzy-matching"], check=True)
    else:
        subprocess.run([*pybabel, "init", *catalogue], check=True)


def fill(package: str, danish: dict[str, str]) -> list[str]:
    """Write Danish translations into a catalogue; returns the msgids still missing."""
    from babel.messages.pofile import read_po, write_po  # noqa: PLC0415 - developer tool only

    path = catalogue_path(package)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="da")
    for message in catalog:
        if message.id and message.id in danish:
            message.string = danish[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return [message.id for message in catalog if message.id and not message.string]


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m workshop.i18n update")
    for name in MESSAGE_SOURCES:
        update(name)
