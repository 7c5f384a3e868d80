"""The catalogue: a leader's set-up of what companies see, a company's cards, and the photos."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.extensions import db
from workshop.forms import EmptyForm, saved
from workshop.models import Role
from workshop.security import found_or_404, role_required

from ..companies.services import company_of
from ..images import send_image
from ..services import business_customers
from . import catalogue
from .catalogue_forms import VISIBILITY_LABELS, CatalogueItemForm, CustomerPriceForm

blueprint = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@blueprint.route("/")
@role_required(Role.CUSTOMER)
def index():
    company = company_of(current_user)
    items = catalogue.offered_products(company) if company else []
    english = str(get_locale()) == "en"
    cards = [{"item": item, "product": item.product,
              "description": (item.description_en if english and item.description_en else item.description_da),
              "lead_time": catalogue.lead_time_days(item.product),
              "prices": catalogue.price_table(company, item.product)} for item in items]
    return render_template("shop/catalogue/index.html", company=company, cards=cards,
                           lead_quantity=catalogue.LEAD_TIME_QUANTITY)


@blueprint.route("/photo/<int:item_id>")
@login_required
def photo(item_id: int):
    return send_image(found_or_404(catalogue.photo_for, current_user, item_id))


@blueprint.route("/setup")
@role_required(Role.LEADER)
def setup():
    return render_template("shop/catalogue/setup.html", products=catalogue.setup_products(),
                           labels=VISIBILITY_LABELS)


@blueprint.route("/setup/<int:product_id>", methods=["GET", "POST"])
@role_required(Role.LEADER)
def edit(product_id: int):
    product = found_or_404(catalogue.get_product, product_id)
    item = catalogue.catalogue_item(product)
    form = CatalogueItemForm(data=_form_data(product, item) if item or catalogue.tiers(product) else None)
    form.chosen.choices = _customer_choices()
    if form.validate_on_submit() and saved(form, lambda: catalogue.save_catalogue_item(
            product, form.visibility.data, form.chosen.data or [], form.description_da.data or "",
            form.description_en.data or "", form.photo.data or None, tier_rows=form.tier_rows()),
            _("The catalogue entry is saved: %(name)s.", name=product.name), aliases={"image": "photo"}):
        return redirect(url_for("catalogue.edit", product_id=product.id))
    return _edit_page(product, item, form), 400 if form.errors else 200


@blueprint.route("/setup/<int:product_id>/prices", methods=["POST"])
@role_required(Role.LEADER)
def set_price(product_id: int):
    product = found_or_404(catalogue.get_product, product_id)
    form = CustomerPriceForm()
    form.customer_id.choices = _customer_choices()
    if form.validate_on_submit() and saved(
            form, lambda: catalogue.set_customer_price(product, form.customer_id.data, form.price_ore.data),
            _("The customer's own price is saved.")):
        return redirect(url_for("catalogue.edit", product_id=product.id))
    item = catalogue.catalogue_item(product)
    item_form = CatalogueItemForm(formdata=None, data=_form_data(product, item))
    item_form.chosen.choices = form.customer_id.choices
    return _edit_page(product, item, item_form, price_form=form), 400


@blueprint.route("/setup/<int:product_id>/prices/<int:customer_id>/remove", methods=["POST"])
@role_required(Role.LEADER)
def remove_price(product_id: int, customer_id: int):
    product = found_or_404(catalogue.get_product, product_id)
    if EmptyForm().validate_on_submit() and customer_id < catalogue.MAX_ID:
        catalogue.remove_customer_price(product, customer_id)
        db.session.commit()
        flash(_("The customer's own price is removed. The quantity prices apply."), "success")
    return redirect(url_for("catalogue.edit", product_id=product.id))


def _customer_choices() -> list[tuple[int, str]]:
    return [(customer.id, customer.company_name) for customer in business_customers()]


def _form_data(product, item) -> dict:
    rows = [{"min_quantity": tier.min_quantity, "price_ore": tier.unit_price_ore} for tier in catalogue.tiers(product)]
    data = {"tiers": rows + [{}] * (catalogue.MAX_TIERS - len(rows))}
    if item is not None:
        data.update(visibility=item.visibility.value, chosen=[customer.id for customer in item.chosen_customers],
                    description_da=item.description_da, description_en=item.description_en)
    return data


def _edit_page(product, item, form, price_form=None):
    if price_form is None:
        price_form = CustomerPriceForm(formdata=None)
        price_form.customer_id.choices = _customer_choices()
    return render_template("shop/catalogue/edit.html", product=product, item=item, form=form,
                           price_form=price_form, prices=catalogue.customer_prices(product),
                           preview=catalogue.price_table(None, product), lead_time=catalogue.lead_time_days(product),
                           lead_quantity=catalogue.LEAD_TIME_QUANTITY, empty_form=EmptyForm())
