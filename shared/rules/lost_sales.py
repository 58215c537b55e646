"""Lost sales due to stock: what demand the company could not serve is worth.

A line the customer dropped (or cut) for lack of stock is lost at the net unit price the
seller had quoted: quantity × net unit price, rounded to the currency's minor unit. Totals
are kept per currency (never added across currencies), with the number of lines lost.

A line *cut* for stock (`cut_for_stock`) loses the part of the asked quantity that stock
could not serve: when the line asked more than can ship now and the seller lowers it, but
not below what can ship now, the whole cut is lost to stock (100 asked, 40 on hand, cut to
40 or to 70: 60 or 30 lost). A cut below what can ship now is the customer wanting fewer
(or a typing error put right), not stock: nothing is lost. A line that could ship as asked
loses nothing when lowered, and raising a line loses nothing.

A quote the customer turned down for lack of stock (lost, reason stock) loses each of its
lines (`lost_with_quote`), at its net unit price after the line's and the quote's discounts.
Its lines dropped or cut for stock before were recorded apart and are no longer in it, so
nothing is counted twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

from shared.models.enums import LostReason, QuoteStatus
from shared.models.field import LostSale, Quote
from shared.money import round_money
from shared.rules.quote_math import line_input, price_line


@dataclass(frozen=True, slots=True)
class LostTotal:
    """Lost sales in one currency: how many lines, and their value."""

    currency: str
    lines: int
    value: Decimal


def lost_value(lost: LostSale) -> Decimal:
    """What one lost line was worth: quantity × net unit price, rounded to the currency."""
    return round_money(lost.quantity * lost.unit_price, lost.currency)


def cut_for_stock(asked: Decimal, kept: Decimal, available_now: Decimal) -> Decimal:
    """The quantity lost to stock when a line asking `asked` is cut to `kept` while
    `available_now` of it can ship now (0 when the cut is not for stock)."""
    if asked <= available_now or kept >= asked or kept < available_now:
        return Decimal(0)
    return asked - kept


def lost_with_quote(quote: Quote) -> tuple[LostSale, ...]:
    """The lines of a quote lost for lack of stock, as lost sales (none for any other quote)."""
    if quote.status != QuoteStatus.LOST or quote.lost_reason != LostReason.STOCK:
        return ()
    return tuple(
        LostSale(
            id=uuid5(NAMESPACE_URL, f"terreno:quote-lost-for-stock:{quote.id}:{line.line_no}"),
            customer_code=quote.customer_code,
            seller_login=quote.seller_login,
            quote_id=quote.id,
            sku=line.sku,
            quantity=line.quantity,
            currency=quote.currency,
            unit_price=price_line(line_input(line), quote.currency, quote.header_discount_percent).net_unit_price,
        )
        for line in quote.lines
    )


def lost_totals(lost_sales: Iterable[LostSale]) -> tuple[LostTotal, ...]:
    """Lines and value lost per currency, in currency order."""
    lines: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    for lost in lost_sales:
        lines[lost.currency] = lines.get(lost.currency, 0) + 1
        values[lost.currency] = values.get(lost.currency, Decimal(0)) + lost_value(lost)
    return tuple(LostTotal(c, lines[c], values[c]) for c in sorted(lines))


__all__ = ["LostTotal", "cut_for_stock", "lost_totals", "lost_value", "lost_with_quote"]
