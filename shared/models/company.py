"""The company profile: who issues the quotes (DESIGN §3), imported from `company.csv`.

One per server. The ERP export gives it (with a logo file beside it) and an administrator
may edit it; every device receives it at the end of a sync round, so the app bundle holds no
company data. Multi-line values (address, terms) keep one line per line of the cell.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.models.types import CountryCode, Currency, Email, LongText, Name, ShortText

LANGUAGES_OF_TERMS = ("en", "es")
"""The languages a quote is written in, each with its own terms column (`terms_<lang>`)."""

MAX_LOGO_BYTES = 512 * 1024
"""A logo is a letterhead image, not a photo: half a mebibyte is plenty."""

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
"""The logo formats a PDF can embed, by their first bytes."""


def logo_type(data: bytes) -> str | None:
    """The logo's media type from its first bytes; None when it is neither PNG nor JPEG."""
    return next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)


DeliveryDays = Annotated[int, Field(ge=0, le=60)]


class CompanyProfile(BaseModel):
    """The issuing company as `company.csv` describes it (one row)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    legal_name: Name
    trade_name: ShortText = ""
    """The name on the letterhead; the legal name when empty."""
    tax_id: Name
    country: CountryCode
    """ISO 3166-1 alpha-2: the issuer's country decides which customers are domestic."""
    base_currency: Currency
    address: LongText = ""
    """Postal address, one line per line of the cell."""
    phone: ShortText = ""
    email: Email = ""
    website: ShortText = ""
    bank_name: ShortText = ""
    iban: ShortText = ""
    bic: ShortText = ""
    payment_terms: ShortText = ""
    """Default payment terms, in the words the quote prints (a customer's own terms win)."""
    delivery_days: DeliveryDays = 2
    """Working days from order to delivery for goods in stock."""
    terms_en: LongText = ""
    """The quote's standard terms in English, one per line."""
    terms_es: LongText = ""
    """The same in Spanish."""
    logo_file: ShortText = ""
    """The logo's file name in the export folder (PNG or JPEG); empty: no logo."""

    @property
    def name(self) -> str:
        """The name the letterhead shows."""
        return self.trade_name or self.legal_name

    def address_lines(self) -> tuple[str, ...]:
        """The address, one entry per non-empty line."""
        return tuple(line.strip() for line in self.address.splitlines() if line.strip())

    def terms(self, language: str) -> tuple[str, ...]:
        """The standard terms in `language` (English when that language has none)."""
        text = getattr(self, f"terms_{language}", "") if language in LANGUAGES_OF_TERMS else ""
        lines = tuple(line.strip() for line in (text or self.terms_en).splitlines() if line.strip())
        return lines


__all__ = ["LANGUAGES_OF_TERMS", "LOGO_TYPES", "MAX_LOGO_BYTES", "CompanyProfile", "logo_type"]
