"""The page where a business customer or a leader makes and revokes her API tokens."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import EmptyForm, show_domain_error
from workshop.security import found_or_404, role_required, token_pages

from . import tokens

blueprint = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")
# A new token is shown once on this page: never cached, never sent on in a Referer.
token_pages(blueprint)


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=tokens.MAX_NAME_LENGTH)],
                       description=_l("What will use it, e.g. our ERP system."))
    submit = SubmitField(_l("Make a token"))


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    return render_template("shop/api/tokens.html", form=form, tokens=tokens.user_tokens(current_user),
                           new_token=new_token, revoke_form=EmptyForm()), status


@blueprint.route("/", methods=["GET", "POST"])
@role_required(*tokens.TOKEN_ROLES)
def index():
    form = TokenForm()
    if not form.is_submitted():
        return _page(form)
    if form.validate():
        try:
            _row, token = tokens.create_token(current_user, form.name.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            return _page(TokenForm(formdata=None), new_token=token, status=201)
    return _page(form, status=400)


@blueprint.route("/<int:token_id>/revoke", methods=["POST"])
@role_required(*tokens.TOKEN_ROLES)
def revoke(token_id: int):
    if not EmptyForm().validate():
        return _page(TokenForm(formdata=None), status=400)
    row = found_or_404(tokens.revoke_token, current_user, token_id)
    db.session.commit()
    flash(_("The token %(name)s is revoked. It no longer works.", name=row.name), "success")
    return redirect(url_for("api_tokens.index"), 303)
