"""Account intelligence: what a customer is likely to buy next, and why, from invoice history.

Three readings, each over plain data the device already holds (no I/O here):

- **Reorder due**: per product, the days the customer bought it. With at least
  `MIN_PURCHASES` purchase days, the cadence is the median gap between them (rounded half
  up to whole days). The product is due when the days since the last purchase reach the
  cadence, and still a reorder (not a lapsed product) while they are at most
  `OVERDUE_LIMIT` times the cadence.
- **Cross-sell**: per root category, how many *other* customers of the same segment bought
  it in the last 12 months. A category bought by at least `CROSS_SELL_SHARE` of them (and
  the segment has at least `MIN_SEGMENT_CUSTOMERS` others, so one neighbour is not "100%")
  that this customer did not buy in the period is suggested.
- **Lapsed category**: a root category bought in at least `LAPSED_MIN_MONTHS` distinct
  months of the year before the last `RECENT_MONTHS` months, and not once since.

Dormant customers are a separate reading (shared.rules.activity) and are not repeated here.
"""

import calendar
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

MIN_PURCHASES = 3
"""Purchase days of a product before its cadence means anything."""
OVERDUE_LIMIT = 3
"""Days since the last purchase above this many cadences: no longer a reorder."""
CROSS_SELL_SHARE = Decimal("0.40")
"""Share of the segment's other customers buying a category for it to be suggested."""
MIN_SEGMENT_CUSTOMERS = 5
"""Other customers of the segment needed before their shares are read."""
LAPSED_MIN_MONTHS = 4
"""Distinct months with a purchase, in the year before the recent months, that make 'regularly'."""
RECENT_MONTHS = 6
"""Months without a purchase that make a regular category lapsed."""
PERIOD_MONTHS = 12
"""The cross-sell period: the last 12 months."""


@dataclass(frozen=True, slots=True)
class ReorderDue:
    """A product the customer buys on a cadence and is due to buy again."""

    sku: str
    cadence_days: int
    """The median gap between purchase days."""
    days_since: int
    """Days from the last purchase to the day of the reading."""
    last_bought: date
    purchases: int

    @property
    def overdue_days(self) -> int:
        """Days past the cadence (0 on the day it falls due)."""
        return self.days_since - self.cadence_days


@dataclass(frozen=True, slots=True)
class CrossSell:
    """A root category most of the segment buys and this customer does not."""

    category: str
    buyers: int
    segment_customers: int
    """The segment's other customers on the device (the share's denominator)."""

    @property
    def share(self) -> Decimal:
        """Buyers over the segment's other customers (0–1)."""
        return Decimal(self.buyers) / Decimal(self.segment_customers)

    @property
    def percent(self) -> int:
        """The share as a whole percentage, rounded half up."""
        return int((self.share * 100).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class LapsedCategory:
    """A root category bought regularly in the year before the recent months and not since."""

    category: str
    months_bought: int
    """Distinct months with a purchase in the year before `since`."""
    last_bought: date
    since: date
    """The start of the recent months without a purchase."""


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def purchase_cadence(days: Iterable[date]) -> int | None:
    """The median gap in days between distinct purchase days; None with fewer than MIN_PURCHASES."""
    ordered = sorted(set(days))
    if len(ordered) < MIN_PURCHASES:
        return None
    gaps = [(later - earlier).days for earlier, later in zip(ordered, ordered[1:], strict=False)]
    return int(Decimal(str(median(gaps))).to_integral_value(rounding=ROUND_HALF_UP))


def reorders_due(purchase_days: Mapping[str, Iterable[date]], as_of: date) -> list[ReorderDue]:
    """Products due again on `as_of`, the most overdue (in cadences) first."""
    due = []
    for sku, days in purchase_days.items():
        bought = sorted(set(d for d in days if d <= as_of))
        cadence = purchase_cadence(bought)
        if cadence is None:
            continue
        since = (as_of - bought[-1]).days
        if cadence <= since <= OVERDUE_LIMIT * cadence:
            due.append(ReorderDue(sku, cadence, since, bought[-1], len(bought)))
    return sorted(due, key=lambda r: (-Decimal(r.days_since) / r.cadence_days, r.sku))


def cross_sells(
    buyers_by_category: Mapping[str, int],
    segment_customers: int,
    bought: Collection[str],
    threshold: Decimal = CROSS_SELL_SHARE,
) -> list[CrossSell]:
    """Root categories at least `threshold` of the segment's other customers buy and this one
    did not (`bought`), the most shared first; none for a segment too small to read."""
    if segment_customers < MIN_SEGMENT_CUSTOMERS:
        return []
    found = [
        CrossSell(category, buyers, segment_customers)
        for category, buyers in buyers_by_category.items()
        if category not in bought and Decimal(buyers) >= threshold * segment_customers
    ]
    return sorted(found, key=lambda c: (-c.buyers, c.category))


def lapsed_categories(purchase_days: Mapping[str, Iterable[date]], as_of: date) -> list[LapsedCategory]:
    """Root categories bought in LAPSED_MIN_MONTHS months of the year before the last
    RECENT_MONTHS and not since, the most regular first."""
    since = months_before(as_of, RECENT_MONTHS)
    year_start = months_before(since, 12)
    lapsed = []
    for category, days in purchase_days.items():
        bought = [d for d in days if d <= as_of]
        if not bought or max(bought) >= since:
            continue
        months = {(d.year, d.month) for d in bought if year_start <= d < since}
        if len(months) >= LAPSED_MIN_MONTHS:
            lapsed.append(LapsedCategory(category, len(months), max(bought), since))
    return sorted(lapsed, key=lambda c: (-c.months_bought, c.category))


__all__ = [
    "CROSS_SELL_SHARE",
    "CrossSell",
    "LapsedCategory",
    "MIN_PURCHASES",
    "MIN_SEGMENT_CUSTOMERS",
    "ReorderDue",
    "cross_sells",
    "lapsed_categories",
    "months_before",
    "purchase_cadence",
    "reorders_due",
]
