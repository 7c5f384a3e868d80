"""The till on the workshop's tablet: sell over the counter, show and print receipts, take items back,
close the day. For the site's staff and leaders; a receipt of another site is a 404."""
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.errors import DomainError, NotFound
from workshop.forms import saved, show_domain_error
from workshop.models import Role
from workshop.security import role_required
from workshop.timeutil import local_today, to_local
from workshop.downloads import download

from . import sales, till
from .forms import PAYMENT_LABELS, BasketForm, CloseDayForm, ReturnForm, SellForm
from .models import SalePaymentMethod

blueprint = Blueprint("till", __name__, url_prefix="/till")
#: Receipt print widths: a receipt printer's 58 or 80 mm paper, or an A4 sheet.
PRINT_WIDTHS = ("58mm", "80mm", "a4")
BASKET_KEY = "till_basket"


def _basket() -> dict[str, int]:
    basket = session.get(BASKET_KEY)
    return basket if isinstance(basket, dict) else {}


def _till_page(sell_form=None, basket_form=None, status: int = 200):
    site = current_user.site
    lines = till.basket_lines(_basket())
    return render_template("shop/till/index.html", site=site, items=till.till_items(site), lines=lines,
                           total_ore=sum(line.total_ore for line in lines), sell_form=sell_form or SellForm(),
                           basket_form=basket_form or BasketForm(),
                           day_closed=till.closed_day(site, local_today())), status


@blueprint.route("/")
@role_required(Role.LEADER, Role.STAFF)
def index():
    return _till_page()


@blueprint.post("/basket")
@role_required(Role.LEADER, Role.STAFF)
def change_basket():
    form = BasketForm()
    if form.validate_on_submit():
        try:
            session[BASKET_KEY] = till.changed_basket(_basket(), form.item.data, form.quantity.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect(url_for("till.index"))
    return _till_page(basket_form=form, status=400)


@blueprint.post("/sell")
@role_required(Role.LEADER, Role.STAFF)
def sell():
    form = SellForm()
    if form.validate_on_submit():
        sold = []
        if saved(form, lambda: sold.append(till.sell(current_user.site, _basket(),
                                                     SalePaymentMethod(form.payment_method.data), current_user,
                                                     form.request_key.data)),
                 _("Sold. Here is the receipt.")):
            session.pop(BASKET_KEY, None)
            return redirect(url_for("till.receipt", number=sold[0].number))
    return _till_page(sell_form=form, status=400)


def _site_sale(number: int):
    try:
        return sales.site_sale(current_user.site_id, number)
    except NotFound:
        abort(404)


def _receipt_page(sale, return_form=None, status: int = 200):
    width = request.args.get("width", "80mm")
    return render_template("shop/till/receipt.html", sale=sale, site=current_user.site, local_time=to_local(sale.at),
                           width=width if width in PRINT_WIDTHS else "80mm", widths=PRINT_WIDTHS,
                           return_form=return_form or ReturnForm(), labels=PAYMENT_LABELS,
                           returnable={line.id: sales.returnable_quantity(line) for line in sale.lines}), status


@blueprint.route("/receipts/<int:number>")
@role_required(Role.LEADER, Role.STAFF)
def receipt(number: int):
    return _receipt_page(_site_sale(number))


def _returned_quantities(sale) -> dict[int, int]:
    """{line id: how many come back} from the form's one field per line ("line-12"); blanks are 0."""
    quantities = {}
    for line in sale.lines:
        text = (request.form.get(f"line-{line.id}") or "0").strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 4):
            raise DomainError(_("Write a whole number."), field="reason")
        quantities[line.id] = int(text)
    return quantities


@blueprint.post("/receipts/<int:number>/return")
@role_required(Role.LEADER, Role.STAFF)
def return_items(number: int):
    sale = _site_sale(number)
    form = ReturnForm()
    if form.validate_on_submit():
        returned = []

        def action():
            returned.append(sales.record_return(sale, _returned_quantities(sale), actor=current_user,
                                                payment_method=SalePaymentMethod(form.payment_method.data),
                                                reason=form.reason.data, request_key=form.request_key.data))
        if saved(form, action, _("The items are back on the shelf. Here is the return receipt.")):
            return redirect(url_for("till.receipt", number=returned[0].number))
    return _receipt_page(sale, return_form=form, status=400)


def _chosen_day() -> date:
    """The day in ?day=YYYY-MM-DD (today when missing); a later day or nonsense is a 404."""
    text = request.args.get("day")
    try:
        chosen = date.fromisoformat(text) if text else local_today()
    except ValueError:
        abort(404)
    if chosen > local_today():
        abort(404)
    return chosen


@blueprint.route("/day", methods=["GET", "POST"])
@role_required(Role.LEADER, Role.STAFF)
def day():
    """A day's figures (today's so far, or a closed day's Z report) and closing it."""
    site, chosen = current_user.site, _chosen_day()
    may_close = current_user.role == Role.LEADER
    if request.method == "POST" and not may_close:
        abort(403)
    form = CloseDayForm()
    if form.validate_on_submit() and saved(
            form, lambda: till.close_day(site, form.counted_cash.ore, form.float_amount.ore, current_user, chosen),
            _("The day is closed.")):
        return redirect(url_for("till.day", day=chosen.isoformat()))
    closed = till.closed_day(site, chosen)
    summary = till.frozen_summary(closed) if closed else till.day_summary(site, chosen)
    return render_template("shop/till/day.html", site=site, summary=summary, closed=closed, form=form,
                           may_close=may_close,
                           labels=PAYMENT_LABELS, methods=till.COUNTER_METHODS,
                           history=[(closed_day, till.frozen_summary(closed_day))
                                    for closed_day in till.closed_days(site, limit=14)]), 400 if form.errors else 200


@blueprint.route("/days.csv")
@role_required(Role.LEADER, Role.STAFF)
def days_csv():
    filename = f"kassedage-{current_user.site.slug}-{local_today().isoformat()}.csv"
    return download(till.days_csv(current_user.site), filename)


@blueprint.before_request
def _no_basket_for_another_site():
    """A basket is the tablet's: forget it when another user of another site logs in on the same browser."""
    if current_user.is_authenticated and session.get("till_site") != current_user.site_id:
        session.pop(BASKET_KEY, None)
        session["till_site"] = current_user.site_id
