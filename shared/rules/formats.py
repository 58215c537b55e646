"""How numbers read in the reasons a seller repeats to a customer (no locale data, no I/O)."""

from decimal import Decimal

from shared.money import round_money

_CENT = Decimal("0.01")


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 12.500 → '12.5', 1E+2 → '100'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def format_quantity(quantity: Decimal, lang: str = "en") -> str:
    """A quantity as people write it: 12.5 (en) or 12,5 (es); no trailing zeros."""
    text = _plain(quantity)
    return text.replace(".", ",") if lang == "es" else text


def format_percent(percent: Decimal) -> str:
    """A percentage to at most 2 decimals, trailing zeros dropped: 8.20 → '8.2', 12.00 → '12'."""
    return _plain(percent.quantize(_CENT))


def format_price(price: Decimal) -> str:
    """A unit price with 2 decimals, or 4 when the last two matter: 4.1000 → '4.10', 0.0345 → '0.0345'."""
    cents = price.quantize(_CENT)
    return format(cents if cents == price else price, "f")


def format_money(amount: Decimal, currency: str) -> str:
    """An amount in the currency's minor unit with thousands separators: '1,234.56 EUR'."""
    return f"{round_money(amount, currency):,f} {currency}"


__all__ = ["format_money", "format_percent", "format_price", "format_quantity"]
