"""Country and currency codes: ISO 3166-1 alpha-2 and ISO 4217, from `pycountry`'s tables.

An ERP export written by hand or by an old system carries the usual mistakes: `UK` for the
United Kingdom (ISO says `GB`), `EL` for Greece (its VAT prefix, ISO says `GR`), `SP` for
Spain, a three-letter code (`ESP`), a lower-case code, or the country's name in English or
the export's language. A refused code names what was probably meant, so the person fixing
the export does not have to look it up.
"""

import unicodedata
from functools import cache

import pycountry
from babel import Locale

USUAL_COUNTRY_MISTAKES = {"UK": "GB", "EL": "GR", "SP": "ES", "EN": "GB", "GER": "DE", "SUI": "CH", "HOL": "NL"}
"""Codes people write that ISO 3166-1 does not have (or gives another country), and the code meant."""

USUAL_CURRENCY_MISTAKES = {
    "€": "EUR",
    "EURO": "EUR",
    "EUROS": "EUR",
    "£": "GBP",
    "STG": "GBP",
    "UKL": "GBP",
    "$": "USD",
    "US$": "USD",
    "ZŁ": "PLN",
    "ZL": "PLN",
    "ZLOTY": "PLN",
    "RMB": "CNY",
    "SFR": "CHF",
    "NIS": "ILS",
}
"""Symbols, old abbreviations and names written instead of an ISO 4217 code."""

_NAME_LANGUAGES = ("en", "es", "pt", "pl", "fr", "de", "it")
"""Languages whose country names are understood as a country (Babel's CLDR names)."""


def _folded(text: str) -> str:
    """`text` without accents, case or surrounding spaces: 'España ' and 'espana' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code in use."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic code in use."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    codes = country_codes()
    for language in _NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(_folded(name), code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names.setdefault(_folded(getattr(country, attribute)), country.alpha_2)
    return names


@cache
def _currency_names() -> dict[str, str]:
    return {_folded(currency.name): currency.alpha_3 for currency in pycountry.currencies}


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 country code, written in capitals."""
    return code in country_codes()


def is_iso_currency(code: str) -> bool:
    """Whether `code` is an ISO 4217 currency code in use, written in capitals."""
    return code in currency_codes()


def suggest_country(value: str) -> str | None:
    """The country code `value` probably means (None when there is no good guess)."""
    text = value.strip()
    upper = text.upper()
    if upper in USUAL_COUNTRY_MISTAKES:
        return USUAL_COUNTRY_MISTAKES[upper]
    if upper in country_codes():
        return upper
    if len(upper) == 3 and upper.isalpha():
        country = pycountry.countries.get(alpha_3=upper)
        if country is not None:
            return str(country.alpha_2)
    return _country_names().get(_folded(text))


def suggest_currency(value: str) -> str | None:
    """The currency code `value` probably means (None when there is no good guess)."""
    text = value.strip()
    upper = text.upper()
    if upper in USUAL_CURRENCY_MISTAKES:
        return USUAL_CURRENCY_MISTAKES[upper]
    if upper in currency_codes():
        return upper
    return _currency_names().get(_folded(text))


def _did_you_mean(suggestion: str | None, value: str) -> str:
    return f"; did you mean {suggestion!r}?" if suggestion and suggestion != value else ""


def country_problem(value: str) -> str | None:
    """What is wrong with `value` as a country code, with a suggestion; None when it is one."""
    if is_country(value):
        return None
    return "must be an ISO 3166-1 alpha-2 country code such as ES" + _did_you_mean(suggest_country(value), value)


def currency_hint(value: str) -> str:
    """'; did you mean 'EUR'?' for a cell that is not a currency code, or ''."""
    return "" if is_iso_currency(value.strip()) else _did_you_mean(suggest_currency(value), value)


__all__ = [
    "USUAL_COUNTRY_MISTAKES",
    "USUAL_CURRENCY_MISTAKES",
    "country_codes",
    "country_problem",
    "currency_codes",
    "currency_hint",
    "is_country",
    "is_iso_currency",
    "suggest_country",
    "suggest_currency",
]
