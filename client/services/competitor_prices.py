"""What a competitor asked against what we offered, line by line, on lost quotes: "Lost to
Würth: their price 12,40 € vs ours 13,10 € on P-00487". Ours is the line's net unit price
(after the line and header discounts, `shared.rules.quote_math`), the price the customer
compared."""

from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from client.store import FIELD_TABLES, record_from_row
from shared.models import QuoteStatus
from shared.models.field import Quote, QuoteLine
from shared.money import round_unit_price
from shared.rules.quote_math import discount_factor

_QUOTES = FIELD_TABLES[Quote.ENTITY]


@dataclass(frozen=True, slots=True)
class PriceGap:
    """One line of a lost quote with the competitor's unit price beside ours."""

    quote_id: str
    number: str
    version: int
    competitor: str
    line_no: int
    sku: str
    description: str
    currency: str
    theirs: Decimal
    ours: Decimal


def our_price(quote: Quote, line: QuoteLine) -> Decimal:
    """What we asked per unit on a line: its price after the line and header discounts."""
    return round_unit_price(line.unit_price * discount_factor(line.discount_percent, quote.header_discount_percent))


def price_gaps(quote: Quote) -> list[PriceGap]:
    """The lines of `quote` the seller gave a competitor's price for, in line order."""
    lines = {line.line_no: line for line in quote.lines}
    gaps = []
    for given in quote.competitor_lines:
        line = lines.get(given.line_no)
        if line is None:  # checked when recorded; a line never disappears from a saved version
            continue
        ours = our_price(quote, line)
        gaps.append(
            PriceGap(
                str(quote.id),
                quote.number,
                quote.version,
                quote.competitor,
                line.line_no,
                line.sku,
                line.description,
                quote.currency,
                given.unit_price,
                ours,
            )
        )
    return gaps


def lost_price_gaps(db: Database, customer_code: str, limit: int = 20) -> list[PriceGap]:
    """The customer's lost quotes' line prices, newest quote first (at most `limit` lines)."""
    gaps: list[PriceGap] = []
    rows = db.query(
        f'SELECT * FROM "{_QUOTES}" WHERE customer_code = ? AND status = ? AND competitor_lines IS NOT NULL '
        "AND competitor_lines != '[]' ORDER BY issue_date DESC, number DESC",
        [customer_code, QuoteStatus.LOST.value],
    )
    for row in rows:
        gaps += price_gaps(record_from_row(Quote, row))
        if len(gaps) >= limit:
            break
    return gaps[:limit]


__all__ = ["PriceGap", "lost_price_gaps", "our_price", "price_gaps"]
