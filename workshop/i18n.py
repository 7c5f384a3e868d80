"""Where each package's interface text lives, and `python -m workshop.i18n update`.

Every package keeps its own Danish catalogue (<package>/translations/da), so the
packages can change their text independently; Flask-Babel merges them at run time.
English is the source language and needs no catalogue.
"""
import subprocess
import sys

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
