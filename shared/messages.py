"""Language-free descriptions of what a person reads: a message key and its values.

The shared rules, the app's services and the server never choose the words a seller reads;
they name the message (`key`, e.g. "problem.quote.discount_out_of_range") and give its
values (`params`). The app's translator turns both into the seller's language, and English
`detail`/`reason`/`text` stay for logs, the API and the manager's side.

Params travel in problem+json, in push results and in the device's `sync_issues` table, so
they are JSON-safe from the start (`json_safe`). A value that a locale writes its own way is
tagged, so the app formats it with the locale's money, numbers and dates:

    money(amount, currency)   {"$money": "1234.50", "currency": "EUR"}
    unit_price(price, cur)    {"$price": "4.1234", "currency": "EUR"}  (up to 4 decimals when they matter)
    number(value)             {"$number": "12.5"}
    percent(value)            {"$percent": "12.5"}                 (0–100, not a fraction)
    day(value)                {"$date": "2026-05-31"}
    unit(code)                {"$unit": "BOX"}                     (a unit of measure's name)
    label(kind, value)        {"$label": "QuoteStatus", "value": "sent"}   (an enum's words)
    message(key, **params)    {"$message": key, "params": {...}}   (a sentence inside another)
    phrase(key, **params)     {"$message": key, "params": {...}, "phrase": true}  (listed with commas)
    plural_message(key, n)    {"$message": key, "count": "3", ...}  (its plural form for n, {count} filled in)
    a list                    its items formatted and joined: sentences with "; ", others ", "

Keys are stable like error codes: a device keeps them in its sync issues, so rename one only
together with a catalog entry for the old name.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

Params = dict[str, Any]


def json_safe(value: Any) -> Any:
    """`value` with Decimals, dates, enums and UUIDs as strings, tuples and sets as lists."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def money(amount: Decimal, currency: str) -> Params:
    """An amount the app writes in the locale's currency format."""
    return {"$money": str(amount), "currency": currency}


def unit_price(value: Decimal, currency: str) -> Params:
    """A unit price (up to 4 decimals) the app writes in the locale's currency format."""
    return {"$price": str(value), "currency": currency}


def number(value: Decimal | int) -> Params:
    """A number the app writes with the locale's separators."""
    return {"$number": str(value)}


def percent(value: Decimal | int) -> Params:
    """A percentage given as 0–100, written the locale's way."""
    return {"$percent": str(value)}


def day(value: dt.date) -> Params:
    """A date the app writes in the locale's medium form."""
    return {"$date": value.isoformat()}


def unit(code: str) -> Params:
    """A unit of measure the app names in the reader's language (BOX → "box" / "cj.")."""
    return {"$unit": code}


def label(kind: str, value: Enum | str) -> Params:
    """An enum value the app names in the seller's words (`enum.<kind>.<value>` in the catalog)."""
    return {"$label": kind, "value": str(value.value if isinstance(value, Enum) else value)}


def labels(kind: str, values: Iterable[Enum | str]) -> list[Params]:
    """Several enum values of one kind, e.g. the approval rules that fired."""
    return [label(kind, v) for v in values]


def message(key: str, **params: Any) -> Params:
    """A sentence inside another (a credit reason inside a fired rule, say)."""
    return {"$message": key, "params": json_safe(params)}


def phrase(key: str, **params: Any) -> Params:
    """A phrase inside a sentence, listed with commas (a sentence list takes semicolons)."""
    return {"$message": key, "params": json_safe(params), "phrase": True}


def plural_message(key: str, count: Decimal | int, **params: Any) -> Params:
    """A sentence whose words depend on `count` (the catalog's plural forms of `key`)."""
    return {"$message": key, "count": str(count), "params": json_safe(params)}


__all__ = [
    "Params",
    "day",
    "json_safe",
    "label",
    "labels",
    "message",
    "money",
    "number",
    "phrase",
    "plural_message",
    "percent",
    "unit",
    "unit_price",
]
