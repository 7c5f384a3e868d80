"""Danish company numbers: the CVR number (modulus 11) and the EAN/GLN location number (GS1 check digit)."""
import re

from flask_babel import lazy_gettext as _l

from workshop.errors import DomainError

#: The CVR register's weights: the weighted sum of a valid number is divisible by 11.
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_is_valid(cvr: str) -> bool:
    if not re.fullmatch(r"\d{8}", cvr):
        return False
    return sum(int(digit) * weight for digit, weight in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def gs1_check_digit(digits: str) -> int:
    """The GS1 check digit for the digits before it: weights 3, 1, 3, ... counted from the right."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def ean_is_valid(ean: str) -> bool:
    return bool(re.fullmatch(r"\d{13}", ean)) and gs1_check_digit(ean[:-1]) == int(ean[-1])


def _digits_only(value: str | None) -> str:
    """What people type (spaces, dashes, a "DK" prefix) as the bare number."""
    text = (value or "").strip().upper().removeprefix("DK")
    return re.sub(r"[\s.-]", "", text)


def checked_cvr(value: str | None, required: bool = False) -> str:
    """The CVR number as 8 digits, or "" when none is given; a DomainError says what is wrong."""
    cvr = _digits_only(value)
    if not cvr:
        if required:
            raise DomainError(_l("Write the CVR number."), field="cvr")
        return ""
    if not cvr.isdigit() or len(cvr) != 8:
        raise DomainError(_l("A CVR number has 8 digits."), field="cvr")
    if not cvr_is_valid(cvr):
        raise DomainError(_l("The CVR number does not add up. Check the digits."), field="cvr")
    return cvr


def checked_ean(value: str | None) -> str:
    """The EAN/GLN number as 13 digits, or "" when none is given; a DomainError says what is wrong."""
    ean = _digits_only(value)
    if not ean:
        return ""
    if not ean.isdigit() or len(ean) != 13:
        raise DomainError(_l("An EAN number has 13 digits."), field="ean")
    if not ean_is_valid(ean):
        raise DomainError(_l("The EAN number does not add up. Check the digits."), field="ean")
    return ean
