"""The webshop (public, no account): products, cart, checkout and the buyer's order page by token;
and the workshop's side: the list of web orders at its site and the leader's maker consents."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.errors import DomainError, NotFound
from workshop.extensions import db, limiter
from workshop.forms import EmptyForm, saved, show_domain_error
from workshop.fragments import kept_fragment
from workshop.models import Role
from workshop.security import found_or_404, role_required, token_pages

from ..images import send_image
from ..payments import services as payments
from ..payments.refund_views import refund_panels
from . import stock, webshop
from .models import SalePaymentMethod
from .web_models import WebOrderStatus, WebPayment
from .webshop_forms import CartForm, CheckoutForm, CollectForm, ConsentForm

blueprint = Blueprint("webshop", __name__, url_prefix="/butik")
order_blueprint = Blueprint("webshop_order", __name__, url_prefix="/butik/o")
token_pages(order_blueprint)
workshop_blueprint = Blueprint("web_orders", __name__, url_prefix="/retail")

CART = "webshop_cart"


def _checkout_rate_limit() -> str:
    return current_app.config.get("REPAIRS_BOOKING_RATE_LIMIT", "20 per hour")


def _cart() -> dict:
    cart = session.get(CART)
    return cart if isinstance(cart, dict) else {}


@blueprint.app_context_processor
def _cart_size():
    return {"webshop_cart_count": lambda: webshop.cart_count(_cart())}


# --- Buyer's pages -------------------------------------------------------------------------------


@blueprint.route("/")
def index():
    def product_list():
        return render_template("shop/webshop/_product_list.html", products=webshop.shop_products(),
                               sites={site.id: site for site in webshop.sites()})

    return render_template("shop/webshop/index.html",
                           product_list=kept_fragment(stock.PRODUCT_LIST_FRAGMENT, product_list))


def _product_page(product_id: int, form: CartForm, status: int = 200):
    shown = found_or_404(webshop.shop_product, product_id)
    return render_template("shop/webshop/product.html", shown=shown, form=form,
                           availability=webshop.item_availability(shown.product),
                           credits=[webshop.credit_text(credit) for credit in webshop.maker_credits(shown.product)]
                           ), status


@blueprint.route("/p/<int:shop_product_id>")
def product(shop_product_id: int):
    return _product_page(shop_product_id, CartForm())


@blueprint.route("/photo/<int:shop_product_id>")
def photo(shop_product_id: int):
    return send_image(found_or_404(webshop.public_photo, shop_product_id))


def _change_cart(form: CartForm, add: bool) -> bool:
    try:
        session[CART] = webshop.cart_set(_cart(), form.item.data, form.quantity.data, add=add)
    except DomainError as error:
        show_domain_error(form, error, {"item": "quantity"})
        return False
    return True


@blueprint.post("/cart/add")
def add_to_cart():
    form = CartForm()
    if form.validate_on_submit() and _change_cart(form, add=True):
        flash(_("It is in your cart."), "success")
        return redirect(url_for("webshop.cart"), 303)
    product_id = webshop.item_product_id(form.item.data)
    if product_id is None:
        return render_template("shop/webshop/cart.html", **_cart_page(CartForm(), CheckoutForm(),
                                                                      error=form.errors)), 400
    return _product_page(product_id, form, 400)


@blueprint.post("/cart/change")
def change_cart():
    form = CartForm()
    if form.validate_on_submit() and _change_cart(form, add=False):
        flash(_("The cart is updated."), "success")
        return redirect(url_for("webshop.cart"), 303)
    return render_template("shop/webshop/cart.html", **_cart_page(form, _checkout_form())), 400


def _checkout_form(formdata=None) -> CheckoutForm:
    form = CheckoutForm() if formdata is None else CheckoutForm(formdata=formdata)
    form.site_id.choices = [(0, _("Choose a workshop"))] + [(site.id, site.name) for site in webshop.sites()]
    if not payments.online_payment_enabled():
        form.payment.choices = [choice for choice in form.payment.choices if choice[0] == "at_pickup"]
    return form


def _cart_page(cart_form, checkout_form, error=None) -> dict:
    rows = webshop.cart_rows(_cart())
    return {"rows": rows, "total_ore": sum(row.total_ore for row in rows), "cart_form": cart_form,
            "form": checkout_form, "cart_errors": error,
            "pickup_hours": [(site, webshop.pickup_hours(site)) for site in webshop.sites()]}


@blueprint.route("/cart")
def cart():
    return render_template("shop/webshop/cart.html", **_cart_page(CartForm(), _checkout_form()))


@blueprint.post("/checkout")
@limiter.limit(_checkout_rate_limit)
def checkout():
    form = _checkout_form()
    if form.validate_on_submit():
        try:
            site = webshop.pickup_site(form.site_id.data)
            order = webshop.place_order(site, webshop.cart_rows(_cart()), WebPayment(form.payment.data),
                                        name=form.name.data, email=form.email.data, phone=form.phone.data)
            online = (payments.start_online_payment(webshop.WEB_ORDER, order.id, None,
                                                    return_url=webshop.order_url(order))
                      if order.payment == WebPayment.STRIPE else None)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, {"quantity": "site_id"})
        else:
            db.session.commit()
            session.pop(CART, None)
            if online is not None:
                return redirect(online.url, 303)
            return redirect(url_for("webshop_order.show", token=order.token), 303)
    return render_template("shop/webshop/cart.html", **_cart_page(CartForm(), form)), 400


@order_blueprint.route("/<token>")
def show(token: str):
    order = found_or_404(webshop.order_by_token, token)
    return render_template("shop/webshop/order.html", order=order, labels=webshop.STATUS_LABELS,
                           methods=webshop.METHOD_LABELS, pickup_hours=webshop.pickup_hours(order.site),
                           collect_by=webshop.collect_by(order))


# --- The workshop's side -------------------------------------------------------------------------


def _collect_form(formdata=None) -> CollectForm:
    form = CollectForm() if formdata is None else CollectForm(formdata=formdata)
    form.method.choices = [(method.value, webshop.METHOD_LABELS[method]) for method in webshop.PICKUP_METHODS]
    return form


def _orders_page(status: int = 200, collect_form=None):
    site = current_user.site
    orders = webshop.site_orders(site)
    paid_lapsed = [order.id for order in orders if order.status == WebOrderStatus.PAID_LAPSED]
    panels = {panel.online.payable_id: panel for panel in refund_panels(
        webshop.WEB_ORDER, paid_lapsed, current_user, url_for("web_orders.orders"))} if paid_lapsed else {}
    return render_template("shop/webshop/orders.html", site=site, orders=orders,
                           labels=webshop.STATUS_LABELS, methods=webshop.METHOD_LABELS,
                           form=EmptyForm(), collect_form=collect_form or _collect_form(),
                           open_states=webshop.OPEN_STATES, refund_panels=panels,
                           collect_by=webshop.collect_by), status


@workshop_blueprint.route("/web-orders")
@role_required(Role.LEADER, Role.STAFF)
def orders():
    return _orders_page()


def _order_action(order_id: int, action, message: str, form=None):
    order = found_or_404(webshop.site_order, current_user.site, order_id)
    form = form or EmptyForm()
    if form.validate_on_submit() and saved(form, lambda: action(order), message):
        return redirect(url_for("web_orders.orders"), 303)
    if not form.errors:
        abort(400)
    for messages in form.errors.values():
        for text in messages:
            flash(text, "danger")
    return _orders_page(400, form if isinstance(form, CollectForm) else None)


@workshop_blueprint.post("/web-orders/<int:order_id>/packed")
@role_required(Role.LEADER, Role.STAFF)
def packed(order_id: int):
    return _order_action(order_id, lambda order: webshop.mark_packed(order, current_user),
                         _("The order is packed."))


@workshop_blueprint.post("/web-orders/<int:order_id>/collected")
@role_required(Role.LEADER, Role.STAFF)
def collected(order_id: int):
    form = _collect_form()

    def collect(order):
        method = SalePaymentMethod(form.method.data) if order.sale_id is None else None
        webshop.mark_collected(order, current_user, method)

    return _order_action(order_id, collect, _("The order is collected."), form)


@workshop_blueprint.post("/web-orders/<int:order_id>/shipped")
@role_required(Role.LEADER, Role.STAFF)
def shipped(order_id: int):
    return _order_action(order_id, lambda order: webshop.mark_shipped(order, current_user),
                         _("The order is shipped."))


@workshop_blueprint.post("/web-orders/<int:order_id>/reserve-again")
@role_required(Role.LEADER, Role.STAFF)
def reserve_again(order_id: int):
    return _order_action(order_id, lambda order: webshop.reserve_again(order, current_user),
                         _("The items are taken from the shelf for the order. Pack it as usual."))


@workshop_blueprint.post("/web-orders/<int:order_id>/cancel")
@role_required(Role.LEADER, Role.STAFF)
def cancel(order_id: int):
    return _order_action(order_id, lambda order: webshop.cancel(order, current_user),
                         _("The order is cancelled and the items are back in stock."))


def _consent_form() -> ConsentForm:
    form = ConsentForm()
    form.person_id.choices = [(0, _("Choose a person"))] + [
        (person.id, person.name) for person in webshop.site_people(current_user.site)]
    return form


def _consents_page(form, status: int = 200):
    return render_template("shop/webshop/consents.html", form=form, revoke_form=EmptyForm(),
                           consents=webshop.site_consents(current_user.site), site=current_user.site), status


@workshop_blueprint.route("/maker-consents", methods=["GET", "POST"])
@role_required(Role.LEADER)
def consents():
    form = _consent_form()
    if form.validate_on_submit():
        if saved(form, lambda: webshop.record_consent(current_user, form.person_id.data, form.given_on.data),
                 _("The consent is recorded.")):
            return redirect(url_for("web_orders.consents"), 303)
    return _consents_page(form, 400 if form.is_submitted() else 200)


@workshop_blueprint.post("/maker-consents/<int:consent_id>/revoke")
@role_required(Role.LEADER)
def revoke(consent_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        webshop.revoke_consent(current_user, consent_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("The consent is revoked. Her name is no longer shown."), "success")
    return redirect(url_for("web_orders.consents"), 303)
