"""Repairs at the front desk and for leaders: find, receive, pick-up, slots, overdue, prints."""
from datetime import datetime, timezone

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.forms import EmptyForm, saved, show_domain_error
from workshop.models import Role
from workshop.security import role_required
from workshop.timeutil import LOCAL_ZONE

from .. import outbox
from ..payments.services import (
    METHOD_LABELS,
    counter_methods,
    latest_online_payment,
    online_payment_enabled,
    pending_online_payment,
    start_online_payment,
)
from ..payments.refund_views import refund_panels
from ..payments.refunds import refunded_for_payable
from . import booking, lookup, tickets
from .catalogue import GARMENT_LABELS, price_list, show_phone
from .forms import (
    CollectForm,
    EraseResidentForm,
    NoteForm,
    ReceiveForm,
    SearchForm,
    SlotForm,
    WalkInForm,
    id_list,
)
from .payable import REPAIR_TICKET
from .qr import qr_svg

blueprint = Blueprint("repairs", __name__, url_prefix="/repairs")

DESK = (Role.LEADER, Role.STAFF)


def _ticket_or_404(ticket_id: int):
    try:
        return tickets.site_ticket(current_user.site, ticket_id)
    except NotFound:
        abort(404)




@blueprint.context_processor
def _labels():
    return {"status_label": tickets.status_label, "garment_labels": GARMENT_LABELS, "method_labels": METHOD_LABELS,
            "message_labels": outbox.STATUS_LABELS, "show_phone": show_phone}


@blueprint.route("/")
@role_required(*DESK)
def desk():
    form = SearchForm(request.args)
    site = current_user.site
    found = tickets.find_tickets(site, form.q.data) if form.q.data and form.validate() else None
    if found is not None and len(found) == 1:
        return redirect(url_for("repairs.ticket", ticket_id=found[0].id))
    return render_template(
        "shop/repairs/desk.html", form=form, found=found,
        booked=tickets.tickets_in(site, [tickets.TicketStatus.BOOKED]),
        in_work=tickets.tickets_in(site, [tickets.TicketStatus.RECEIVED, tickets.TicketStatus.IN_PROGRESS]),
        ready=tickets.tickets_in(site, [tickets.TicketStatus.READY]),
    )


def _ticket_page(ticket, receive_form=None, collect_form=None, status=200, erase_form=None):
    if receive_form is None:
        receive_form = ReceiveForm(repairs=[str(repair_id) for repair_id in tickets.repair_type_ids(ticket)])
    if collect_form is None:
        collect_form = CollectForm(method="cash")
    receive_form.repairs.choices = [(str(repair.id), repair) for repair in tickets.receive_choices(ticket)]
    collect_form.method.choices = counter_methods()
    return render_template(
        "shop/repairs/ticket.html", ticket=ticket, receive_form=receive_form, collect_form=collect_form,
        note_form=NoteForm(), empty_form=EmptyForm(), messages=outbox.messages_for(ticket),
        erase_form=erase_form or EraseResidentForm(),
        can_cancel=tickets.TicketStatus.CANCELLED in tickets.TRANSITIONS[ticket.status],
        can_no_show=tickets.TicketStatus.NO_SHOW in tickets.TRANSITIONS[ticket.status],
        online_payment=online_payment_enabled(), pending_online=pending_online_payment(REPAIR_TICKET, ticket.id),
        paid_too_much=max(0, tickets.paid_too_much_ore(ticket) - refunded_for_payable(REPAIR_TICKET, ticket.id)),
        refund_panels=refund_panels(REPAIR_TICKET, [ticket.id], current_user,
                                    url_for("repairs.ticket", ticket_id=ticket.id)),
    ), status


@blueprint.route("/tickets/<int:ticket_id>")
@role_required(*DESK)
def ticket(ticket_id: int):
    return _ticket_page(_ticket_or_404(ticket_id))


@blueprint.route("/tickets/<int:ticket_id>/erase-resident", methods=["POST"])
@role_required(Role.LEADER)
def erase_resident(ticket_id: int):
    """Erase the resident's name, phone and e-mail from her tickets here (GDPR); the tickets stay."""
    ticket = _ticket_or_404(ticket_id)
    form = EraseResidentForm()
    if form.validate_on_submit() and saved(form, lambda: lookup.erase_resident(ticket, current_user),
                                           _("The resident's name, phone and e-mail are erased.")):
        return redirect(url_for("repairs.ticket", ticket_id=ticket.id))
    return _ticket_page(ticket, status=400, erase_form=form)


@blueprint.route("/tickets/<int:ticket_id>/receive", methods=["POST"])
@role_required(*DESK)
def receive(ticket_id: int):
    found = _ticket_or_404(ticket_id)
    form = ReceiveForm()
    if form.validate_on_submit():
        if saved(form, lambda: tickets.receive_garment(found, current_user, id_list(form.repairs.data),
                                                       form.price.data or "", form.damage_note.data or ""),
                 _("Received. The repair is on the workshop's task list.")):
            return redirect(url_for("repairs.ticket", ticket_id=found.id))
    return _ticket_page(_ticket_or_404(ticket_id), receive_form=form, status=400)


@blueprint.route("/walk-in", methods=["GET", "POST"])
@role_required(*DESK)
def walk_in():
    """A resident walks in with a garment: make her ticket and receive the garment in one go."""
    site = current_user.site
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            made = booking.create_walk_in(
                site, current_user, garment=form.garment.data, repair_ids=id_list(form.repairs.data),
                name=form.name.data, phone=form.phone.data, email=form.email.data or "", consent=form.consent.data,
                price_text=form.price.data or "", damage_note=form.damage_note.data or "",
                locale=form.locale.data or "da", request_key=form.request_key.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The ticket is made and the garment is received. The repair is on the workshop's task list."),
                  "success")
            return redirect(url_for("repairs.handover", ticket_id=made.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("shop/repairs/walk_in.html", form=form, repairs=price_list(site)), status


@blueprint.route("/tickets/<int:ticket_id>/handover")
@role_required(*DESK)
def handover(ticket_id: int):
    """What the resident takes home: her ticket's link and QR code, to scan or to print."""
    found = _ticket_or_404(ticket_id)
    link = outbox.ticket_url(found)
    return render_template("shop/repairs/handover.html", ticket=found, link=link, qr=qr_svg(link))


@blueprint.route("/tickets/<int:ticket_id>/collect", methods=["POST"])
@role_required(*DESK)
def collect(ticket_id: int):
    found = _ticket_or_404(ticket_id)
    form = CollectForm()
    form.method.choices = counter_methods()
    if form.validate_on_submit():
        if saved(form, lambda: tickets.collect(found, current_user, form.method.data, form.amount.data or ""),
                 _("Paid and collected. Thank you!")):
            return redirect(url_for("repairs.ticket", ticket_id=found.id))
    return _ticket_page(_ticket_or_404(ticket_id), collect_form=form, status=400)


@blueprint.route("/tickets/<int:ticket_id>/pay-online", methods=["POST"])
@role_required(*DESK)
def pay_online(ticket_id: int):
    """Start a Stripe Checkout Session for a ready ticket and show its QR code (one session per double click)."""
    found = _ticket_or_404(ticket_id)
    if not EmptyForm().validate_on_submit():
        flash(_("Please correct the fields marked in red."), "danger")
        return redirect(url_for("repairs.ticket", ticket_id=found.id))
    try:
        start_online_payment(REPAIR_TICKET, found.id, current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _ticket_page(_ticket_or_404(ticket_id), status=409)
    except IntegrityError:
        # Two clicks at once got the same session from Stripe; the other request stored it.
        db.session.rollback()
    return redirect(url_for("repairs.online_payment", ticket_id=found.id))


#: While the resident pays on her phone, the desk's page looks again this often.
ONLINE_PAYMENT_REFRESH_SECONDS = 5


@blueprint.route("/tickets/<int:ticket_id>/pay-online")
@role_required(*DESK)
def online_payment(ticket_id: int):
    found = _ticket_or_404(ticket_id)
    payment = latest_online_payment(REPAIR_TICKET, found.id)
    if payment is None:
        return redirect(url_for("repairs.ticket", ticket_id=found.id))
    qr = qr_svg(payment.url) if payment.url and payment.status.value == "pending" else None
    return render_template("shop/repairs/online_payment.html", ticket=found, payment=payment, qr=qr,
                           refresh_seconds=ONLINE_PAYMENT_REFRESH_SECONDS)


def _close(ticket_id: int, action, message: str):
    found = _ticket_or_404(ticket_id)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("Please correct the fields marked in red."), "danger")
        return redirect(url_for("repairs.ticket", ticket_id=found.id))
    try:
        action(found, current_user, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _ticket_page(_ticket_or_404(ticket_id), status=409)
    db.session.commit()
    flash(message, "success")
    if form.back.data == "overdue":
        return redirect(url_for("repairs.overdue"))
    return redirect(url_for("repairs.ticket", ticket_id=found.id))


@blueprint.route("/tickets/<int:ticket_id>/cancel", methods=["POST"])
@role_required(*DESK)
def cancel(ticket_id: int):
    return _close(ticket_id, tickets.cancel, _("The ticket is cancelled."))


@blueprint.route("/tickets/<int:ticket_id>/no-show", methods=["POST"])
@role_required(Role.LEADER)
def no_show(ticket_id: int):
    return _close(ticket_id, tickets.mark_no_show, _("The ticket is closed as not collected."))


@blueprint.route("/tickets/<int:ticket_id>/remind", methods=["POST"])
@role_required(Role.LEADER)
def remind(ticket_id: int):
    found = _ticket_or_404(ticket_id)
    if EmptyForm().validate_on_submit():
        try:
            tickets.send_reminder(found, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(url_for("repairs.overdue")), 303
        db.session.commit()
        flash(_("A reminder is on its way."), "success")
    return redirect(url_for("repairs.overdue"))


@blueprint.route("/tickets/<int:ticket_id>/tag")
@role_required(*DESK)
def tag(ticket_id: int):
    found = _ticket_or_404(ticket_id)
    link = url_for("repairs_public.ticket", token=found.token, _external=True)
    return render_template("shop/repairs/tag.html", ticket=found, qr=qr_svg(link, "qr qr-tag"))


@blueprint.route("/poster")
@role_required(*DESK)
def poster():
    site = current_user.site
    link = url_for("repairs_public.book", slug=site.slug, _external=True)
    return render_template("shop/repairs/poster.html", site=site, qr=qr_svg(link, "qr qr-poster"), link=link,
                           repairs=price_list(site))


@blueprint.route("/slots", methods=["GET", "POST"])
@role_required(Role.LEADER)
def slots():
    site = current_user.site
    form = SlotForm()
    status = 200
    if form.validate_on_submit():
        starts = _utc(form.day.data, form.start.data)
        ends = _utc(form.day.data, form.end.data)
        if saved(form, lambda: booking.add_slot(site, starts, ends, form.capacity.data),
                 _("The drop-off time is added.")):
            return redirect(url_for("repairs.slots"))
    if form.is_submitted():
        status = 400
    return render_template("shop/repairs/slots.html", form=form, slots=booking.slots_with_bookings(site),
                           empty_form=EmptyForm()), status


def _utc(day, moment) -> datetime:
    local = datetime.combine(day, moment, tzinfo=LOCAL_ZONE)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


@blueprint.route("/slots/<int:slot_id>/remove", methods=["POST"])
@role_required(Role.LEADER)
def remove_slot(slot_id: int):
    if EmptyForm().validate_on_submit():
        try:
            booking.remove_slot(current_user.site, slot_id)
        except NotFound:
            abort(404)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(url_for("repairs.slots"))
        db.session.commit()
        flash(_("The drop-off time is removed."), "success")
    return redirect(url_for("repairs.slots"))


@blueprint.route("/overdue")
@role_required(Role.LEADER)
def overdue():
    return render_template("shop/repairs/overdue.html", tickets=tickets.overdue_tickets(current_user.site),
                           empty_form=EmptyForm(), note_form=NoteForm(), pickup_days=tickets.pickup_days())
