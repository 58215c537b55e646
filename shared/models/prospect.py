"""A prospect: a company a seller met that the ERP does not know yet (made on the tablet)."""

from functools import cache
from typing import Annotated
from uuid import UUID

from babel import Locale
from pydantic import AfterValidator, StringConstraints

from shared.models.base import Record
from shared.models.types import Code, Currency, Email, Login, Name, ShortText, UtcDateTime

_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
"""CLDR territories with two letters that are not ISO 3166-1 countries (groups, pseudo-regions)."""


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes (from the CLDR data Babel ships)."""
    codes = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


def _iso_country(value: str) -> str:
    code = value.strip().upper()
    if code not in country_codes():
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=2, max_length=2),
    AfterValidator(_iso_country),
]
"""An ISO 3166-1 alpha-2 country code ('ES', 'PT'), upper case."""


class Prospect(Record):
    """A company that may become a customer, made by a seller on the tablet (from a lead or the
    portfolio). Owned by its seller; quotable on prepaid terms only until the ERP creates it as
    a customer under the same code (`shared.rules.prospects`)."""

    ENTITY, KEY = "prospect", ("code",)
    code: Code
    """Made on the device from its own prefix (P-<quote prefix>-<counter>): no two devices collide."""
    seller_login: Login
    name: Name
    tax_id: ShortText = ""
    contact: ShortText = ""
    """The person to talk to."""
    email: Email = ""
    phone: ShortText = ""
    city: ShortText = ""
    country: Country
    currency: Currency
    """The company's currency (its default price list's) when the prospect was made."""
    lead_id: UUID | None = None
    """The lead it was made from, if any."""
    created_at: UtcDateTime


__all__ = ["Country", "Prospect", "country_codes"]
