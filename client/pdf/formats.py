"""Locale formatting of the numbers, money and dates a quote prints (Babel, never float).

Nothing here rounds: amounts arrive rounded by `shared/money`, and Babel's
`decimal_quantization=False` prints every digit they carry (at least the currency's minor
unit), so a formatting step can never make a printed total disagree with the computed one.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_precision

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Formats:
    """Formatting for one document: a Babel locale (e.g. 'es_ES') and an ISO currency."""

    locale: str
    currency: str

    def money(self, amount: Decimal) -> str:
        """An amount with its currency sign: '1.234,56 €' (es_ES), '€1,234.56' (en_GB)."""
        return format_currency(amount, self.currency, locale=self.locale, decimal_quantization=False)

    def amount(self, amount: Decimal) -> str:
        """An amount or unit price without currency sign, at least the currency's decimals.

        '1.234,50' and '0,0375' (es_ES, EUR): unit prices keep up to 4 decimals, and
        normalize() first drops trailing zeros so that 12.5000 prints as 12,50.
        """
        digits = get_currency_precision(self.currency)
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return format_decimal(amount.normalize(), format=pattern, locale=self.locale, decimal_quantization=False)

    def quantity(self, quantity: Decimal) -> str:
        """A quantity with as many decimals as it has: '12', '2,5', '1.250,125'."""
        return format_decimal(quantity.normalize(), locale=self.locale, decimal_quantization=False)

    def percent(self, percent: Decimal) -> str:
        """A percentage given in percent units (21 -> '21 %' in es_ES, '21%' in en_GB)."""
        return format_percent(percent / _HUNDRED, locale=self.locale, decimal_quantization=False)

    def date(self, day: date) -> str:
        """A date in the locale's medium form: '3 dic 2026', '3 Dec 2026'."""
        return format_date(day, format="medium", locale=self.locale)


__all__ = ["Formats"]
