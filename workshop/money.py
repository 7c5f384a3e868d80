"""Money is integer øre (DKK x 100) everywhere; these helpers are the only conversions."""
import re
from decimal import Decimal

from .inputs import MAX_INTEGER

#: Kroner as people write them, in ASCII digits: "45", "-45,50", "1.234,50", "1234.50", "1 234 kr."
_AMOUNT = re.compile(r"-?[0-9]{1,12}([.,][0-9]{1,2})?")


class MoneyError(ValueError):
    """A text that is not an amount of kroner."""


def ore_from_kroner(text: str | int | Decimal) -> int:
    """Parse '1.234,50', '1234.50' or '45' kroner into øre."""
    cleaned = str(text).strip().replace(" ", "").removesuffix("kr.").removesuffix("kr")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not _AMOUNT.fullmatch(cleaned):  # also refuses 1e309, NaN, Infinity and '²'
        raise MoneyError(text)
    ore = int(Decimal(cleaned) * 100)
    if abs(ore) > MAX_INTEGER:  # the øre columns are integers
        raise MoneyError(text)
    return ore


def kroner(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))
