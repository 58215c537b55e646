"""Lost sales due to stock: what demand the company could not serve is worth.

A line the customer dropped (or cut) for lack of stock is lost at the net unit price the
seller had quoted: quantity × net unit price, rounded to the currency's minor unit. Totals
are kept per currency (never added across currencies), with the number of lines lost.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shared.models.field import LostSale
from shared.money import round_money


@dataclass(frozen=True, slots=True)
class LostTotal:
    """Lost sales in one currency: how many lines, and their value."""

    currency: str
    lines: int
    value: Decimal


def lost_value(lost: LostSale) -> Decimal:
    """What one lost line was worth: quantity × net unit price, rounded to the currency."""
    return round_money(lost.quantity * lost.unit_price, lost.currency)


def lost_totals(lost_sales: Iterable[LostSale]) -> tuple[LostTotal, ...]:
    """Lines and value lost per currency, in currency order."""
    lines: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    for lost in lost_sales:
        lines[lost.currency] = lines.get(lost.currency, 0) + 1
        values[lost.currency] = values.get(lost.currency, Decimal(0)) + lost_value(lost)
    return tuple(LostTotal(c, lines[c], values[c]) for c in sorted(lines))


__all__ = ["LostTotal", "lost_totals", "lost_value"]
