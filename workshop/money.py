"""Money is integer øre (DKK x 100) everywhere; these helpers are the only conversions."""
from decimal import Decimal, InvalidOperation


class MoneyError(ValueError):
    """A text that is not an amount of kroner."""


def ore_from_kroner(text: str | int | Decimal) -> int:
    """Parse '1.234,50', '1234.50' or '45' kroner into øre."""
    cleaned = str(text).strip().replace(" ", "").removesuffix("kr.").removesuffix("kr")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError(text) from error
    if amount != amount.quantize(Decimal("0.01")):
        raise MoneyError(text)
    return int(amount * 100)


def kroner(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))
