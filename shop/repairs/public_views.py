"""The resident's pages: book a repair (no account) and see the ticket by its token.

Endpoint names start with `repairs_public.` - these pages are public on purpose.
"""
import json

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask_babel import get_locale
from markupsafe import Markup

from workshop.errors import DomainError, NotFound
from workshop.extensions import db, limiter
from workshop.forms import show_domain_error
from workshop.fragments import kept, kept_fragment
from workshop.security import public_form_limit, token_pages
from workshop.downloads import download

from . import booking, lookup, tickets
from .catalogue import GARMENT_LABELS, choices_fragment, price_list
from .forms import BookingForm, LookupCodeForm, LookupPhoneForm, id_list
from .qr import qr_svg

blueprint = Blueprint("repairs_public", __name__)


def _booking_rate_limit() -> str:
    return current_app.config["REPAIRS_BOOKING_RATE_LIMIT"]


# Ticket links must not leak through the Referer header or a shared cache.
token_pages(blueprint)


def _site_or_404(slug: str):
    try:
        return booking.booking_site(slug)
    except NotFound:
        abort(404)


@blueprint.route("/r/<slug>", methods=["GET", "POST"])
@limiter.limit(_booking_rate_limit, methods=["POST"])
def book(slug: str):
    site = _site_or_404(slug)
    form = BookingForm()
    if form.validate_on_submit():
        try:
            ticket = booking.book_repair(
                site, garment=form.garment.data, repair_ids=id_list(form.repairs.data),
                slot_id=(id_list([form.slot.data]) or [None])[0], name=form.name.data, phone=form.phone.data,
                email=form.email.data or "", consent=form.consent.data, locale=str(get_locale() or "da"),
                request_key=form.request_key.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("repairs_public.ticket", token=ticket.token), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("shop/public/book.html", site=site, form=form,
                           choices=_booking_choices(site, form)), status


def _booking_choices(site, form: BookingForm):
    """Steps 1-3 (garment, repairs, time): kept rendered a few seconds for first visits, drawn with her
    choices and errors after a refused submit."""
    def render():
        return render_template("shop/public/_booking_choices.html", form=form, repairs=price_list(site),
                               slots=booking.open_slots(site), garments=GARMENT_LABELS,
                               chosen_repairs=set(form.repairs.data or []))

    if form.is_submitted():
        return Markup(render())
    return kept_fragment(choices_fragment(site), render)


@blueprint.route("/t/<token>")
def ticket(token: str):
    page = kept(tickets.page_fragment(token), lambda: _ticket_page(token))
    if page is None:
        abort(404)
    return render_template("shop/public/ticket.html", number=page["number"], body=Markup(page["body"]))


def _ticket_page(token: str) -> dict | None:
    """The ticket page's number and body for everyone who has the link; None for an unknown or expired link."""
    found = tickets.public_ticket(token)
    if found is None:
        return None
    link = url_for("repairs_public.ticket", token=found.token, _external=True)
    body = render_template("shop/public/_ticket_body.html", ticket=found, qr=qr_svg(link),
                           status_label=tickets.status_label(found.status), garment_label=GARMENT_LABELS[found.garment],
                           step_labels={status.value: label for status, label in tickets.STATUS_LABELS.items()})
    return {"number": found.number, "body": str(body)}


# --- A resident asks for her tickets: phone number, then a code by SMS or e-mail --------------------

#: Her request's key in her session (the database keeps only its hash).
LOOKUP_KEY = "resident_lookup"


@blueprint.route("/my-repairs", methods=["GET", "POST"])
@public_form_limit
def my_repairs():
    """Her phone number; the answer is the same whether or not it has tickets."""
    form = LookupPhoneForm()
    if form.validate_on_submit():
        try:
            key = lookup.ask_for_code(form.phone.data, str(get_locale() or "da"))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            session[LOOKUP_KEY] = key
            return redirect(url_for("repairs_public.my_repairs_code"), 303)
    return render_template("shop/public/lookup_phone.html", form=form), 400 if form.is_submitted() else 200


@blueprint.route("/my-repairs/code", methods=["GET", "POST"])
@public_form_limit
def my_repairs_code():
    form = LookupCodeForm()
    if form.validate_on_submit():
        try:
            lookup.check_code(session.get(LOOKUP_KEY), form.code.data)
        except DomainError as error:
            db.session.commit()  # a wrong code counts
            show_domain_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("repairs_public.my_repairs_list"), 303)
    return render_template("shop/public/lookup_code.html", form=form), 400 if form.is_submitted() else 200


def _verified_tickets():
    found = lookup.verified_tickets(session.get(LOOKUP_KEY))
    if found is None:
        abort(redirect(url_for("repairs_public.my_repairs")))
    return found


@blueprint.route("/my-repairs/tickets")
def my_repairs_list():
    return render_template("shop/public/lookup_tickets.html", rows=lookup.ticket_rows(_verified_tickets()),
                           status_labels={status.value: label for status, label in tickets.STATUS_LABELS.items()})


@blueprint.route("/my-repairs/tickets.json")
def my_repairs_json():
    """Her tickets with their data as a JSON file; the download is audit-logged."""
    found = _verified_tickets()
    lookup.record_download(found)
    db.session.commit()
    body = json.dumps({"tickets": lookup.ticket_rows(found)}, ensure_ascii=False, indent=2)
    return download(body, "mine-reparationer.json", "application/json")
