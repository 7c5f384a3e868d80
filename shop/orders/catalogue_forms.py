"""Forms for a leader's catalogue set-up: who sees a product, its text, photo and prices."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form, FieldList, FormField, RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from production.forms import KronerField
from workshop.forms import WholeNumberField

from .catalogue import MAX_TIERS
from .models import Visibility

VISIBILITY_LABELS = {
    Visibility.HIDDEN: _l("Hidden"),
    Visibility.EVERYONE: _l("All business customers"),
    Visibility.CHOSEN: _l("Chosen customers only"),
}


def _row_id(value) -> int:
    """A posted id as a number; anything else becomes 0, which the service refuses in the user's language."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 10 else 0


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TierForm(Form):
    """One row of the tiers editor; a row left empty is skipped."""

    min_quantity = WholeNumberField(_l("From quantity"))
    price_ore = KronerField(_l("Unit price excl. VAT (kr.)"))


class CatalogueItemForm(FlaskForm):
    """The service checks the customers, the tiers' order and the prices' range."""

    visibility = RadioField(_l("Who sees the product"), default=Visibility.HIDDEN.value, validate_choice=False,
                            choices=[(value.value, label) for value, label in VISIBILITY_LABELS.items()],
                            validators=[InputRequired(message=_l("Choose who may see the product."))])
    chosen = CheckboxesField(_l("Chosen customers"), coerce=_row_id, validate_choice=False)
    description_da = TextAreaField(_l("Description in Danish"), validators=[
        Length(max=1000, message=_l("At most 1000 characters."))])
    description_en = TextAreaField(_l("Description in English"), validators=[
        Length(max=1000, message=_l("At most 1000 characters."))])
    photo = FileField(_l("Photo (PNG or JPEG, at most 5 MB)"))
    tiers = FieldList(FormField(TierForm), min_entries=MAX_TIERS, max_entries=MAX_TIERS)
    submit = SubmitField(_l("Save the catalogue entry"))

    def tier_rows(self) -> list[tuple[int | None, int | None]]:
        """The filled rows, in the order written; half-filled rows are kept so the service can refuse them."""
        return [(row.min_quantity.data, row.price_ore.data) for row in self.tiers
                if row.min_quantity.data is not None or row.price_ore.data is not None]


class CustomerPriceForm(FlaskForm):
    customer_id = SelectField(_l("Customer"), coerce=_row_id, validate_choice=False)
    price_ore = KronerField(_l("Her own unit price excl. VAT (kr.)"),
                            validators=[InputRequired(message=_l("Write the price."))])
    submit = SubmitField(_l("Save the price"))
