"""Quotes: prices, the date advice, sending, the link, accepting, expiring (clock: Monday 23 Nov 2026)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shop.models import OutboxMessage
from shop.orders import events, quotes
from shop.orders.models import CustomerPrice, OrderStatus
from staffing.models import AvailabilitySlot, PaceAssessment
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role

TODAY = date(2026, 11, 23)


def terms(order, **changes):
    values = dict(deposit_percent=30, payment_terms_days=14, valid_until=TODAY + timedelta(days=30),
                  promised_date=date(2026, 12, 18), message="Tak for jeres forespørgsel")
    values.update(changes)
    return quotes.QuoteTerms(**values)


@pytest.fixture
def people(make_person):
    """Make a site's worker able to do every operation: Monday-Friday 9-12 at standard pace."""

    def make(site, count=1):
        for _ in range(count):
            person = make_person(site=site)
            for weekday in range(5):
                person.availability.append(AvailabilitySlot(weekday=weekday, start_minute=540, end_minute=720))
            person.pace_history.append(PaceAssessment(percent=100, since=date(2020, 1, 1)))
        db.session.flush()

    return make


@pytest.fixture
def quoted(make_order, make_user, people):
    """quoted(**order fields) -> (order, quote, token, leader): a quote sent for 500 bags."""

    def make(**fields):
        order = make_order(**fields)
        people(order.site)
        leader = make_user(Role.LEADER, site=order.site)
        quote = quotes.make_quote(order, leader, terms(order))
        token = quotes.send_quote(quote, leader)
        return order, quote, token, leader

    return make


def test_draft_prices_from_tiers_and_her_own_price(make_order, make_company, make_catalogue_product, make_user, people):
    company, user = make_company()
    bags, hearts = make_catalogue_product(), make_catalogue_product()
    db.session.add(CustomerPrice(customer_id=company.id, product_id=hearts.id, unit_price_ore=2750))
    order = make_order(company=company, user=user, lines=[(bags, 60), (hearts, 10)], wished_date=date(2026, 12, 1))
    people(order.site)
    draft = quotes.draft_quote(order, make_user(Role.LEADER, site=order.site))
    assert [(line.list_price_ore, line.unit_price_ore) for line in draft.lines] == [(3900, 3900), (2750, 2750)]
    assert draft.totals.subtotal_ore == 60 * 3900 + 10 * 2750
    assert draft.totals.vat_ore == (draft.totals.subtotal_ore * 25 + 50) // 100
    # 60 bags x 3 min + 10 x 3 = 210 standard minutes; one person, 180 a day: Tuesday.
    assert draft.advice.earliest == date(2026, 11, 24) and draft.advice.possible
    assert draft.forecast.total_minutes == 210 and draft.forecast.people == 1
    assert draft.terms.promised_date == date(2026, 12, 1)


def test_vat_rounds_half_up_once_and_vat_exempt_has_none(make_order, make_company, make_catalogue_product,
                                                          make_user, people):
    product = make_catalogue_product(tiers=((1, 3),))  # 3 øre: 1 piece gives 0.75 øre VAT -> 1
    company, user = make_company(vat_exempt=True)
    for customer, vat in ((None, 1), ((company, user), 0)):
        kwargs = {"company": customer[0], "user": customer[1]} if customer else {}
        order = make_order(lines=[(product, 1)], **kwargs)
        people(order.site)
        leader = make_user(Role.LEADER, site=order.site)
        quote = quotes.make_quote(order, leader, terms(order))
        assert (quote.subtotal_ore, quote.vat_ore, quote.total_ore) == (3, vat, 3 + vat)


def test_a_leader_may_change_a_price_with_a_reason_within_bounds(make_order, make_user, people):
    order = make_order()
    people(order.site)
    leader = make_user(Role.LEADER, site=order.site)
    line_id = order.lines[0].id
    with pytest.raises(DomainError, match="listeprisen"):
        quotes.make_quote(order, leader, terms(order, prices={line_id: (3000, "")}))
    for bad in (-1, quotes.MAX_UNIT_PRICE_ORE + 1, None):
        with pytest.raises(DomainError):
            quotes.make_quote(order, leader, terms(order, prices={line_id: (bad, "fast kunde")}))
    quote = quotes.make_quote(order, leader, terms(order, prices={line_id: (3000, "Fast kunde")}))
    line = quote.lines[0]
    assert (line.list_price_ore, line.unit_price_ore, line.price_reason) == (3200, 3000, "Fast kunde")
    assert quote.subtotal_ore == 500 * 3000


@pytest.mark.parametrize("change", [
    {"deposit_percent": 101}, {"deposit_percent": -1}, {"payment_terms_days": 61},
    {"valid_until": TODAY - timedelta(days=1)}, {"valid_until": TODAY + timedelta(days=91)},
    {"promised_date": TODAY - timedelta(days=1)}, {"message": "x" * 2001},
])
def test_bad_terms_are_refused(make_order, make_user, people, change):
    order = make_order()
    people(order.site)
    with pytest.raises(DomainError):
        quotes.make_quote(order, make_user(Role.LEADER, site=order.site), terms(order, **change))
    assert order.quotes == []


def test_other_quoted_orders_are_tentative_load(make_order, make_site, make_catalogue_product, make_user, people):
    site = make_site()
    product = make_catalogue_product()
    people(site)
    leader = make_user(Role.LEADER, site=site)
    first = make_order(site=site, lines=[(product, 60)])
    assert quotes.draft_quote(first, leader).advice.earliest == TODAY  # 180 minutes: today
    other = make_order(site=site, lines=[(product, 60)])
    quotes.send_quote(quotes.make_quote(other, leader, terms(other)), leader)
    assert quotes.tentative_work(site, but=first) != {}
    assert quotes.draft_quote(first, leader).advice.earliest == date(2026, 11, 24)


def test_sending_makes_a_version_a_hashed_token_and_an_email(quoted):
    order, quote, token, _leader = quoted()
    assert order.status == OrderStatus.QUOTED and quote.version == 1 and quote.sent_at
    assert quote.token_hash != token and len(quote.token_hash) == 64
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "quote_sent"))
    assert f"http://127.0.0.1:5000/q/{token}" in message.body or f"/q/{token}" in message.body
    assert quotes.quote_by_token(token) is quote


def test_a_token_opens_only_its_own_latest_quote(quoted):
    order, quote, token, leader = quoted()
    _other_order, other_quote, other_token, _ = quoted()
    assert quotes.quote_by_token(other_token) is other_quote
    with pytest.raises(NotFound):
        quotes.quote_by_token("not-a-token")
    newer = quotes.make_quote(order, leader, terms(order))
    new_token = quotes.send_quote(newer, leader)
    assert newer.version == 2 and quotes.quote_by_token(new_token) is newer
    with pytest.raises(quotes.LinkProblem) as problem:
        quotes.quote_by_token(token)
    assert not problem.value.expired
    with pytest.raises(DomainError):
        quotes.accept_quote(quote, "Karin")


def test_accepting_records_who_when_and_the_version_and_tells_the_others(quoted):
    order, quote, token, _leader = quoted()
    heard = []
    # Listen for this test only; the app's own receivers (invoicing, production) stay connected.
    with events.quote_accepted.connected_to(lambda sender, **kwargs: heard.append((sender, kwargs))):
        quotes.accept_quote(quote, "  Karin Indkøber ")
    assert order.status == OrderStatus.ACCEPTED and order.accepted_quote_id == quote.id
    assert quote.accepted_by_name == "Karin Indkøber" and quote.accepted_at and order.promised_date == quote.promised_date
    assert heard == [(order, {"quote": quote, "actor": None})]
    with pytest.raises(DomainError, match="allerede"):
        quotes.accept_quote(quote, "Karin")
    assert quotes.quote_by_token(token) is quote  # she can still read what she accepted
    for name in ("", "x" * 121):
        with pytest.raises(DomainError):
            quotes.accept_quote(quote, name)


def test_expired_quotes_expire_and_their_link_says_so(quoted, clock):
    order, quote, token, _leader = quoted()
    clock.move_to(date(2026, 12, 24).isoformat() + "T09:00")  # valid until 23 December
    assert quotes.expire_quotes() == 1 and order.status == OrderStatus.EXPIRED
    assert quotes.expire_quotes() == 0
    with pytest.raises(quotes.LinkProblem) as problem:
        quotes.quote_by_token(token)
    assert problem.value.expired
    with pytest.raises(DomainError):
        quotes.accept_quote(quote, "Karin")


def test_a_stale_form_is_told_that_someone_else_changed_the_order(make_order, make_user, people):
    order = make_order()
    people(order.site)
    leader = make_user(Role.LEADER, site=order.site)
    seen = order.version
    quotes.send_quote(quotes.make_quote(order, leader, terms(order, order_version=seen)), leader)
    with pytest.raises(DomainError, match="En anden har ændret"):
        quotes.make_quote(order, leader, terms(order, order_version=seen))
