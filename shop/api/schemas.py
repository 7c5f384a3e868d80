"""What the JSON API reads and writes (marshmallow): the OpenAPI document is made from these."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from workshop.inputs import EARLIEST_DATE, LATEST_DATE, MAX_INTEGER

from ..impact.services import MAX_PERIOD_DAYS
from ..models import GarmentKind, TicketStatus
from ..orders.models import OrderStatus
from ..repairs.catalogue import MAX_REPAIRS_PER_TICKET

#: A public ticket link's token: URL-safe letters (new_token makes 32 of them).
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
SLUG_PATTERN = r"^[a-z0-9-]{1,40}$"
LANGUAGES = ("da", "en")


def _no_control_characters(text: str) -> None:
    """PostgreSQL cannot store NUL, and no field of the API needs a control character."""
    if any(ord(char) < 32 and char not in "\t\n\r" for char in text):
        raise ValidationError("Remove the control characters from the text.")


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(max=max_length), _no_control_characters], **kwargs)


def identifier(**kwargs) -> fields.Integer:
    """An id: a whole number (not a string) that fits an id column."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_INTEGER), **kwargs)


def day(**kwargs) -> fields.Date:
    """A date between 2000 and 2100 (ISO 8601, 2026-12-04), as everywhere in the app."""
    return fields.Date(validate=validate.Range(EARLIEST_DATE, LATEST_DATE,
                                               error="Choose a date between 2000 and 2100."), **kwargs)


def one_of(enum_type, **kwargs) -> fields.String:
    """A required string holding one of an enum's values (documented as that list)."""
    return fields.String(required=True, validate=validate.OneOf([member.value for member in enum_type]), **kwargs)


def decimal(**kwargs) -> fields.Decimal:
    """An exact decimal, sent as a string ("0.1234"): documented as a string, which it is."""
    metadata = {"type": "string", "format": "decimal", **kwargs.pop("metadata", {})}
    return fields.Decimal(as_string=True, metadata=metadata, **kwargs)


# --- Errors ---------------------------------------------------------------------------------------


class ErrorSchema(Schema):
    """Every error: the HTTP status, a message a person can act on, and the fields that were wrong."""

    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String())


# --- Repairs (public) -----------------------------------------------------------------------------


class SiteSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    address = fields.String(required=True)


class ChoiceSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class RepairOptionSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    price_ore = fields.Integer(required=True, metadata={"description": "Price including VAT, in øre."})


class DropOffSchema(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class SlotSchema(DropOffSchema):
    id = fields.Integer(required=True)
    free = fields.Integer(required=True)


class BookingOptionsSchema(Schema):
    site = fields.Nested(SiteSchema, required=True)
    garments = fields.List(fields.Nested(ChoiceSchema), required=True)
    repairs = fields.List(fields.Nested(RepairOptionSchema), required=True)
    slots = fields.List(fields.Nested(SlotSchema), required=True)
    max_repairs = fields.Integer(required=True)


class BookingSchema(Schema):
    """A resident's booking: the same fields and rules as the booking form at /r/<slug>."""

    garment = one_of(GarmentKind)
    repair_ids = fields.List(identifier(), required=True, validate=validate.Length(1, MAX_REPAIRS_PER_TICKET))
    slot_id = identifier(required=True)
    name = text(200, required=True)
    phone = text(40, required=True, metadata={"description": "A Danish phone number, e.g. 20 12 34 56."})
    email = text(254, load_default="")
    consent = fields.Boolean(required=True, metadata={
        "description": "The resident accepts that the workshop contacts her about the repair."})
    locale = fields.String(load_default="da", validate=validate.OneOf(LANGUAGES))
    request_key = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(TOKEN_PATTERN),
                                metadata={"description": "Send the same key again after a lost answer: "
                                                         "you get the ticket the first request made."})


class TicketLineSchema(Schema):
    name = fields.String(required=True)
    price_ore = fields.Integer(required=True)


class TicketSchema(Schema):
    """A ticket as its public page shows it: never the resident's name, phone or e-mail."""

    number = fields.String(required=True)
    token = fields.String(required=True)
    url = fields.String(required=True)
    status = one_of(TicketStatus)
    status_label = fields.String(required=True)
    garment = fields.String(required=True)
    garment_label = fields.String(required=True)
    total_ore = fields.Integer(required=True)
    lines = fields.List(fields.Nested(TicketLineSchema), required=True)
    drop_off = fields.Nested(DropOffSchema, allow_none=True, required=True)
    site = fields.Nested(SiteSchema, required=True)


class TicketPathSchema(Schema):
    token = fields.String(required=True, validate=validate.Regexp(TOKEN_PATTERN))


# --- Orders (business customers and leaders) ------------------------------------------------------


class StepSchema(Schema):
    status = one_of(OrderStatus)
    label = fields.String(required=True)
    reached_on = fields.Date(required=True, allow_none=True)
    current = fields.Boolean(required=True)


class OperationProgressSchema(Schema):
    operation = fields.String(required=True)
    done = fields.Integer(required=True)
    quantity = fields.Integer(required=True)
    percent = fields.Integer(required=True)


class OrderLineSchema(Schema):
    id = fields.Integer(required=True)
    product = fields.String(required=True)
    variant = fields.String(required=True, allow_none=True)
    quantity = fields.Integer(required=True)
    progress = fields.List(fields.Nested(OperationProgressSchema), required=True,
                           metadata={"description": "Pieces through each step of production, from the real tasks."})


class OrderSummarySchema(Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    status = one_of(OrderStatus)
    status_label = fields.String(required=True)
    customer = fields.String(required=True)
    customer_reference = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    wished_date = fields.Date(required=True, allow_none=True)
    promised_date = fields.Date(required=True, allow_none=True)


class OrderSchema(OrderSummarySchema):
    timeline = fields.List(fields.Nested(StepSchema), required=True)
    lines = fields.List(fields.Nested(OrderLineSchema), required=True)


class OrderListSchema(Schema):
    orders = fields.List(fields.Nested(OrderSummarySchema), required=True)


# --- Impact (leaders) -----------------------------------------------------------------------------


class PeriodSchema(Schema):
    start = day(required=True, metadata={"description": "The first day of the period."})
    end = day(required=True, metadata={"description": "The last day of the period (at most ten years later)."})

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("The end date cannot be before the start date.", "end")
        if (data["end"] - data["start"]).days >= MAX_PERIOD_DAYS:
            raise ValidationError("Choose a period of at most ten years.", "end")


class DemandSchema(Schema):
    kind = fields.String(required=True)
    revenue_ore = fields.Integer(required=True, metadata={"description": "Excluding VAT, in øre."})
    count = fields.Integer(required=True)


class HoursSchema(Schema):
    key = fields.String(required=True)
    training_minutes = fields.Integer(required=True)
    paid_minutes = fields.Integer(required=True)


class ImpactSchema(Schema):
    site = fields.String(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    revenue_ore = fields.Integer(required=True)
    demand = fields.List(fields.Nested(DemandSchema), required=True)
    task_hours = fields.List(fields.Nested(HoursSchema), required=True)
    other_hours = fields.List(fields.Nested(HoursSchema), required=True)
    wages_ore = fields.Integer(required=True)
    wage_share = decimal(required=True, allow_none=True,
                         metadata={"description": "Kroner of wages per 100 kr. of revenue excl. VAT, e.g. \"41.25\"."})
    women = fields.Integer(required=True, metadata={"description": "Women with paid hours in the period."})
    lowest_paid_minutes = fields.Integer(required=True)
    median_paid_minutes = decimal(required=True)
    highest_paid_minutes = fields.Integer(required=True)
    gini = decimal(required=True, metadata={"description": "0 when every woman had the same paid hours, towards 1 "
                                                          "when one had them all."})
