"""One Translator per app session: `t("key", name=...)`, `t.plural(...)`, enum labels, Babel formats.

The words come from the gettext catalogs (client/i18n/catalogs.py). A key missing from the
chosen language falls back to English, then to the key itself, so a gap never crashes a
seller's screen; the test suite (and CI) fails on any gap instead.
"""

import datetime as dt
import re
from decimal import Decimal
from enum import Enum

from babel.dates import ParseError, format_date, format_datetime, format_time, get_date_format
from babel.dates import parse_date as babel_parse_date
from babel.numbers import NumberFormatError, format_currency, format_decimal, parse_decimal

from client.i18n.catalogs import PLURAL_SUFFIX, messages, translations

LANGUAGES: dict[str, tuple[str, str]] = {"en": ("English", "en_GB"), "es": ("Español", "es_ES")}
"""Language code → (its own name, the Babel locale used for numbers and dates).

English documents and screens use en_GB (€1,234.56, 3 Dec 2026): day-month-year dates that
a European customer cannot misread, which en_US's 12/3/2026 can."""
DEFAULT_LANGUAGE = "en"
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
"""One separator before exactly three digits: thousands in one language, decimals in the other."""
CATALOGS: dict[str, dict[str, str]] = {language: messages(language) for language in LANGUAGES}
"""Every language's messages, key → words (a plural message: its singular form)."""


class Translator:
    """Words and formats of one language; call it with a key and the placeholders' values."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
        self.language = language
        self.locale = LANGUAGES[language][1]
        self._messages = CATALOGS[language]
        self._translations = translations(language)

    def __call__(self, key: str, **values: object) -> str:
        """The text of `key` with its {placeholders} filled in."""
        text = self._messages.get(key) or CATALOGS[DEFAULT_LANGUAGE].get(key) or key
        return text.format(**values) if values else text

    def plural(self, key: str, count: int | Decimal, **values: object) -> str:
        """The form of `key` for `count` (one photo / 3 photos; the language's own rules),
        with {count} and the other placeholders filled in."""
        plural_key = key + PLURAL_SUFFIX
        source = self._translations if key in self._messages else translations(DEFAULT_LANGUAGE)
        # A fraction (2.5 kg) takes the 'other' form, as CLDR says for both languages.
        form = count if isinstance(count, int) else 2
        text = source.ngettext(key, plural_key, form)
        if text in (key, plural_key):
            return key
        return text.format(count=self.number(count), **values)

    def has(self, key: str) -> bool:
        """Whether this app has words for `key` (a message key from an older or newer server may not)."""
        return key in self._messages or key in CATALOGS[DEFAULT_LANGUAGE]

    def label(self, value: Enum | str, kind: type[Enum] | None = None) -> str:
        """The words for an enum value, e.g. OpportunityStage.LEAD → "Lead" / "Contacto".

        Records keep enum fields as plain strings: pass the enum class as `kind` for those.
        """
        enum = kind or type(value)
        if not issubclass(enum, Enum):
            raise TypeError(f"say which enum {value!r} belongs to")
        return self(f"enum.{enum.__name__}.{enum(value).value}")

    def label_of(self, kind: str, value: str) -> str:
        """The words for a stored enum value when only its kind's name is at hand."""
        return self(f"enum.{kind}.{value}")

    def unit(self, code: str) -> str:
        """A unit of measure as this language writes it (EA → "ud.", BOX → "cj."); a code
        the catalogs do not name (an ERP's own, "DRUM") in lower case, as an abbreviation
        reads in a sentence ("5 drum"), never shouted in capitals."""
        key = f"unit.{code.strip().upper()}"
        return self(key) if code and self.has(key) else code.strip().lower()

    def segment(self, code: str) -> str:
        """A customer segment's name (industria → "Industry" / "Industria"); a code the
        catalogs do not name (an ERP's own) is shown as the ERP wrote it."""
        key = f"segment.{code}"
        return self(key) if code and self.has(key) else code

    def number(self, value: Decimal | int | float, digits: int | None = None) -> str:
        """A number with the locale's separators (1,234.5 / 1.234,5)."""
        pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
        return format_decimal(value, format=pattern, locale=self.locale)

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount in its currency as the locale writes it (€1,234.50 / 1.234,50 €)."""
        return format_currency(amount, currency, locale=self.locale)

    def price(self, amount: Decimal, currency: str) -> str:
        """A unit price: the currency's decimals, or up to 4 when the extra ones matter (4,1250 €)."""
        cents = amount.quantize(Decimal("0.01"))
        if cents == amount:
            return self.money(amount, currency)
        return format_currency(
            amount.quantize(Decimal("0.0001")).normalize(), currency, locale=self.locale, decimal_quantization=False
        )

    def percent(self, value: Decimal | int) -> str:
        """A percentage given as 0–100 (not as a fraction)."""
        return f"{self.number(value)} %" if self.language == "es" else f"{self.number(value)}%"

    def margin(self, value: Decimal) -> str:
        """A margin percentage as every screen shows it, to one decimal (35.5%): the quote list
        and the quote itself must not say 36% and 35.5% of one quote."""
        return self.percent(value.quantize(Decimal("0.1")))

    def date(self, value: dt.date | None) -> str:
        """A date in the locale's medium form; an em dash when unknown."""
        return format_date(value, format="medium", locale=self.locale) if value else "—"

    def datetime(self, value: dt.datetime | None) -> str:
        """A UTC-aware moment in the device's time zone (day and time)."""
        if value is None:
            return "—"
        return format_datetime(value.astimezone(), format="d MMM, HH:mm", locale=self.locale)

    def time(self, value: dt.datetime | None) -> str:
        """The hour and minute of a UTC-aware moment in the device's time zone."""
        return format_time(value.astimezone(), format="HH:mm", locale=self.locale) if value else "—"

    def day_entry(self, value: dt.date) -> str:
        """A date as the seller types it in this locale, with the whole year (15/12/2026)."""
        pattern = get_date_format("short", locale=self.locale).pattern
        return format_date(value, format=pattern.replace("yyyy", "y").replace("yy", "y"), locale=self.locale)

    def parse_day(self, text: str, field: str) -> dt.date:
        """A date typed by the seller: this locale's day order (15/12/2026) or ISO (2026-12-15);
        ValueError naming `field` otherwise."""
        said = (text or "").strip()
        try:
            return dt.date.fromisoformat(said)
        except ValueError:
            pass
        try:
            return babel_parse_date(said, locale=self.locale)
        except (ParseError, ValueError, IndexError):
            example = self.day_entry(dt.date(2026, 12, 31))
            raise ValueError(self("error.day_invalid", field=field, text=said, example=example)) from None

    def parse_decimal(self, text: str, field: str) -> Decimal:
        """A number typed by the seller in this locale; ValueError naming `field` otherwise."""
        cleaned = (text or "").replace(" ", "").replace("\u00a0", "").strip("€$£%")
        if not cleaned:
            raise ValueError(self("error.number_missing", field=field))
        try:
            return Decimal(parse_decimal(cleaned, locale=self.locale, strict=True))
        except NumberFormatError:
            pass
        # Typed the other language's way ("21.90" on a Spanish screen): read it so only when it
        # cannot mean anything else here. A lone separator before exactly three digits
        # ("1.234") is a thousands mark in one language and a decimal point in the other: it
        # was read this locale's way above, or it is refused.
        if not _AMBIGUOUS.match(cleaned):
            for _name, other in LANGUAGES.values():
                if other == self.locale:
                    continue
                try:
                    return Decimal(parse_decimal(cleaned, locale=other, strict=True))
                except NumberFormatError:
                    continue
        raise ValueError(self("error.number_invalid", field=field, text=text.strip())) from None


__all__ = ["CATALOGS", "DEFAULT_LANGUAGE", "LANGUAGES", "Translator"]
