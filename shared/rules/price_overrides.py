"""Which lines of a quote carry a price the seller set instead of the list price.

A line's list price is the one the price lists give the customer on the issue date
(`shared.rules.pricing.resolve_price`, as `quote_review` resolves it); a unit price that is
not that price was typed by the seller. Below the list it gives margin away; above it is
still a price nobody priced. The server notes each such line in its audit log when the quote
is saved, so a manager or an auditor can see who quoted what at which price.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shared.rules.quote_math import LineInput


@dataclass(frozen=True, slots=True)
class PriceOverride:
    """One line priced by hand: its list price and the price given, in the quote currency."""

    line_no: int
    sku: str
    list_price: Decimal
    unit_price: Decimal

    @property
    def is_below_list(self) -> bool:
        """Whether the given price is under the list price (margin given away)."""
        return self.unit_price < self.list_price


def price_overrides(lines: Iterable[LineInput]) -> tuple[PriceOverride, ...]:
    """The lines whose unit price differs from a known list price (a line no list prices has
    nothing to override: its price is the seller's by necessity)."""
    return tuple(
        PriceOverride(line.line_no, line.sku, line.list_price, line.unit_price)
        for line in lines
        if line.list_price is not None and line.unit_price != line.list_price
    )


__all__ = ["PriceOverride", "price_overrides"]
