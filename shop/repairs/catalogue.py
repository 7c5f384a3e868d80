"""The repair price list and the checks every booking field goes through (phone numbers, repairs)."""
import re
from collections.abc import Collection
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Site
from workshop.timeutil import utcnow

from ..models import GarmentKind, RepairType


def choices_fragment(site: Site) -> str:
    """The name under which the booking page's kept choices (the price list and the free times) live:
    whatever changes them forgets it (workshop/fragments.py)."""
    return f"booking-choices:{site.id}"

#: Garment kinds in the order the booking page shows them, with their labels.
GARMENT_LABELS = {
    GarmentKind.TROUSERS: _l("Trousers"),
    GarmentKind.JACKET: _l("Jacket or coat"),
    GarmentKind.DRESS: _l("Dress"),
    GarmentKind.SHIRT: _l("Shirt or blouse"),
    GarmentKind.SKIRT: _l("Skirt"),
    GarmentKind.OTHER: _l("Something else"),
}
MAX_REPAIRS_PER_TICKET = 6


def naive_utcnow() -> datetime:
    """UTC now without tzinfo, as the database gives datetimes back."""
    return utcnow().replace(tzinfo=None)


# --- Phone numbers -----------------------------------------------------------------------


_PHONE_JUNK = re.compile(r"[\s\-().]")


def normalise_phone(text: str) -> str:
    """A Danish mobile or landline number as "+45XXXXXXXX", or a DomainError."""
    cleaned = _PHONE_JUNK.sub("", text or "")
    if cleaned.startswith("+45"):
        cleaned = cleaned[3:]
    elif cleaned.startswith("0045"):
        cleaned = cleaned[4:]
    if not re.fullmatch(r"[2-9]\d{7}", cleaned):
        raise DomainError(_l("Write a Danish phone number with 8 digits, e.g. 20 12 34 56."), field="phone")
    return "+45" + cleaned


def show_phone(phone: str) -> str:
    """"+4520123456" as "+45 20 12 34 56"."""
    if len(phone) == 11 and phone.startswith("+45"):
        digits = phone[3:]
        return "+45 " + " ".join(digits[index:index + 2] for index in range(0, 8, 2))
    return phone


def looks_like_phone(text: str) -> bool:
    try:
        normalise_phone(text)
    except DomainError:
        return False
    return True


# --- Pricing ---------------------------------------------------------------------------------


def price_list(site: Site) -> list[RepairType]:
    query = select(RepairType).where(RepairType.site_id == site.id, RepairType.active).order_by(
        RepairType.price_ore, RepairType.id)
    return list(db.session.scalars(query))


def chosen_repairs(site: Site, repair_ids: list[int], kept_ids: Collection[int] = ()) -> list[RepairType]:
    """The site's active repairs with these ids; refuses none, too many, unknown or another site's ids.

    `kept_ids` are repairs a ticket already has: they may be chosen even after they were retired."""
    ids = list(dict.fromkeys(repair_ids or []))
    if not ids:
        raise DomainError(_l("Choose at least one repair."), field="repairs")
    if len(ids) > MAX_REPAIRS_PER_TICKET:
        raise DomainError(_l("Choose at most %(count)d repairs.", count=MAX_REPAIRS_PER_TICKET), field="repairs")
    repairs = list(db.session.scalars(select(RepairType).where(
        RepairType.id.in_(ids), RepairType.site_id == site.id,
        or_(RepairType.active, RepairType.id.in_(list(kept_ids))))))
    if len(repairs) != len(ids):
        raise DomainError(_l("One of the chosen repairs is not on this workshop's price list."), field="repairs")
    return sorted(repairs, key=lambda repair: ids.index(repair.id))


def total_price(repairs: list[RepairType]) -> int:
    """The price of a set of repairs, øre."""
    return sum(repair.price_ore for repair in repairs)


def total_minutes(repairs: list[RepairType]) -> int:
    return sum(repair.standard_minutes for repair in repairs)
