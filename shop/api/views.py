"""The JSON API under /api/v1/: repair booking and tickets (public), orders (customers and leaders),
impact figures (leaders). Thin views over the same services as the pages; tokens in `tokens.py`.

Every answer is JSON, errors too (see `errors.py`); the OpenAPI document is made from the schemas.
"""
from datetime import datetime, timezone
from functools import wraps

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint, abort

from workshop.errors import DomainError, NotFound
from workshop.extensions import db, limiter
from workshop.models import Role, User
from workshop.services import sites_led_by

from ..companies.services import company_of
from ..impact.services import impact_figures
from ..models import GarmentKind
from ..orders import fulfilment, requests, services
from ..orders.states import STATUS_LABELS
from ..repairs import booking, tickets
from ..repairs.catalogue import GARMENT_LABELS, MAX_REPAIRS_PER_TICKET, price_list
from . import schemas
from .errors import answer_in_json
from .tokens import bearer_token, user_for_token

blueprint = Blueprint("api", __name__, url_prefix="/api/v1",
                      description="Repairs, business orders and impact figures of the workshop.")
BEARER = [{"bearerAuth": []}]
answer_in_json(blueprint)


def _api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def _booking_rate_limit() -> str:
    return current_app.config["REPAIRS_BOOKING_RATE_LIMIT"]


limiter.limit(_api_rate_limit)(blueprint)


def token_user(*roles: Role) -> User:
    """The user of the request's bearer token, if her role is one of `roles`; else a 401 or 403."""
    user = user_for_token(bearer_token(request.headers.get("Authorization")))
    if user is None:
        abort(401, message=str(_l("Send a valid API token: Authorization: Bearer <token>.")),
              headers={"WWW-Authenticate": 'Bearer realm="stitchwork"'})
    if user.role not in roles:
        abort(403, message=str(_l("Your token does not give access to this.")))
    return user


def token_required(*roles: Role):
    """Check the token before anything else (even the parameters): her user is `g.api_user`."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            g.api_user = token_user(*roles)
            return view(*args, **kwargs)

        return guarded

    return decorator


def domain_error(error: DomainError):
    """A rule of the workshop said no: 404 for something not there, else 422 naming the field."""
    if isinstance(error, NotFound):
        abort(404, message=str(error.message))
    abort(422, message=str(error.message), errors={error.field or "_schema": [str(error.message)]})


def utc(moment: datetime) -> datetime:
    """A stored time (naive UTC on SQLite) as an aware UTC time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _site(site) -> dict:
    return {"slug": site.slug, "name": site.name, "address": site.address or ""}


def _booking_site(slug: str):
    try:
        return booking.booking_site(slug)
    except NotFound as error:
        domain_error(error)


# --- Repairs (public) -----------------------------------------------------------------------------


@blueprint.route("/sites/<slug>/repairs")
@blueprint.response(200, schemas.BookingOptionsSchema)
@blueprint.doc(security=[])
def booking_options(slug: str):
    """What a resident can book at a workshop: garments, repairs with prices, free drop-off times."""
    site = _booking_site(slug)
    return {
        "site": _site(site),
        "garments": [{"value": kind.value, "label": str(GARMENT_LABELS[kind])} for kind in GarmentKind],
        "repairs": [{"id": repair.id, "name": repair.name, "price_ore": repair.price_ore}
                    for repair in price_list(site)],
        "slots": [{"id": view.slot.id, "starts_at": utc(view.slot.starts_at), "ends_at": utc(view.slot.ends_at),
                   "free": view.free} for view in booking.open_slots(site)],
        "max_repairs": MAX_REPAIRS_PER_TICKET,
    }


@blueprint.route("/sites/<slug>/bookings", methods=["POST"])
@limiter.limit(_booking_rate_limit)
@blueprint.arguments(schemas.BookingSchema)
@blueprint.response(201, schemas.TicketSchema)
@blueprint.doc(security=[])
def book(data: dict, slug: str):
    """Book repairs, as the public booking page does: the answer is the ticket, with its secret token."""
    site = _booking_site(slug)
    try:
        ticket = booking.book_repair(site, **data)
    except DomainError as error:
        db.session.rollback()
        domain_error(error)
    db.session.commit()
    return _ticket(ticket)


@blueprint.route("/tickets/<token>")
@blueprint.arguments(schemas.TicketPathSchema, location="path", as_kwargs=True)
@blueprint.response(200, schemas.TicketSchema)
@blueprint.doc(security=[])
def ticket(token: str):
    """A repair ticket's status and price by its token (the link on the resident's ticket)."""
    found = tickets.public_ticket(token)
    if found is None:
        abort(404, message=str(_l("No ticket has this link, or the link has expired.")))
    return _ticket(found)


def _ticket(ticket) -> dict:
    slot = ticket.slot
    return {
        "number": ticket.number, "token": ticket.token,
        "url": url_for("repairs_public.ticket", token=ticket.token, _external=True),
        "status": ticket.status.value, "status_label": tickets.status_label(ticket.status),
        "garment": ticket.garment.value, "garment_label": str(GARMENT_LABELS[ticket.garment]),
        "total_ore": ticket.total_ore,
        "lines": [{"name": line.repair_type.name, "price_ore": line.price_ore} for line in ticket.lines],
        "drop_off": {"starts_at": utc(slot.starts_at), "ends_at": utc(slot.ends_at)} if slot else None,
        "site": _site(ticket.site),
    }


# --- Orders ---------------------------------------------------------------------------------------


@blueprint.route("/orders")
@token_required(Role.CUSTOMER, Role.LEADER)
@blueprint.response(200, schemas.OrderListSchema)
@blueprint.doc(security=BEARER)
def orders():
    """A business customer's orders (her company's), or a leader's workshop's orders; newest first."""
    user = g.api_user
    if user.role == Role.CUSTOMER:
        company = company_of(user)
        found = requests.company_orders(company) if company else []
    else:
        found = requests.workshop_orders(user.site, "all") if user.site else []
    return {"orders": [_order_summary(order) for order in found]}


@blueprint.route("/orders/<int:order_id>")
@token_required(Role.CUSTOMER, Role.LEADER)
@blueprint.response(200, schemas.OrderSchema)
@blueprint.doc(security=BEARER)
def order(order_id: int):
    """One order: its status timeline and, per line, the pieces through each step of production."""
    try:
        found = services.order_for(g.api_user, order_id)
    except NotFound as error:
        domain_error(error)
    progress = {line_progress.line.id: line_progress for line_progress in fulfilment.progress_for(found).lines}
    return {
        **_order_summary(found),
        "timeline": [{"status": step.status.value, "label": step.label, "reached_on": step.reached_on,
                      "current": step.current} for step in requests.timeline(found)],
        "lines": [{
            "id": line.id, "product": line.product.name, "variant": line.variant.label if line.variant else None,
            "quantity": line.quantity,
            "progress": [{"operation": step.name, "done": step.done, "quantity": step.quantity,
                          "percent": step.percent} for step in progress[line.id].operations],
        } for line in found.lines],
    }


def _order_summary(order) -> dict:
    return {
        "id": order.id, "number": order.number, "status": order.status.value,
        "status_label": str(STATUS_LABELS[order.status]), "customer": order.customer.company_name,
        "customer_reference": order.customer_reference or "", "created_at": utc(order.created_at),
        "wished_date": order.wished_date, "promised_date": order.promised_date,
    }


# --- Impact (leaders) -----------------------------------------------------------------------------


@blueprint.route("/sites/<slug>/impact")
@token_required(Role.LEADER)
@blueprint.arguments(schemas.PeriodSchema, location="query")
@blueprint.response(200, schemas.ImpactSchema)
@blueprint.doc(security=BEARER)
def impact(period: dict, slug: str):
    """Training and paid hours, wages and demand of a workshop she leads for a period (leaders only)."""
    site = next((site for site in sites_led_by(g.api_user) if site.slug == slug), None)
    if site is None:
        abort(404, message=str(_l("No workshop called %(slug)s.", slug=slug)))
    figures = impact_figures([site.id], period["start"], period["end"])
    return {
        "site": site.slug, "start": figures.start, "end": figures.end, "revenue_ore": figures.revenue_ore,
        "demand": [vars(row) for row in figures.demand],
        "task_hours": [vars(row) for row in figures.task_hours],
        "other_hours": [vars(row) for row in figures.other_hours],
        "wages_ore": figures.wages_ore, "wage_share": figures.wage_share, "women": figures.women,
        "lowest_paid_minutes": figures.lowest_minutes, "median_paid_minutes": figures.median_minutes,
        "highest_paid_minutes": figures.highest_minutes, "gini": figures.gini,
    }
