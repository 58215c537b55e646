"""Messages in words: a key and its tagged values (shared.messages) in one language.

Rules, services and the server name a catalog message and give its values; this module is
the one place that turns them into words, with the locale's money, numbers and dates — for
the screens (client/ui/wording.py), the quote PDF and the e-mail alike.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from client.i18n.translator import Translator
from shared.rules.availability import PromiseWording


class MissingWords(LookupError):
    """A message key the catalog lacks, or values its text does not fit (tests fail on it)."""


def render(t: Translator, key: str, params: dict[str, Any] | None = None, count: str | None = None) -> str:
    """The catalog text of `key` with its values formatted for `t`'s locale (its plural form
    for `count`, when given); MissingWords if it cannot."""
    if not t.has(key):
        raise MissingWords(f"no words for {key!r}")
    try:
        values = {name: _value(t, value) for name, value in (params or {}).items()}
        if count is not None:
            return t.plural(key, _plural_count(count), **values)
        return t(key).format(**values)
    except (KeyError, IndexError, ValueError, TypeError, InvalidOperation) as exc:
        raise MissingWords(f"{key!r} does not fit its values {params!r}: {exc!r}") from None


def describe(t: Translator, key: str | None, params: dict[str, Any] | None, fallback: str) -> str:
    """`key` in the reader's words, or `fallback` when there is no key or no words for it."""
    if not key:
        return fallback
    try:
        return render(t, key, params)
    except MissingWords:
        return fallback


def describe_promise(t: Translator, wording: PromiseWording) -> str:
    """An availability promise in one short sentence ("5 now (MAD), 3 from 12 Jan 2027; 2 short")."""
    text = ", ".join(_value(t, part) for part in wording.parts)
    if wording.short is not None:
        text += "; " + _value(t, wording.short)
    return text


def describe_stored_promise(t: Translator, wording: dict[str, Any] | None, fallback: str) -> str:
    """A quote line's kept promise (`QuoteLine.promise_words` / `customer_words`) in `t`'s
    language; `fallback` (the words it was saved with) for a line saved before they were kept."""
    return describe_promise(t, PromiseWording.from_data(wording)) if wording else fallback


def words(t: Translator, value: Any) -> str:
    """Any message value (a `message(...)`, a number, a list of them) as `t`'s locale writes it."""
    return _value(t, value)


def _plural_count(count: str) -> int | Decimal:
    value = Decimal(count)
    return int(value) if value == value.to_integral_value() else value


def _value(t: Translator, value: Any) -> str:
    """One message value as the locale writes it (see the tags in shared.messages)."""
    if isinstance(value, list):
        sentences = any(isinstance(v, dict) and "$message" in v and not v.get("phrase") for v in value)
        return ("; " if sentences else ", ").join(_value(t, v) for v in value)
    if not isinstance(value, dict):
        return str(value)
    if "$money" in value:
        return t.money(Decimal(value["$money"]), value["currency"])
    if "$price" in value:
        return t.price(Decimal(value["$price"]), value["currency"])
    if "$number" in value:
        return t.number(Decimal(value["$number"]))
    if "$percent" in value:
        return t.percent(Decimal(value["$percent"]))
    if "$unit" in value:
        return t.unit(str(value["$unit"]))
    if "$date" in value:
        return t.date(date.fromisoformat(value["$date"]))
    if "$label" in value:
        words = f"enum.{value['$label']}.{value['value']}"
        return t(words) if t.has(words) else str(value["value"])
    if "$message" in value:
        return render(t, value["$message"], value.get("params"), value.get("count"))
    raise ValueError(f"not a message value: {value!r}")


__all__ = ["MissingWords", "describe", "describe_promise", "render", "words"]
