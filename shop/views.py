from flask import Blueprint, render_template
from flask_login import current_user

from workshop.models import Role
from workshop.security import role_required

from . import services

blueprint = Blueprint("shop", __name__, url_prefix="/shop")


@blueprint.route("/customers")
@role_required(Role.LEADER)
def customers():
    return render_template("shop/customers.html", customers=services.business_customers())


@blueprint.route("/repair-prices")
@role_required(Role.LEADER, Role.STAFF)
def repair_prices():
    return render_template("shop/repair_prices.html", repairs=services.repair_price_list(current_user.site))


@blueprint.route("/account")
@role_required(Role.CUSTOMER)
def account():
    return render_template("shop/account.html", customer=services.customer_for_user(current_user))
