"""Easy Danish: many residents and trainees read Danish as a second language, so the Danish text
they (and business buyers) see is kept easy to read, measured by LIX: words per sentence plus the
percentage of long words (more than 6 letters). Below 25 is very easy; 35 is ordinary news text."""
import re

import pytest
from babel.messages.pofile import read_po

from tests.workshop.test_i18n import messages_in
from workshop.i18n import MESSAGE_SOURCES, catalogue_path

#: What residents, trainees and business buyers see: their pages and the modules whose text reaches them.
EASY_SOURCES = [
    # residents: booking a repair, the QR ticket page and the messages they are sent
    "templates/shop/public", "shop/repairs/public_views.py", "shop/repairs/forms.py", "shop/outbox.py",
    "shop/repairs/tickets.py",
    # business buyers: their account, asking for a price, their orders and an order's page
    "templates/shop/account.html",
    "templates/shop/orders/new.html", "templates/shop/orders/mine.html", "templates/shop/orders/order.html",
    "templates/shop/orders/_timeline.html", "shop/orders/requests.py",
    # business buyers: the quote by link, proofs and the quote e-mail
    "templates/shop/orders/quote_public.html", "templates/shop/orders/_quote_lines.html",
    "templates/shop/orders/_proof_card.html", "templates/shop/orders/_proof_decide.html",
    "templates/shop/orders/quote_link_problem.html", "shop/orders/quotes.py",
    # business buyers: their invoices, the invoice e-mails and the order page's money section
    "templates/shop/orders/invoice.html", "templates/shop/orders/invoices.html",
    "templates/shop/orders/_invoice_document.html", "templates/shop/orders/_invoice_pay.html",
    "templates/shop/orders/_invoices_section.html", "shop/orders/invoice_mail.py",
    # business buyers: their order's production progress, impact statement and delivery notes
    "templates/shop/orders/_production.html", "templates/shop/orders/_release.html", "templates/shop/orders/_impact.html",
    "templates/shop/orders/delivery_note.html",
    # business buyers: their account
    "templates/shop/account.html", "templates/shop/catalogue/index.html", "templates/shop/catalogue/_prices.html",
    # webshop buyers: the shop, the cart, the order page by link and the e-mail
    "templates/shop/webshop/index.html", "templates/shop/webshop/product.html", "templates/shop/webshop/cart.html",
    "templates/shop/webshop/order.html", "templates/shop/webshop/_nav.html",
    # trainees: their own page, the logbook, the shop floor and their week plan
    "templates/staffing/my_page.html", "templates/staffing/_logbook_form.html", "templates/staffing/logbook_form.html",
    "templates/staffing/logbook_list.html", "staffing/logbook.py",
    "templates/production/floor.html", "production/floor.py", "production/floor_views.py",
    "templates/production/planner/mine.html", "templates/shop/impact/mine.html",
]
EASY_LIX = 25
EASY_SENTENCE_LIX = 40
LEADER_LIX = 35
# A sentence needs some words before its LIX means anything: one long word ("Opsømning") scores 101,
# and five words with two long ones ("Gemt: X minutter og X stykker") 45.
SENTENCE_MIN_WORDS = 6

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")
PLACEHOLDER = re.compile(r"%(\([a-z_]+\))?[sd]|\{[a-z_]+\}")
TAG = re.compile(r"<[^>]+>")


def danish_catalogue() -> dict[str, str]:
    danish = {}
    for package in MESSAGE_SOURCES:
        with catalogue_path(package).open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    danish[key] = message.string if isinstance(message.string, str) else message.string[0]
    return danish


def sentences(text: str) -> list[list[str]]:
    """The sentences of a message, each as its words (a placeholder counts as one short word)."""
    text = PLACEHOLDER.sub("X", TAG.sub(" ", text))
    return [words for part in SENTENCE_END.split(text) if (words := WORD.findall(part))]


def is_long(word: str) -> bool:
    return len(word.replace("-", "")) > 6


def lix(sentence_list: list[list[str]]) -> float:
    words = [word for sentence in sentence_list for word in sentence]
    return len(words) / len(sentence_list) + 100 * sum(map(is_long, words)) / len(words)


def texts(msgids) -> list[str]:
    danish = danish_catalogue()
    return [danish[msgid] for msgid in sorted(msgids) if msgid in danish]


def all_sentences(msgids) -> list[list[str]]:
    return [sentence for text in texts(msgids) for sentence in sentences(text)]


def easy_msgids() -> set[str]:
    return messages_in(EASY_SOURCES)


def leader_msgids() -> set[str]:
    every = messages_in(path for paths in MESSAGE_SOURCES.values() for path in paths)
    return every - easy_msgids()


def test_lix_counts_words_per_sentence_and_long_words():
    # 8 words in 2 sentences, 2 of them longer than 6 letters: 4 + 25
    assert lix(sentences("Dit tøj er klar. Kom og afhente reparationen.")) == pytest.approx(8 / 2 + 100 * 2 / 8)
    assert sentences("Hej %(name)s. <strong>Tak</strong>!") == [["Hej", "X"], ["Tak"]]


def test_residents_trainees_and_buyers_read_easy_danish():
    found = all_sentences(easy_msgids())
    assert len(found) > 100  # the sources above still hold their text
    assert lix(found) <= EASY_LIX


@pytest.mark.parametrize("msgid", sorted(easy_msgids()))
def test_no_hard_sentence_for_residents_trainees_and_buyers(msgid):
    danish = danish_catalogue().get(msgid, "")
    hard = [" ".join(sentence) for sentence in sentences(danish)
            if len(sentence) >= SENTENCE_MIN_WORDS and lix([sentence]) > EASY_SENTENCE_LIX]
    assert hard == [], f"write shorter sentences with shorter words: {danish!r}"


def test_leaders_read_ordinary_danish():
    assert lix(all_sentences(leader_msgids())) < LEADER_LIX
