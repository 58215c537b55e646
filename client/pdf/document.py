"""A display-ready quote: everything the PDF prints, already decided elsewhere.

Prices, discounts, taxes, totals and availability promises are computed by `shared/rules`
(the same rules the server re-checks); this module only carries their results, so the PDF
holds no business rule and cannot disagree with the quote the seller saw on screen.
Amounts are `Decimal`; a float is refused because it would print what was not computed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")


def _require_decimals(record: object, *names: str) -> None:
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TypeError(f"{type(record).__name__}.{name} must be a finite Decimal, got {value!r}")


def _freeze(record: object, name: str) -> None:
    # Frozen dataclasses still hold whatever sequence they were given; a tuple keeps a
    # rendered document from changing under the caller's feet.
    object.__setattr__(record, name, tuple(getattr(record, name)))


@dataclass(frozen=True)
class CompanyInfo:
    """The distributor issuing the quote (header and footer)."""

    name: str
    legal_name: str
    tax_id: str
    address_lines: Sequence[str] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: Path | None = None
    logo: bytes | None = None
    """The logo's bytes (the synced profile's); `logo_path` is read when this is None."""
    bank: str = ""
    """Bank details for payment, in one line (bank · IBAN · BIC)."""

    def __post_init__(self) -> None:
        _freeze(self, "address_lines")


@dataclass(frozen=True)
class PartyBlock:
    """The customer the quote is addressed to."""

    code: str
    legal_name: str
    tax_id: str
    address_lines: Sequence[str] = ()
    contact_name: str = ""
    contact_email: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "address_lines")


@dataclass(frozen=True)
class SellerBlock:
    """The seller who prepared the quote and answers questions about it."""

    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One quoted line; `availability` is the promise already worded for the customer, and
    `delivery` the line's delivery date in words ("Delivery by 14 Dec 2026")."""

    line_no: int
    sku: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    net_amount: Decimal
    tax_rate_percent: Decimal
    availability: str = ""
    delivery: str = ""

    def __post_init__(self) -> None:
        _require_decimals(self, "quantity", "unit_price", "discount_percent", "net_amount", "tax_rate_percent")


@dataclass(frozen=True)
class TaxLine:
    """Tax at one rate: the taxable base and the tax on it."""

    rate_percent: Decimal
    base: Decimal
    tax: Decimal

    def __post_init__(self) -> None:
        _require_decimals(self, *(f.name for f in fields(self)))


@dataclass(frozen=True)
class QuoteDocument:
    """One version of a quote as the customer will read it."""

    language: Language
    company: CompanyInfo
    customer: PartyBlock
    seller: SellerBlock
    number: str
    version: int
    issue_date: date
    valid_until: date
    currency: str
    payment_terms: str
    lines: Sequence[DocumentLine]
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    tax_breakdown: Sequence[TaxLine] = ()
    header_discount_percent: Decimal = Decimal(0)
    terms: Sequence[str] = ()
    notes: str = ""
    status_label: str | None = None

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.language!r}")
        if self.version < 1:
            raise ValueError(f"version must be 1 or more, got {self.version}")
        _require_decimals(self, "net_total", "tax_total", "gross_total", "header_discount_percent")
        for name in ("lines", "tax_breakdown", "terms"):
            _freeze(self, name)


__all__ = [
    "LANGUAGES",
    "CompanyInfo",
    "DocumentLine",
    "Language",
    "PartyBlock",
    "QuoteDocument",
    "SellerBlock",
    "TaxLine",
]
