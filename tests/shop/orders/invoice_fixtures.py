"""Factories for the invoice tests: an order with an accepted quote (model rows, not the quote module),
delivered through the state machine and the order's signals as the other modules will do it."""
from datetime import timedelta

import pytest

from shop.orders import events, states
from shop.orders.models import OrderStatus, Quote, QuoteLine
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today, utcnow


@pytest.fixture
def invoicing_site(make_site):
    """make a site with a CVR number, an address and a bank account for its invoices."""

    def make(slug=None):
        site = make_site(slug)
        site.cvr, site.address = "12345674", "Værkstedsvej 1, 2635 Ishøj"
        site.bank_reg_no, site.bank_account_no = "1234", "0012345678"
        db.session.flush()
        return site

    return make


@pytest.fixture
def accepted_order(invoicing_site, make_company, make_catalogue_product, make_order):
    """accepted_order(lines=((quantity, unit øre), ...), deposit_percent=...) -> (order, its company user).

    The quote is accepted and `quote_accepted` sent, so a deposit invoice is issued when there is one."""

    def make(lines=((7, 1333),), deposit_percent=33, terms=14, site=None, company=None, **company_fields):
        site = site or invoicing_site()
        company, user = company or make_company(**company_fields)
        order = make_order(site=site, company=company, user=user,
                           lines=[(make_catalogue_product(), quantity) for quantity, _price in lines])
        quote = Quote(order_id=order.id, version=1, valid_until=local_today() + timedelta(days=30),
                      deposit_percent=deposit_percent, payment_terms_days=terms,
                      promised_date=local_today() + timedelta(days=40))
        quote.lines = [QuoteLine(order_line_id=line.id, quantity=line.quantity, list_price_ore=price,
                                 unit_price_ore=price) for line, (_quantity, price) in zip(order.lines, lines)]
        quote.subtotal_ore = sum(line.total_ore for line in quote.lines)
        db.session.add(quote)
        db.session.flush()
        states.change_status(order, OrderStatus.QUOTED)
        quote.accepted_at, quote.accepted_by_id = utcnow(), user.id
        order.accepted_quote = quote
        states.change_status(order, OrderStatus.ACCEPTED, user)
        events.quote_accepted.send(order, quote=quote, actor=user)
        db.session.commit()
        return order, user

    return make


@pytest.fixture
def deliver(make_user):
    """deliver(order): in production, ready, delivered, and `order_delivered` sent (the balance invoice)."""

    def run(order):
        leader = make_user(Role.LEADER, site=order.site)
        for status in (OrderStatus.IN_PRODUCTION, OrderStatus.READY, OrderStatus.DELIVERED):
            if order.status != status:  # without a deposit, acceptance already started production
                states.change_status(order, status, leader)
        events.order_delivered.send(order, delivery=None, actor=leader)
        db.session.commit()
        return leader

    return run
