"""Forms for orders: a company's request for a quote, the workshop's list filter, a reason to decline or cancel.

The request form has no field for price, status or owner: the server decides those.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workshop.forms import WholeNumberField
from workshop.inputs import BoundedDateField

from ..forms import _row_id
from .requests import RequestedLine, Upload

#: Line rows in the request form; empty rows are left out.
LINE_ROWS = 5
_TEXT = [Length(max=200, message=_l("At most 200 characters."))]


class LineForm(Form):
    """One row: a product and how many, and what to embroider."""

    product_id = SelectField(_l("Product"), coerce=_row_id, validate_choice=False)
    variant_id = SelectField(_l("Size or colour"), coerce=_row_id, validate_choice=False)
    quantity = WholeNumberField(_l("How many"), validators=[Optional()])
    embroidery_text = StringField(_l("Text to embroider"), validators=_TEXT)
    thread_colours = StringField(_l("Thread colours"), validators=_TEXT)
    placement = StringField(_l("Where on the product"), validators=_TEXT)

    def is_empty(self) -> bool:
        return not self.product_id.data and not self.quantity.data and not any(
            (self.embroidery_text.data, self.thread_colours.data, self.placement.data))

    def requested(self) -> RequestedLine:
        return RequestedLine(product_id=self.product_id.data or 0, quantity=self.quantity.data,
                             variant_id=self.variant_id.data or None,
                             embroidery_text=self.embroidery_text.data or "",
                             thread_colours=self.thread_colours.data or "", placement=self.placement.data or "")


class RequestForm(FlaskForm):
    site_id = SelectField(_l("Workshop"), coerce=_row_id, validate_choice=False)
    lines = FieldList(FormField(LineForm), min_entries=LINE_ROWS, max_entries=LINE_ROWS)
    wished_date = BoundedDateField(_l("When do you need it? (optional)"), validators=[Optional()])
    prototype_first = BooleanField(_l("Make one sample first"))
    customer_reference = StringField(_l("Your reference (optional)"), validators=[
        Length(max=60, message=_l("At most 60 characters."))])
    note = TextAreaField(_l("Message to the workshop (optional)"), validators=[
        Length(max=2000, message=_l("At most 2000 characters."))])
    logo = FileField(_l("Logo (PNG or JPEG, at most 5 MB)"))
    submit = SubmitField(_l("Ask for a price"))

    def requested_lines(self) -> list[RequestedLine]:
        return [row.form.requested() for row in self.lines if not row.form.is_empty()]

    def logos(self) -> tuple[Upload, ...]:
        data = self.logo.data
        if isinstance(data, FileStorage) and data.filename:
            return (Upload(data.stream, data.filename),)
        return ()


class ReasonForm(FlaskForm):
    """Why a leader declines or cancels; the customer reads it."""

    reason = StringField(_l("Reason"), validators=[
        DataRequired(message=_l("Write the reason.")), Length(max=300, message=_l("At most 300 characters."))])
    submit = SubmitField(_l("OK"))


class FilterForm(FlaskForm):
    """The workshop's order list, filtered by GET parameters (no CSRF: nothing changes)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Show"), choices=[("open", _l("Open orders")), ("closed", _l("Closed orders")),
                                              ("all", _l("All orders"))], default="open")
    customer = StringField(_l("Customer"), validators=[Length(max=160, message=_l("At most 160 characters."))])
    wished_by = BoundedDateField(_l("Wished by (date)"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))
