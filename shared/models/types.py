"""Annotated field types with the validation every model shares.

Money and quantities arrive as strings (CSV, JSON) or Decimals; floats are refused because
a float has already lost the exact value. Codes are short, trimmed, non-empty strings.
"""

from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints

from shared.money import UNIT_PRICE_PLACES, is_currency, parse_decimal


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("must be given as a decimal string, not a float")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("must be a finite number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return parse_decimal(value)
    raise ValueError(f"not a decimal number: {value!r}")


def _max_places(places: int):
    def check(value: Decimal) -> Decimal:
        if value.as_tuple().exponent < -places:  # type: ignore[operator]
            raise ValueError(f"has more than {places} decimals")
        return value

    return check


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _currency(value: str) -> str:
    if not is_currency(value):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone (UTC)")
    return value.astimezone(timezone.utc)


_DecimalIn = BeforeValidator(_to_decimal)
_DecimalOut = PlainSerializer(lambda d: str(d), return_type=str, when_used="json")

Amount = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(4)), _DecimalOut]
"""A money amount, may be negative (credit notes, balances); at most 4 decimals."""
NonNegativeAmount = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(4)), AfterValidator(_non_negative), _DecimalOut]
UnitPrice = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(UNIT_PRICE_PLACES)), AfterValidator(_non_negative), _DecimalOut]
Quantity = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(3)), AfterValidator(_non_negative), _DecimalOut]
Percent = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(4)), Field(ge=0, le=100), _DecimalOut]
Rate = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(10)), Field(gt=0), _DecimalOut]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=3, max_length=3), AfterValidator(_currency)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\s|]+$")]
"""An ERP code: 1–64 characters, no whitespace, no '|' (used to join composite ids)."""
Login = Annotated[
    str,
    # Normalised before the pattern is checked: people type "Ana.Garcia " and mean ana.garcia.
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(min_length=2, max_length=64, pattern=r"^[a-z0-9._-]+$"),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]

__all__ = [
    "Amount",
    "Code",
    "Currency",
    "Email",
    "Login",
    "LongText",
    "Name",
    "NonNegativeAmount",
    "Percent",
    "Quantity",
    "Rate",
    "ShortText",
    "UnitPrice",
    "UtcDateTime",
]
