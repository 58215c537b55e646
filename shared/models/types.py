"""Annotated field types with the validation every model shares.

Money and quantities arrive as strings (CSV, JSON) or Decimals; floats are refused because
a float has already lost the exact value. Codes are short, trimmed, non-empty strings.

Every value that can reach the change log is bounded here, before anything is stored: one
device's odd value must never become a record that no other device can read, nor a value
that one database refuses and the other keeps (docs/sync-protocol.md, "Values"):
- amounts and prices below 10^12, quantities below 10^9, rates below 10^6 (the server keeps
  them as NUMERIC(24, 10): 14 digits before the point);
- floats finite (models refuse NaN and infinities, see `Record`);
- dates and times from 1900-01-01 to 2200-12-31 (times UTC-aware, checked before they are
  converted to UTC, which overflows for year 1 or 9999 with an offset);
- text without NUL or other C0 control characters, except tab, line feed and carriage return.
"""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints

from shared.countries import country_problem, suggest_currency
from shared.money import UNIT_PRICE_PLACES, is_currency, parse_decimal, parse_decimal_places

MAX_AMOUNT = Decimal(10) ** 12
"""Money amounts and prices lie strictly between -MAX_AMOUNT and MAX_AMOUNT."""
MAX_QUANTITY = Decimal(10) ** 9
"""Quantities lie below this."""
MAX_RATE = Decimal(10) ** 6
"""Exchange rates lie below this."""
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
"""Dates and times (in UTC) lie from FIRST_DAY to LAST_DAY, both included."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab, line feed and carriage return; DEL; and the bidirectional embedding,
override and isolate controls (U+202A–U+202E, U+2066–U+2069), which make text read other
than it is stored ("pay \u202eusd 001"): right-to-left letters themselves are welcome. A
compiled search: this runs for every text cell of an import and every text field a device pushes."""


def check_text(value: str) -> str:
    """`value` if it holds no control character but tab and line breaks, else ValueError."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X} at position {found.start()}")
    return value


def _to_decimal(value: Any) -> Decimal:
    if type(value) is str:  # the usual case (CSV cells, JSON): one test instead of five
        return parse_decimal(value)
    if isinstance(value, bool | float):
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


def _max_places(places: int) -> Callable[[Decimal], Decimal]:
    def check(value: Decimal) -> Decimal:
        if value.as_tuple().exponent < -places:  # type: ignore[operator]
            raise ValueError(f"has more than {places} decimals")
        return value

    return check


def _below(limit: Decimal) -> Callable[[Decimal], Decimal]:
    def check(value: Decimal) -> Decimal:
        if not -limit < value < limit:
            raise ValueError(f"must lie between -{limit:,.0f} and {limit:,.0f}")
        return value

    return check


def _currency(value: str) -> str:
    if not is_currency(value):
        suggestion = suggest_currency(value)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        raise ValueError(f"{value!r} is not an ISO 4217 currency code{hint}")
    return value


def _country(value: str) -> str:
    problem = country_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone (UTC)")
    # The local year first: converting year 1 or 9999 with an offset to UTC overflows.
    if not FIRST_DAY.year - 1 <= value.year <= LAST_DAY.year + 1:
        raise ValueError(f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    moment = value.astimezone(UTC)
    _day_in_range(moment.date())
    return moment


def _day_in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


_DecimalIn = BeforeValidator(_to_decimal)
_DecimalOut = PlainSerializer(str, return_type=str, when_used="json")  # builtin: no Python frame a value
_Text = AfterValidator(check_text)
TEXT_PATTERN = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$"
"""check_text's rule as a JSON-schema pattern: the API's OpenAPI says which text it refuses."""
_TextSchema = Field(json_schema_extra={"pattern": TEXT_PATTERN})


def _bounded_decimal(places: int, limit: Decimal, non_negative: bool) -> BeforeValidator:
    """A decimal type's parsing and its checks as one validator, in the order the checks
    were written (decimals, bounds, sign: the first failing one says what is wrong).

    One call from pydantic's core into Python a cell instead of two, and a string's
    decimals counted on the string instead of the Decimal's tuple of digits: a model of four
    decimal fields validates in 3.8 µs instead of 6.1, which an import of millions of decimal
    cells feels. The messages are those of `_to_decimal`, `_max_places` and `_below`.
    """
    too_many = f"has more than {places} decimals"
    out_of_bounds = f"must lie between -{limit:,.0f} and {limit:,.0f}"

    def validate(value: Any) -> Decimal:
        if type(value) is str:  # CSV cells and JSON: the usual case
            number, decimals = parse_decimal_places(value)
        else:
            number = _to_decimal(value)
            decimals = -number.as_tuple().exponent  # type: ignore[operator]
        if decimals > places:
            raise ValueError(too_many)
        if not -limit < number < limit:
            raise ValueError(out_of_bounds)
        if non_negative and number < 0:
            raise ValueError("must not be negative")
        return number

    return BeforeValidator(validate)


Amount = Annotated[Decimal, _bounded_decimal(4, MAX_AMOUNT, non_negative=False), _DecimalOut]
"""A money amount, may be negative (credit notes, balances); at most 4 decimals."""
NonNegativeAmount = Annotated[Decimal, _bounded_decimal(4, MAX_AMOUNT, non_negative=True), _DecimalOut]
UnitPrice = Annotated[Decimal, _bounded_decimal(UNIT_PRICE_PLACES, MAX_AMOUNT, non_negative=True), _DecimalOut]
Quantity = Annotated[Decimal, _bounded_decimal(3, MAX_QUANTITY, non_negative=True), _DecimalOut]
Percent = Annotated[Decimal, _DecimalIn, AfterValidator(_max_places(4)), Field(ge=0, le=100), _DecimalOut]
Rate = Annotated[
    Decimal, _DecimalIn, AfterValidator(_max_places(10)), AfterValidator(_below(MAX_RATE)), Field(gt=0), _DecimalOut
]
Currency = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=3, max_length=3), AfterValidator(_currency)
]


class StoredLength:
    """The column length a value needs once valid (read by the server's table builder; pydantic
    ignores it): a cell may be longer before it is refused, so the refusal can say what it meant."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length


CountryCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_country), StoredLength(2)]
"""An ISO 3166-1 alpha-2 country code in capitals ('ES', 'GB'); a refusal suggests the code
meant by the usual mistakes ('UK', 'SP', 'ESP', 'es', 'Spain')."""
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\s|]+$"),
    _Text,
    # The OpenAPI also says check_text's rule (schemathesis found a code with a control
    # character in a URL called valid, then refused); validation keeps its own two messages.
    Field(json_schema_extra={"pattern": "^[^\\s|\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+$"}),
]
"""An ERP code: 1–64 characters, no whitespace, no '|' (used to join composite ids)."""
LOGIN_PATTERN = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
"""The one rule for login names: 2–64 characters, lower-case letters a-z and digits in runs
joined by single '.', '_' or '-' (so never '..', a leading dot, a slash, a space or a control
character: a login is also a folder name on the device)."""
Login = Annotated[
    str,
    # Normalised before the pattern is checked: people type "Ana.Garcia " and mean ana.garcia.
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(min_length=2, max_length=64, pattern=LOGIN_PATTERN),
    # pydantic leaves the pattern out of the JSON schema behind a BeforeValidator; the API's
    # OpenAPI must say it (schemathesis found sign-ins it declared valid refused with 422).
    Field(json_schema_extra={"pattern": LOGIN_PATTERN}),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _Text, _TextSchema]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), _Text, _TextSchema]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), _Text, _TextSchema]
PurchaseOrder = Annotated[str, StringConstraints(strip_whitespace=True, max_length=35), _Text, _TextSchema]
"""A customer's purchase-order number: free text up to 35 characters (an EDI order's reference field)."""
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"), _Text
]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
Day = Annotated[date, AfterValidator(_day_in_range)]
"""A calendar date from FIRST_DAY to LAST_DAY."""

__all__ = [
    "Amount",
    "Code",
    "CountryCode",
    "Currency",
    "Day",
    "Email",
    "FIRST_DAY",
    "LAST_DAY",
    "LOGIN_PATTERN",
    "MAX_AMOUNT",
    "MAX_QUANTITY",
    "MAX_RATE",
    "Login",
    "LongText",
    "Name",
    "NonNegativeAmount",
    "Percent",
    "Quantity",
    "Rate",
    "PurchaseOrder",
    "ShortText",
    "UnitPrice",
    "UtcDateTime",
    "check_text",
]
