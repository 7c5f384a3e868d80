"""All interface text has a Danish translation (Danish is the default language)."""
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from workshop.config import PROJECT_ROOT
from workshop.i18n import MESSAGE_SOURCES, catalogue_path

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**.html", "jinja2")]


def source_messages(package: str) -> set[str]:
    return messages_in(MESSAGE_SOURCES[package])


def messages_in(paths) -> set[str]:
    """The msgids (first form of a plural) used in these files and folders, relative to the project root."""
    found = set()
    for path in paths:
        full = PROJECT_ROOT / path
        if full.is_file():
            directory, only = full.parent, [(full.name, "python" if full.suffix == ".py" else "jinja2")]
        else:
            directory, only = full, METHODS
        for _file, _line, message, _comments, _context in extract_from_dir(directory, only, keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("package", sorted(MESSAGE_SOURCES))
def test_every_message_has_a_danish_translation(package):
    with catalogue_path(package).open("rb") as handle:
        catalog = read_po(handle)
    translated = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in catalog if message.id and message.string and "fuzzy" not in message.flags}
    missing = sorted(source_messages(package) - translated)
    assert missing == [], f"run `make messages` and translate these in {catalogue_path(package)}"


def test_one_english_text_has_one_danish_translation_across_packages():
    """Flask-Babel merges the catalogues, so a text translated two ways would silently lose one."""
    translations: dict[str, dict[str, str]] = {}
    for package in MESSAGE_SOURCES:
        with catalogue_path(package).open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and message.string:
                    translations.setdefault(message.id, {})[package] = message.string
    clashes = {text: by_package for text, by_package in translations.items() if len(set(by_package.values())) > 1}
    assert clashes == {}, "use a more specific English text in one package"
