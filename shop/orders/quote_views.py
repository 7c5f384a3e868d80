"""Quotes and proofs: the leader's quote form, the printable quote and confirmation, proofs; and the
public quote link `/q/<token>` (endpoints `quotes_public.*`: public on purpose, the token is the key).
"""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from workshop.errors import DomainError, NotFound
from workshop.forms import saved, show_domain_error
from workshop.inputs import whole_number
from workshop.models import Role
from workshop.security import found_or_404, public_form_limit, role_required, token_pages

from ..images import send_image
from . import proofs, quotes
from .models import Order, OrderStatus
from .quote_forms import AcceptForm, ProofDecisionForm, ProofUploadForm, QuoteForm
from .services import order_for

blueprint = Blueprint("quotes", __name__, url_prefix="/orders")
public_blueprint = Blueprint("quotes_public", __name__)

WORKSHOP = (Role.LEADER, Role.STAFF)
EVERYONE = (Role.LEADER, Role.STAFF, Role.CUSTOMER)


def order_page(order: Order) -> str:
    """The order's own page (built by the orders blueprint); its address when that is not registered."""
    try:
        return url_for("orders.order", order_id=order.id)
    except BuildError:
        return f"/orders/{order.id}"


# --- The leader's quote -----------------------------------------------------------------------


def _terms(form: QuoteForm, order: Order) -> quotes.QuoteTerms:
    prices = {line.id: (entry.unit_price.data, entry.reason.data or "")
              for line, entry in zip(order.lines, form.lines.entries, strict=False)}
    return quotes.QuoteTerms(
        deposit_percent=form.deposit_percent.data, payment_terms_days=form.payment_terms_days.data,
        valid_until=form.valid_until.data, promised_date=form.promised_date.data, message=form.message.data or "",
        prices=prices, order_version=whole_number(form.order_version.data))


def _fill(form: QuoteForm, draft: quotes.Draft) -> None:
    terms = draft.terms
    form.deposit_percent.data, form.payment_terms_days.data = terms.deposit_percent, terms.payment_terms_days
    form.valid_until.data, form.promised_date.data = terms.valid_until, terms.promised_date
    form.order_version.data = str(draft.order.version)
    for line in draft.lines:
        form.lines.append_entry({"unit_price": line.unit_price_ore, "reason": line.reason})


def _send(order: Order, terms: quotes.QuoteTerms) -> None:
    quote = quotes.make_quote(order, current_user, terms)
    quotes.send_quote(quote, current_user)


@blueprint.route("/<int:order_id>/quote/new", methods=["GET", "POST"])
@role_required(Role.LEADER)
def new_quote(order_id: int):
    order = found_or_404(order_for, current_user, order_id)
    form = QuoteForm()
    try:
        draft = quotes.draft_quote(order, current_user)
    except DomainError as error:
        return render_template("shop/orders/quote_refused.html", order=order, message=error.message,
                               back=order_page(order)), 409
    if not form.is_submitted():
        _fill(form, draft)
    elif form.validate():
        terms = _terms(form, order)
        if form.send.data:
            if saved(form, lambda: _send(order, terms), _("The quote is sent.")):
                return redirect(order_page(order))
        else:
            try:
                draft = quotes.draft_quote(order, current_user, terms)
            except DomainError as error:
                show_domain_error(form, error)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("shop/orders/quote_new.html", order=order, form=form, draft=draft,
                           rows=list(zip(draft.lines, form.lines.entries, strict=False))), status


# --- Printable quote and confirmation ---------------------------------------------------------


@blueprint.route("/<int:order_id>/quotes/<int:quote_id>")
@role_required(*EVERYONE)
def print_quote(order_id: int, quote_id: int):
    order = found_or_404(order_for, current_user, order_id)
    quote = found_or_404(quotes.quote_of, order, quote_id)
    if quote.sent_at is None and current_user.role == Role.CUSTOMER:
        abort(404)
    return render_template("shop/orders/quote_print.html", order=order, quote=quote, title=_("Quote"))


@blueprint.route("/<int:order_id>/confirmation")
@role_required(*EVERYONE)
def confirmation(order_id: int):
    order = found_or_404(order_for, current_user, order_id)
    if order.accepted_quote is None:
        abort(404)
    return render_template("shop/orders/quote_print.html", order=order, quote=order.accepted_quote,
                           title=_("Order confirmation"), confirmation=True)


@blueprint.route("/<int:order_id>/quote/accept", methods=["POST"])
@role_required(Role.CUSTOMER)
def accept(order_id: int):
    order = found_or_404(order_for, current_user, order_id)
    quote = quotes.latest_sent(order)
    form = AcceptForm()
    if quote is None:
        abort(404)
    if form.validate_on_submit() and saved(
            form, lambda: quotes.accept_quote(quote, form.name.data, current_user), _("Thank you. The order is accepted.")):
        return redirect(url_for("quotes.confirmation", order_id=order.id))
    _flash_errors(form)
    return redirect(order_page(order))


def _flash_errors(form) -> None:
    for messages in [*form.errors.values(), form.form_errors]:
        for message in messages:
            flash(message, "danger")


# --- Proofs -----------------------------------------------------------------------------------


@blueprint.route("/<int:order_id>/proofs", methods=["POST"])
@role_required(*WORKSHOP)
def upload_proof(order_id: int):
    order = found_or_404(order_for, current_user, order_id)
    form = ProofUploadForm()
    if form.validate_on_submit():
        saved(form, lambda: proofs.upload_proof(order, current_user, form.image.data.stream, form.note.data),
              _("The proof is uploaded. The customer can now see it."))
    _flash_errors(form)
    return redirect(order_page(order))


@blueprint.route("/<int:order_id>/proofs/<int:proof_id>/decide", methods=["POST"])
@role_required(Role.CUSTOMER)
def decide_proof(order_id: int, proof_id: int):
    order = found_or_404(order_for, current_user, order_id)
    proof = found_or_404(proofs.proof_of, order, proof_id)
    form = ProofDecisionForm()
    if form.validate_on_submit():
        saved(form, lambda: proofs.decide_proof(proof, bool(form.approve.data), form.name.data, form.comment.data,
                                                current_user), _("Thank you for your answer."))
    _flash_errors(form)
    return redirect(order_page(order))


@blueprint.route("/<int:order_id>/proofs/<int:proof_id>/image")
@role_required(*EVERYONE)
def proof_image(order_id: int, proof_id: int):
    order = found_or_404(order_for, current_user, order_id)
    proof = found_or_404(proofs.proof_of, order, proof_id)
    return found_or_404(send_image, proof.stored_name)


# --- The public quote link --------------------------------------------------------------------


# Quote links must not leak through the Referer header or a shared cache.
token_pages(public_blueprint)


def _quote_or_problem(token: str):
    """(quote, None) or (None, the problem page's response)."""
    try:
        return quotes.quote_by_token(token), None
    except NotFound:
        abort(404)
    except quotes.LinkProblem as problem:
        return None, (render_template("shop/orders/quote_link_problem.html", message=problem.message),
                      410 if problem.expired else 404)


def _public_page(token: str, quote, accept_form=None, decide_form=None, status: int = 200):
    order = quote.order
    latest = proofs.latest_proof(order)
    return render_template(
        "shop/orders/quote_public.html", token=token, quote=quote, order=order, proof=latest,
        accept_form=accept_form or AcceptForm(formdata=None),
        decide_form=decide_form or ProofDecisionForm(formdata=None),
        can_accept=order.status == OrderStatus.QUOTED and quote.accepted_at is None,
    ), status


@public_blueprint.route("/q/<token>")
def public_quote(token: str):
    quote, problem = _quote_or_problem(token)
    return problem or _public_page(token, quote)


@public_blueprint.route("/q/<token>/accept", methods=["POST"])
@public_form_limit
def public_accept(token: str):
    quote, problem = _quote_or_problem(token)
    if problem:
        return problem
    form = AcceptForm()
    if form.validate_on_submit() and saved(form, lambda: quotes.accept_quote(quote, form.name.data),
                                           _("Thank you. The order is accepted.")):
        return redirect(url_for("quotes_public.public_quote", token=token), 303)
    return _public_page(token, quote, accept_form=form, status=400)


@public_blueprint.route("/q/<token>/proofs/<int:proof_id>/decide", methods=["POST"])
@public_form_limit
def public_decide(token: str, proof_id: int):
    quote, problem = _quote_or_problem(token)
    if problem:
        return problem
    proof = found_or_404(proofs.proof_of, quote.order, proof_id)
    form = ProofDecisionForm()
    if form.validate_on_submit() and saved(
            form, lambda: proofs.decide_proof(proof, bool(form.approve.data), form.name.data, form.comment.data),
            _("Thank you for your answer.")):
        return redirect(url_for("quotes_public.public_quote", token=token), 303)
    return _public_page(token, quote, decide_form=form, status=400)


@public_blueprint.route("/q/<token>/proofs/<int:proof_id>/image")
def public_proof_image(token: str, proof_id: int):
    quote, problem = _quote_or_problem(token)
    if problem:
        abort(404)
    proof = found_or_404(proofs.proof_of, quote.order, proof_id)
    return found_or_404(send_image, proof.stored_name)

