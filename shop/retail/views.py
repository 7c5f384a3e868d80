"""The stock page: what each workshop has on the shelf, restock proposals, and the leader's corrections."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.forms import saved, show_domain_error
from workshop.models import Role, Site
from workshop.security import role_required

from . import stock
from .forms import AdjustForm, LevelsForm, MoveForm, RestockForm
from .models import MovementKind as K

blueprint = Blueprint("retail", __name__, url_prefix="/retail")


def _item_choices(items) -> list[tuple[str, str]]:
    return [(item.key, item.product.name + (f" ({item.variant.label})" if item.variant else "")) for item in items]


def _forms(items):
    """The page's forms, with the current choices (the leader's forms only for a leader)."""
    choices = _item_choices(items)
    forms = {"restock_form": RestockForm()}
    if current_user.role == Role.LEADER:
        others = db.session.scalars(select(Site).where(Site.id != current_user.site_id).order_by(Site.name)).all()
        forms.update(levels_form=LevelsForm(prefix="levels"), adjust_form=AdjustForm(prefix="adjust"),
                     move_form=MoveForm(prefix="move"))
        for name in ("levels_form", "adjust_form", "move_form"):
            forms[name].item.choices = choices
        forms["move_form"].to_site_id.choices = [(site.id, site.name) for site in others]
    return forms


def _page(forms, items, status: int = 200):
    site = current_user.site
    rows = [(item, stock.level_for(site, item)) for item in items]
    return render_template("shop/retail/stock.html", rows=rows, proposals=stock.restock_proposals(site),
                           site=site, **forms), status


@blueprint.route("/stock")
@role_required(Role.LEADER, Role.STAFF)
def stock_page():
    items = stock.stock_items()
    return _page(_forms(items), items)


def _leader_post(form_name: str, action, message: str):
    """Validate one of the leader's forms, run `action(form, item)` and commit; else the page with the reasons."""
    items = stock.stock_items()
    forms = _forms(items)
    form = forms[form_name]
    if form.validate_on_submit():
        try:
            item = stock.item_from_key(form.item.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if saved(form, lambda: action(form, item), message):
                return redirect(url_for("retail.stock_page"))
    return _page(forms, items, 400)


@blueprint.post("/stock/levels")
@role_required(Role.LEADER)
def set_levels():
    return _leader_post("levels_form", lambda form, item: stock.set_levels(
        current_user.site, item, form.min_level.data, form.target_level.data), _("The levels are saved."))


@blueprint.post("/stock/adjust")
@role_required(Role.LEADER)
def adjust():
    return _leader_post("adjust_form", lambda form, item: stock.adjust(
        current_user.site, item, form.quantity.data, form.reason.data, current_user), _("The stock is adjusted."))


@blueprint.post("/stock/move")
@role_required(Role.LEADER)
def move():
    def action(form, item):
        to_site = db.session.get(Site, form.to_site_id.data)
        if to_site is None:
            raise DomainError(_("Choose another workshop to move the items to."), field="to_site_id")
        stock.move_between_sites(current_user.site, to_site, item, form.quantity.data, current_user,
                                 form.reason.data or "")
    return _leader_post("move_form", action, _("The items are moved."))


@blueprint.post("/stock/restock")
@role_required(Role.LEADER)
def restock():
    return _leader_post("restock_form", lambda form, item: stock.create_restock_work_order(
        current_user.site, item, current_user), _("The restock work order is created and released."))


@blueprint.route("/stock/<int:level_id>")
@role_required(Role.LEADER, Role.STAFF)
def movements(level_id: int):
    try:
        level = stock.site_level(current_user.site, level_id)
    except NotFound:
        abort(404)
    return render_template("shop/retail/movements.html", level=level, movements=stock.movements(level))


@blueprint.context_processor
def _labels():
    return {"kind_labels": KIND_LABELS}


KIND_LABELS = {K.PRODUCED: _l("Produced"), K.SOLD: _l("Sold"), K.RESERVED: _l("Reserved"), K.RELEASED: _l("Released"),
               K.RETURNED: _l("Returned"), K.ADJUSTED: _l("Adjusted"), K.MOVED_IN: _l("Moved in"),
               K.MOVED_OUT: _l("Moved out")}


def restock_panel(user) -> dict | None:
    """The leader's start-page panel: her site's restock proposals (nothing when there are none)."""
    proposals = stock.restock_proposals(user.site)
    return {"proposals": proposals, "form": RestockForm()} if proposals else None
