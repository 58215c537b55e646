"""Money: Decimal end to end, one rounding rule, ISO 4217 currencies.

The rounding rule (the only one in Terreno): amounts are rounded to the currency's minor
unit with ROUND_HALF_UP ("commercial rounding", what invoices in the EU and LatAm use);
unit prices keep 4 decimals, rounded the same way. Never round a sum of rounded values
twice: round each line once, then add the rounded lines.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision

from shared.countries import currency_codes

ROUNDING = ROUND_HALF_UP
UNIT_PRICE_PLACES = 4
_UNIT_PRICE_EXP = Decimal(1).scaleb(-UNIT_PRICE_PLACES)
_KNOWN_CURRENCIES = currency_codes()
_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def is_currency(code: str) -> bool:
    """Whether `code` is an ISO 4217 currency code in use (pycountry's table; upper case, 3 letters)."""
    return len(code) == 3 and code.isupper() and code in _KNOWN_CURRENCIES


def minor_units(currency: str) -> int:
    """Number of decimals of the currency's minor unit (EUR 2, JPY 0, KWD 3)."""
    return get_currency_precision(currency)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round an amount to the currency's minor unit with the one rounding rule."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUNDING)


def round_unit_price(price: Decimal) -> Decimal:
    """Round a unit price to 4 decimals with the one rounding rule."""
    return price.quantize(_UNIT_PRICE_EXP, rounding=ROUNDING)


def parse_decimal(text: str) -> Decimal:
    """Parse a plain decimal string ('1234.50', '-3', '0.0001'); refuse floats' odd forms.

    Thousands separators, commas as decimal marks, exponents, NaN and infinities are
    refused: an ERP export that writes them is misconfigured and must be fixed at source.
    """
    return parse_decimal_places(text)[0]


def parse_decimal_places(text: str) -> tuple[Decimal, int]:
    """As `parse_decimal`, with the number of decimals written ('1.50': 2, '7': 0).

    Read off the text, which the pattern keeps plain: the same as the Decimal's exponent,
    without building its tuple of digits (a third of a decimal cell's checks in an import).
    """
    cleaned = text.strip()
    # A compiled pattern: this runs for every decimal cell of a multi-million-row import.
    if not _PLAIN_DECIMAL.fullmatch(cleaned):
        raise ValueError(f"not a plain decimal number: {text!r}")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid literals
        raise ValueError(f"not a plain decimal number: {text!r}") from exc
    point = cleaned.find(".")
    return number, 0 if point < 0 else len(cleaned) - point - 1


__all__ = [
    "ROUNDING",
    "UNIT_PRICE_PLACES",
    "is_currency",
    "minor_units",
    "parse_decimal",
    "parse_decimal_places",
    "round_money",
    "round_unit_price",
]
