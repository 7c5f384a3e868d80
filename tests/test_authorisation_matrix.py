"""The authorisation matrix (issue 14): who may use each route, declared once and checked on every route.

`ROUTES` says, for every endpoint of the app, which roles may use it and whose objects it is about:
"site" (the object belongs to a workshop; another workshop's leader is refused), "company" (it belongs
to a business customer; another company's customer is refused) or nothing (her own pages, lists of her
own site, public pages). The test builds the demo data, adds a customer of a second company, and walks
every route as seven visitors with real ids of Ishøj's objects and Tekstilservice's orders; each answer
must match the table. A route without a row fails the test, so a new route is declared before it lands.

GET routes are opened by every visitor. POST routes are sent by every visitor the table refuses (they
must be refused before anything happens); the allowed visitors' posts are the routes' own tests' work.
"""
import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from shop.companies import services as companies
from shop.models import Customer
from tests.conftest import TEST_PASSWORD
from workshop import services as core
from workshop.cli import seed_demo
from workshop.extensions import db
from workshop.models import Role, User

ANONYMOUS, TRAINEE, STAFF, CUSTOMER_A, CUSTOMER_B, OTHER_LEADER, LEADER = (
    "anonymous", "trainee", "staff", "customer A", "customer B", "other site's leader", "leader")
VISITORS = (ANONYMOUS, CUSTOMER_B, CUSTOMER_A, TRAINEE, STAFF, OTHER_LEADER, LEADER)
LOGINS = {TRAINEE: "deltager01@ishoj.example", STAFF: "personale@ishoj.example",
          CUSTOMER_A: "kunde@tekstilservice.example", CUSTOMER_B: "indkob@kodevaerkstedet.example",
          OTHER_LEADER: "leder@gladsaxe.example", LEADER: "leder@ishoj.example"}
#: The role each visitor has.
ROLE_OF = {ANONYMOUS: "anonymous", TRAINEE: "trainee", STAFF: "staff", CUSTOMER_A: "customer",
           CUSTOMER_B: "customer", OTHER_LEADER: "leader", LEADER: "leader"}

#: The secret of the token links the test makes (their hashes are stored, as for real links).
KNOWN_TOKEN = "a-token-the-matrix-test-knows"

PUBLIC = frozenset({"anonymous", "trainee", "staff", "customer", "leader"})
USERS = PUBLIC - {"anonymous"}
WORKSHOP = frozenset({"leader", "staff"})
LEADERS = frozenset({"leader"})
CUSTOMERS = frozenset({"customer"})
TRAINEES = frozenset({"trainee"})


@dataclass(frozen=True)
class Access:
    """Who may use a route: these roles, and only for objects of their own site/company."""

    roles: frozenset[str]
    owner: tuple[str, ...] = ()

    def allows(self, visitor: str, rule) -> bool:
        """Whether the visitor may use the route at this address (its objects are Ishøj's and Tekstilservice's)."""
        if ROLE_OF[visitor] not in self.roles:
            return False
        if not rule.arguments:  # a list of her own, or a form for a new object: no one else's object to refuse
            return True
        if "site" in self.owner and visitor == OTHER_LEADER:
            return False
        return not ("company" in self.owner and visitor == CUSTOMER_B)


def allow(roles: frozenset[str], *owner: str) -> Access:
    return Access(roles, owner)


#: Every route of the app: who may use it, and whose object it is about.
ROUTES: dict[str, Access] = {
    # The JSON API reads no session cookie, only a bearer token: walked with a login, its token routes
    # refuse everyone (401). Who may use them with a token: tests/shop/api/test_api_access.py.
    "api-docs.openapi_json": allow(PUBLIC),
    "api.book": allow(PUBLIC),
    "api.booking_options": allow(PUBLIC),
    "api.impact": allow(frozenset()),
    "api.order": allow(frozenset()),
    "api.orders": allow(frozenset()),
    "api.ticket": allow(PUBLIC),
    "auth.account": allow(USERS),
    "auth.change_password": allow(USERS),
    "auth.forgot_password": allow(PUBLIC),
    # Only between the password and the code; everyone else goes to the login page (test_logging_in.py).
    "auth.login_code": allow(frozenset()),
    "auth.log_out_everywhere": allow(USERS),
    "auth.reset_password": allow(PUBLIC),  # the link's token is the key
    "auth.two_factor": allow(USERS),  # leaders set it up; others are sent back to their account page
    "auth.two_factor_off": allow(USERS),
    "api_tokens.index": allow(CUSTOMERS | LEADERS),
    "api_tokens.revoke": allow(CUSTOMERS | LEADERS),  # her own tokens only (tests/shop/api/test_tokens.py)
    "catalogue.edit": allow(LEADERS),
    "catalogue.index": allow(CUSTOMERS),
    "catalogue.photo": allow(WORKSHOP | CUSTOMERS),
    "catalogue.remove_price": allow(LEADERS),
    "catalogue.set_price": allow(LEADERS),
    "catalogue.setup": allow(LEADERS),
    "companies.decide": allow(LEADERS),
    "companies.invite": allow(CUSTOMERS),
    "companies.join": allow(PUBLIC),
    "companies.register": allow(PUBLIC),
    "companies.registrations": allow(LEADERS),
    "floor.index": allow(WORKSHOP | TRAINEES),
    "floor.person": allow(WORKSHOP | TRAINEES, "site"),
    "floor.record": allow(WORKSHOP | TRAINEES, "site"),
    "floor.start": allow(WORKSHOP | TRAINEES, "site"),
    "floor.stop": allow(WORKSHOP | TRAINEES, "site"),
    "fulfilment.deliveries": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "fulfilment.delivery_note": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "fulfilment.record_delivery": allow(LEADERS, "site"),
    "hours.add_employment": allow(LEADERS, "site"),
    "hours.book": allow(LEADERS),
    "hours.correct": allow(LEADERS, "site"),
    "hours.end_employment": allow(LEADERS, "site"),
    "hours.find_person": allow(LEADERS),
    "hours.import_people": allow(LEADERS),
    "hours.jobcentre": allow(LEADERS),
    "hours.overview": allow(LEADERS),
    "hours.payroll": allow(LEADERS),
    "hours.payroll_csv": allow(LEADERS),
    "hours.person_ledger": allow(LEADERS, "site"),
    "hours.rules_page": allow(LEADERS),
    "impact.annual": allow(LEADERS),
    "impact.chart_image": allow(WORKSHOP),
    "impact.company": allow(CUSTOMERS),
    "impact.index": allow(WORKSHOP),
    "impact.mine": allow(TRAINEES),
    "impact.months_chart": allow(WORKSHOP),
    "impact.public_page.site_page": allow(PUBLIC),  # a site that opted in (Ishøj, below)
    "impact.publication": allow(LEADERS),
    "impact.table_download": allow(WORKSHOP),
    "invoices.index": allow(WORKSHOP | CUSTOMERS),
    "invoices.pay": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "invoices.pdf": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "invoices.register_transfer": allow(LEADERS, "site"),
    "invoices.show": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "invoices.ubl": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "orders.approve_terms": allow(LEADERS, "site"),
    "orders.cancel": allow(LEADERS, "site"),
    "orders.decline": allow(LEADERS, "site"),
    "orders.logo": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "orders.mine": allow(WORKSHOP | CUSTOMERS),
    "orders.new": allow(CUSTOMERS),
    "orders.order": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "orders.withdraw": allow(CUSTOMERS, "company"),
    "orders.workshop": allow(WORKSHOP),
    "payments.done": allow(PUBLIC),
    "planner.accept": allow(LEADERS, "site"),
    "planner.board": allow(LEADERS, "site"),
    "planner.forbid": allow(LEADERS, "site"),
    "planner.index": allow(LEADERS),
    "planner.lock": allow(LEADERS, "site"),
    "planner.mine": allow(TRAINEES),
    "planner.optimise": allow(LEADERS, "site"),
    "planner.pin": allow(LEADERS, "site"),
    "planner.progress": allow(LEADERS, "site"),
    "planner.replan": allow(LEADERS, "site"),
    "planner.sheet": allow(LEADERS, "site"),
    "production.add_step": allow(LEADERS),
    "production.add_variant": allow(LEADERS),
    "production.board": allow(WORKSHOP),
    "production.cancel_work_order": allow(LEADERS, "site"),
    "production.capacity": allow(WORKSHOP),
    "production.delete_step": allow(LEADERS),
    "production.delete_variant": allow(LEADERS),
    "production.move_step": allow(LEADERS),
    "production.new_product": allow(LEADERS),
    "production.new_work_order": allow(LEADERS),
    "production.operation_form": allow(LEADERS),
    "production.operations": allow(WORKSHOP),
    "production.product": allow(LEADERS),
    "production.products": allow(WORKSHOP),
    "production.release_work_order": allow(LEADERS, "site"),
    "production.rework": allow(WORKSHOP, "site"),
    "production.task": allow(WORKSHOP, "site"),
    "production.task_status": allow(WORKSHOP, "site"),
    "production.update_step": allow(LEADERS),
    "production.work_order": allow(WORKSHOP, "site"),
    "production.work_orders": allow(WORKSHOP),
    "quotes.accept": allow(CUSTOMERS, "company"),
    "quotes.confirmation": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "quotes.decide_proof": allow(CUSTOMERS, "company"),
    "quotes.new_quote": allow(LEADERS, "site"),
    "quotes.print_quote": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "quotes.proof_image": allow(WORKSHOP | CUSTOMERS, "site", "company"),
    "quotes.upload_proof": allow(WORKSHOP, "site"),
    "quotes_public.public_accept": allow(PUBLIC),
    "quotes_public.public_decide": allow(PUBLIC),
    "quotes_public.public_proof_image": allow(PUBLIC),
    "quotes_public.public_quote": allow(PUBLIC),
    "refunds.refund": allow(LEADERS, "site"),
    "repairs.cancel": allow(WORKSHOP, "site"),
    "repairs.collect": allow(WORKSHOP, "site"),
    "repairs.desk": allow(WORKSHOP),
    "repairs.handover": allow(WORKSHOP, "site"),
    "repairs.no_show": allow(LEADERS, "site"),
    "repairs.online_payment": allow(WORKSHOP, "site"),
    "repairs.overdue": allow(LEADERS),
    "repairs.pay_online": allow(WORKSHOP, "site"),
    "repairs.poster": allow(WORKSHOP),
    "repairs.receive": allow(WORKSHOP, "site"),
    "repairs.remind": allow(LEADERS, "site"),
    "repairs.erase_resident": allow(LEADERS, "site"),
    "repairs.remove_slot": allow(LEADERS, "site"),
    "repairs.slots": allow(LEADERS),
    "repairs.tag": allow(WORKSHOP, "site"),
    "repairs.ticket": allow(WORKSHOP, "site"),
    "repairs.walk_in": allow(WORKSHOP),
    "repairs_public.book": allow(PUBLIC),
    "repairs_public.ticket": allow(PUBLIC),
    # A resident's own tickets: the one-time code sent to her phone or e-mail is the key.
    "repairs_public.my_repairs": allow(PUBLIC),
    "repairs_public.my_repairs_code": allow(PUBLIC),
    "repairs_public.my_repairs_list": allow(PUBLIC),
    "repairs_public.my_repairs_json": allow(PUBLIC),
    "retail.adjust": allow(LEADERS),
    "retail.move": allow(LEADERS),
    "retail.movements": allow(WORKSHOP, "site"),
    "retail.restock": allow(LEADERS),
    "retail.set_levels": allow(LEADERS),
    "retail.stock_page": allow(WORKSHOP),
    "shop.account": allow(CUSTOMERS),
    "shop.customer_form": allow(LEADERS),
    "shop.customers": allow(LEADERS),
    "shop.offer_repair": allow(LEADERS, "site"),
    "shop.repair_form": allow(LEADERS, "site"),
    "shop.repair_prices": allow(WORKSHOP),
    "shop.retire_repair": allow(LEADERS, "site"),
    "skills.edit": allow(LEADERS),
    "skills.index": allow(LEADERS),
    "staffing.accommodations": allow(LEADERS | TRAINEES, "site"),
    "staffing.add_pace": allow(WORKSHOP, "site"),
    "staffing.add_skill": allow(WORKSHOP, "site"),
    "staffing.add_step": allow(WORKSHOP, "site"),
    "staffing.agreement": allow(LEADERS, "site"),
    "staffing.availability_page": allow(WORKSHOP, "site"),
    "staffing.change_kind": allow(LEADERS, "site"),
    "staffing.course_status": allow(LEADERS, "site"),
    "staffing.dashboard": allow(WORKSHOP),
    "staffing.delete_exception": allow(WORKSHOP, "site"),
    "staffing.delete_slot": allow(WORKSHOP, "site"),
    "staffing.edit_accommodations": allow(LEADERS, "site"),
    "staffing.edit_course": allow(LEADERS, "site"),
    "staffing.edit_person": allow(WORKSHOP, "site"),
    "staffing.logbook_day": allow(LEADERS | TRAINEES, "site"),
    "staffing.logbook_list": allow(LEADERS | TRAINEES, "site"),
    "staffing.my_page": allow(TRAINEES),
    "staffing.new_course": allow(LEADERS, "site"),
    "staffing.new_followup": allow(LEADERS, "site"),
    "staffing.new_person": allow(WORKSHOP),
    "staffing.erase_person": allow(LEADERS, "site"),
    "staffing.audit_trail_csv": allow(LEADERS, "site"),
    "staffing.export_data": allow(LEADERS, "site"),
    "staffing.privacy_page": allow(LEADERS, "site"),
    "staffing.people": allow(WORKSHOP),
    "staffing.person": allow(WORKSHOP, "site"),
    "staffing.progress_report": allow(LEADERS, "site"),
    "till.change_basket": allow(WORKSHOP),
    "till.day": allow(WORKSHOP),
    "till.days_csv": allow(WORKSHOP),
    "till.index": allow(WORKSHOP),
    # A receipt number counts within her own workshop: every workshop has its receipt 1.
    "till.receipt": allow(WORKSHOP),
    "till.return_items": allow(WORKSHOP),
    "till.sell": allow(WORKSHOP),
    "webhooks.stripe_webhook": allow(PUBLIC),
    "webshop.add_to_cart": allow(PUBLIC),
    "webshop.cart": allow(PUBLIC),
    "webshop.change_cart": allow(PUBLIC),
    "webshop.checkout": allow(PUBLIC),
    "webshop.index": allow(PUBLIC),
    "webshop.photo": allow(PUBLIC),
    "webshop.product": allow(PUBLIC),
    "webshop_order.show": allow(PUBLIC),  # the link's token is the key
    "web_orders.cancel": allow(WORKSHOP, "site"),
    "web_orders.collected": allow(WORKSHOP, "site"),
    "web_orders.consents": allow(LEADERS),
    "web_orders.orders": allow(WORKSHOP),
    "web_orders.packed": allow(WORKSHOP, "site"),
    "web_orders.reserve_again": allow(WORKSHOP, "site"),
    "web_orders.revoke": allow(LEADERS, "site"),
    "web_orders.shipped": allow(WORKSHOP, "site"),
    "workshop.audit_log": allow(LEADERS),
    "workshop.change_language": allow(PUBLIC),
    "workshop.health": allow(PUBLIC),
    "workshop.home": allow(USERS),
    "workshop.login": allow(PUBLIC),
    "workshop.logout": allow(USERS),
    "workshop.ready": allow(PUBLIC),
    "workshop.site_leaders": allow(LEADERS),
    "workshop.site_settings": allow(LEADERS),
}

#: Routes the walk leaves alone: files; and Stripe's two, which answer only a real session or a signed
#: event (tests/shop/test_stripe.py checks them).
NOT_WALKED = {"static", "bootstrap.static", "payments.done", "webhooks.stripe_webhook"}


# --- The world: demo data, a second company's customer, tokens for the token pages -----------------


@dataclass
class World:
    ids: dict[str, list[int]]
    #: The token in a token page's address, by blueprint.
    tokens: dict[str, str]
    #: The order the quote token opens: a token page's proofs are that order's.
    token_order: dict[str, int]


def _table(name):
    return db.metadata.tables[name]


def _ids(query) -> list[int]:
    return list(db.session.scalars(query.limit(50)))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _build_world() -> World:
    users = {visitor: _user(email) for visitor, email in LOGINS.items() if visitor != CUSTOMER_B}
    leader = users[LEADER]
    site_a = leader.site_id
    company_b = db.session.scalar(select(Customer).where(Customer.company_name == "Kodeværkstedet ApS"))
    companies.add_member(company_b, core.create_user(LOGINS[CUSTOMER_B], "Sara Juul", TEST_PASSWORD, Role.CUSTOMER))
    company_a = companies.company_of(users[CUSTOMER_A]).id
    trainee_person = db.session.scalar(select(_table("people").c.id).where(
        _table("people").c.user_id == users[TRAINEE].id))
    _add_what_the_demo_lacks(leader, company_a, trainee_person)
    db.session.commit()
    t = _table

    def of_site(table: str) -> list[int]:
        return _ids(select(t(table).c.id).where(t(table).c.site_id == site_a))

    ids = {
        "order_id": _ids(select(t("orders").c.id).where(t("orders").c.site_id == site_a,
                                                         t("orders").c.customer_id == company_a)
                         .order_by(t("orders").c.id.desc())),
        "person_id": [trainee_person],
        "ticket_id": of_site("repair_tickets"), "plan_id": of_site("plans"),
        "work_order_id": of_site("work_orders"), "task_id": of_site("tasks"),
        "invoice_id": _ids(select(t("invoices").c.id).join(t("orders"), t("orders").c.id == t("invoices").c.order_id)
                           .where(t("invoices").c.site_id == site_a, t("orders").c.customer_id == company_a)),
        "online_payment_id": of_site("online_payments"), "level_id": of_site("stock_levels"),
        "number": _ids(select(t("sales").c.number).where(t("sales").c.site_id == site_a,
                                                        t("sales").c.returns_sale_id.is_(None))),
        "repair_id": of_site("repair_types"), "entry_id": of_site("ledger_entries"),
        "employment_id": _ids(select(t("employments").c.id).join(t("people"), t("people").c.id ==
                                                                 t("employments").c.person_id)
                              .where(t("people").c.site_id == site_a)),
        "customer_id": [company_a],
        "registration_id": _ids(select(t("company_registrations").c.id)),
        "product_id": _ids(select(t("products").c.id)),
        "item_id": _ids(select(t("catalogue_items").c.id).where(t("catalogue_items").c.photo != "")),
        "skill_id": _ids(select(t("skills").c.id)),
        "operation_id": _ids(select(t("operations").c.id)),
        "token_id": _ids(select(t("api_tokens").c.id)),
        "shop_product_id": _ids(select(t("catalogue_items").c.product_id).join(
            t("products"), t("products").c.id == t("catalogue_items").c.product_id).where(
            t("catalogue_items").c.photo != "", t("products").c.sold_in_retail.is_(True))),
        "consent_id": _ids(select(t("maker_consents").c.id).join(
            t("people"), t("people").c.id == t("maker_consents").c.person_id).where(t("people").c.site_id == site_a)),
    }
    quote_order = db.session.scalar(select(t("proofs").c.order_id).where(t("proofs").c.order_id.in_(ids["order_id"])))
    _, invitation_token = companies.invite_colleague(users[CUSTOMER_A], "kollega@tekstilservice.example")
    db.session.commit()
    ticket_token = db.session.scalar(select(t("repair_tickets").c.token).where(t("repair_tickets").c.site_id == site_a))
    tokens = {"repairs_public": ticket_token, "api": ticket_token,
              "quotes_public": _known_quote_token(quote_order), "companies": invitation_token,
              "auth": _known_reset_token(users[CUSTOMER_A]),
              "webshop_order": _known_web_order_token(site_a)}
    return World(ids, tokens, {"order_id": quote_order})


def _add_what_the_demo_lacks(leader: User, company_id: int, person_id: int) -> None:
    """Objects some addresses need that the demo has none of at Ishøj for Tekstilservice."""
    from shop import images
    from shop.orders.demo import _mock_up
    from shop.orders.models import CatalogueItem, Delivery, Invoice, Order, OrderLogo
    from shop.payments.models import OnlinePayment, OnlinePaymentStatus
    from staffing.models import AvailabilityException
    from production.planner.services import make_instant_plan
    from shop.api.tokens import create_token as create_api_token
    from shop.impact.public import set_published as set_impact_published
    from workshop.timeutil import local_today

    order = db.session.scalar(select(Order).where(Order.site_id == leader.site_id, Order.customer_id == company_id)
                              .order_by(Order.id.desc()))
    picture = images.store_image(_mock_up(order), "logos")
    db.session.add(OrderLogo(order_id=order.id, stored_name=picture.name, original_name="logo.png",
                             width=480, height=360, uploaded_by_id=leader.id))
    db.session.add(Delivery(order_id=order.id, sequence=1, delivered_on=local_today(), recorded_by_id=leader.id))
    db.session.add(OnlinePayment(site_id=leader.site_id, payable_kind="invoice", payable_id=1, session_id="cs_matrix",
                                 amount_ore=10_000, status=OnlinePaymentStatus.PAID))
    db.session.add(AvailabilityException(person_id=person_id, day=local_today(), reason="Lægebesøg"))
    item = db.session.scalar(select(CatalogueItem).order_by(CatalogueItem.id))
    item.photo = images.store_image(_mock_up(order), "catalogue").name
    item.product.sold_in_retail = True  # the webshop shows the photo of a product it sells
    for invoice in db.session.scalars(select(Invoice).join(Order).where(Order.customer_id == company_id)):
        invoice.customer_ean = "5798000123458"  # as if sent by Peppol: each invoice has its UBL file
    companies.register_company({"company_name": "Nyt Firma ApS", "cvr": "29403406", "billing_address": "Vej 1",
                                "name": "Ny Kunde", "email": "ny@firma.example", "password": TEST_PASSWORD})
    create_api_token(leader, "Matrix")
    make_instant_plan(leader.site_id, local_today() - timedelta(days=local_today().weekday()), 60 * 60, leader)
    set_impact_published(leader.site, leader, True)


def _known_reset_token(user: User) -> str:
    """A password-reset link of hers whose token the test knows (only its hash is stored)."""
    from workshop import auth
    from workshop.models import PasswordReset
    auth.request_password_reset(user.email)
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
    reset.token_hash = auth._sha256(KNOWN_TOKEN)
    db.session.commit()
    return KNOWN_TOKEN


def _known_quote_token(order_id: int) -> str:
    """The order's latest quote opened by a link whose token the test knows (only its hash is stored)."""
    from shop.orders.models import Quote
    from shop.orders.quotes import _token_hash
    quote = db.session.scalar(select(Quote).where(Quote.order_id == order_id).order_by(Quote.version.desc()))
    quote.token_hash = _token_hash(KNOWN_TOKEN)
    db.session.commit()
    return KNOWN_TOKEN


def _known_web_order_token(site_id: int) -> str:
    """A web order of the site opened by a link whose token the test knows (only its hash is stored)."""
    from shop.retail.web_models import WebOrder
    from shop.retail.webshop import token_hash
    order = db.session.scalar(select(WebOrder).where(WebOrder.site_id == site_id).order_by(WebOrder.id))
    order.token_hash = token_hash(KNOWN_TOKEN)
    db.session.commit()
    return KNOWN_TOKEN


#: Ids that belong to the object chosen for an earlier argument of the same address:
#: argument -> (table, the column naming the parent, the parent's argument).
CHILDREN = {
    "quote_id": ("quotes", "order_id", "order_id"), "proof_id": ("proofs", "order_id", "order_id"),
    "logo_id": ("order_logos", "order_id", "order_id"), "delivery_id": ("deliveries", "order_id", "order_id"),
    "course_id": ("courses", "person_id", "person_id"),
    "exception_id": ("availability_exceptions", "person_id", "person_id"),
    "assignment_id": ("plan_assignments", "plan_id", "plan_id"),
    "step_id": ("routing_steps", "product_id", "product_id"),
    "variant_id": ("product_variants", "product_id", "product_id"),
}
#: Where an argument means another table on one route: (endpoint, argument) -> as in CHILDREN,
#: with "site" for the leader's site; the column named last is the id.
ON_ROUTE = {
    ("repairs.remove_slot", "slot_id"): ("drop_off_slots", "site_id", "site", "id"),
    ("staffing.delete_slot", "slot_id"): ("availability_slots", "person_id", "person_id", "id"),
    ("planner.sheet", "person_id"): ("plan_assignments", "plan_id", "plan_id", "person_id"),
    **{(f"web_orders.{name}", "order_id"): ("web_orders", "site_id", "site", "id")
       for name in ("packed", "collected", "shipped", "cancel", "reserve_again")},
}


def _child_ids(table: str, column: str, parent_id: int, id_column: str = "id") -> list[int]:
    return _ids(select(_table(table).c[id_column]).where(_table(table).c[column] == parent_id))


def _address(rule, world: World, site_a: int) -> str | None:
    """The route's address with real ids of Ishøj's objects (children of the same parent), or None."""
    arguments = sorted(rule.arguments, key=lambda name: (rule.endpoint, name) in ON_ROUTE)
    parents = [name for name in arguments if name in world.ids and (rule.endpoint, name) not in ON_ROUTE]
    candidates = world.ids[parents[0]] if parents else [None]
    for first in candidates:
        values = {parents[0]: first} if parents else {}
        if "token" in arguments:
            values = {"token": world.tokens[rule.endpoint.split(".")[0]], **world.token_order}
        for name in arguments:
            if name in values:
                continue
            if name == "slug":
                values[name] = "ishoj"
            elif name == "name":
                values[name] = "demand"
            elif name == "day":
                values[name] = 0 if rule.endpoint.startswith("planner.") else "2026-11-20"
            elif (rule.endpoint, name) in ON_ROUTE:
                table, column, parent, id_column = ON_ROUTE[rule.endpoint, name]
                owner = site_a if parent == "site" else values.get(parent)
                values[name] = next(iter(_child_ids(table, column, owner, id_column)), None)
            elif name in CHILDREN:
                table, column, parent = CHILDREN[name]
                values[name] = next(iter(_child_ids(table, column, values[parent])), None)
            elif name in world.ids:
                values[name] = world.ids[name][0]
        if all(values.get(name) is not None for name in arguments):
            return rule.build({name: values[name] for name in arguments}, append_unknown=False)[1]
    return None


# --- Walking ----------------------------------------------------------------------------------------


def _log_in(client, visitor: str) -> None:
    g.pop("_login_user", None)  # Flask-Login keeps the loaded user on `g`, shared with the test's context
    with client.session_transaction() as session:
        session.clear()
        if visitor != ANONYMOUS:
            session["_user_id"] = _user(LOGINS[visitor]).get_id()
            session["_fresh"] = True


def _refused(response) -> bool:
    return response.status_code in (401, 403, 404) or (
        response.status_code in (302, 303) and "/login" in response.headers.get("Location", ""))


def _walk(app, client, world: World, site_a: int) -> tuple[dict, list[str]]:
    """{id(rule): (rule, {visitor: (allowed?, status, path)})} as observed, and the rules whose address could not be built."""
    observed, unbuilt = {}, []  # by the rule's id: rules are not hashable
    rules = sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_WALKED),
                   key=lambda rule: rule.rule)
    for rule in rules:
        path = _address(rule, world, site_a)
        if path is None:
            unbuilt.append(rule.rule)
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        access = ROUTES.get(rule.endpoint)
        for visitor in VISITORS:
            if method == "POST" and access is not None and access.allows(visitor, rule):
                continue
            _log_in(client, visitor)
            response = client.open(path, method=method, data={} if method == "POST" else None)
            allowed = not _refused(response)
            observed.setdefault(id(rule), (rule, {}))[1][visitor] = (allowed, response.status_code, path)
    return observed, unbuilt


@pytest.fixture
def world(app):
    app.test_cli_runner().invoke(seed_demo)
    return _build_world()


def test_every_route_is_declared_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static", "bootstrap.static"}
    assert sorted(endpoints - set(ROUTES)) == [], "declare who may use these routes in ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "these rows name routes that no longer exist"


def test_every_route_answers_each_visitor_as_the_matrix_says(app, client, world):
    site_a = _user(LOGINS[LEADER]).site_id
    observed, unbuilt = _walk(app, client, world, site_a)
    if os.environ.get("AUTHZ_PROBE"):
        _print_probe(observed)
    assert unbuilt == [], "the demo data has no object for these addresses:\n" + "\n".join(unbuilt)
    wrong = [f"{rule.endpoint} as {visitor}: answered {status} on {path}, the matrix says "
             f"{'allowed' if ROUTES[rule.endpoint].allows(visitor, rule) else 'refused'}"
             for rule, answers in observed.values() if rule.endpoint in ROUTES
             for visitor, (allowed, status, path) in answers.items()
             if allowed != ROUTES[rule.endpoint].allows(visitor, rule)]
    assert wrong == [], "\n".join(wrong)


def _print_probe(observed) -> None:
    for rule, answers in observed.values():
        print(rule.endpoint, rule.rule, {visitor: (allowed, status) for visitor, (allowed, status, _path) in answers.items()})
