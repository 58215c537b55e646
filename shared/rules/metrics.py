"""Pre-invoice metrics: the common parts (periods, quote threads, summaries, currencies).

The twelve metrics of the seed's table, plus lost reasons, are computed by pure functions
over the shared models (docs/metrics.md defines each one):

    metrics            — periods, a quote number's versions, duration summaries, ratios,
                         amounts per currency and their conversion to the company currency
    metrics_quotes     — quotes per seller, quote-to-order conversion, lost reasons, time to
                         first quote, approval time, winning vs losing price, credit blocks
    metrics_accounts   — leads by channel, opportunities by portfolio, quoted vs invoiced
                         margin, lost sales due to stock, dormant customers, unpenetrated
                         categories

Rules every metric shares:
- A period is whole days, first and last included. Its previous period is the same number
  of days just before it (a month's previous period is the month before when both are
  calendar months: `month_of`, `quarter_of`).
- A quote number counts once, in the period of its *first* version's issue date (when the
  customer was first offered it), with the status of its *latest* version (what became of it).
- Money is kept per currency; a total in the company currency converts each currency with
  the rate of the period's last day (`shared.rules.fx.find_rate`) and shows apart what had
  no recent enough rate (`unconverted`) — never a silent 1:1.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from shared.models import FxRate, Quote, QuoteStatus
from shared.money import round_money
from shared.rules.errors import MissingFxRate
from shared.rules.fx import find_rate

ZERO = Decimal(0)
_ONE_PLACE = Decimal("0.1")

OFFERED = frozenset(
    {QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.LOST, QuoteStatus.EXPIRED, QuoteStatus.WITHDRAWN}
)
"""Statuses of a quote that reached the customer."""
_STATUSES: dict[str, QuoteStatus] = {s.value: s for s in QuoteStatus}


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def contains(self, day: date | None) -> bool:
        """Whether `day` falls in the period (None never does)."""
        return day is not None and self.start <= day <= self.end

    def previous(self) -> "Period":
        """The same number of days just before this period."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def month_of(day: date) -> Period:
    """The calendar month holding `day`."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1))


def quarter_of(day: date) -> Period:
    """The calendar quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return Period(start, month_of(date(day.year, first_month + 2, 1)).end)


def months_in(period: Period) -> list[Period]:
    """The calendar months of a period made of whole calendar months (a month, a quarter)."""
    months, day = [], period.start
    while day <= period.end:
        months.append(month_of(day))
        day = months[-1].end + timedelta(days=1)
    if months[0].start != period.start or months[-1].end != period.end:
        raise ValueError(f"{period.start}…{period.end} is not made of whole calendar months")
    return months


def previous_of(period: Period) -> Period:
    """The period before: the previous calendar month or quarter when `period` is one, else
    the same number of days just before."""
    before = period.start - timedelta(days=1)
    if period == month_of(period.start):
        return month_of(before)
    if period == quarter_of(period.start):
        return quarter_of(before)
    return period.previous()


@dataclass(frozen=True, slots=True)
class QuoteThread:
    """Every version of one quote number: the first says when, the latest says what became of it."""

    number: str
    first: Quote
    latest: Quote
    versions: int
    fired: frozenset[str] = frozenset()
    """The approval rules that fired on any of its versions."""

    @property
    def offered_on(self) -> date:
        """When the customer was first offered it: the first version's issue date."""
        return self.first.issue_date

    @property
    def status(self) -> QuoteStatus:
        """The latest version's status."""
        # a dict lookup: the metrics ask it of every quote number for every figure
        return _STATUSES.get(self.latest.status) or QuoteStatus(self.latest.status)

    @property
    def seller(self) -> str:
        """The seller of the latest version."""
        return self.latest.seller_login

    @property
    def was_offered(self) -> bool:
        """Whether the quote reached the customer."""
        return self.status in OFFERED


def quote_threads(quotes: Iterable[Quote]) -> dict[str, QuoteThread]:
    """Versions grouped by quote number (a version seen twice counts once)."""
    by_number: dict[str, dict[int, Quote]] = defaultdict(dict)
    for quote in quotes:
        by_number[quote.number][quote.version] = quote
    return {
        number: QuoteThread(
            number,
            versions[min(versions)],
            versions[max(versions)],
            len(versions),
            frozenset(rule for q in versions.values() for rule in q.fired_rules),
        )
        for number, versions in by_number.items()
    }


def threads_in(threads: Iterable[QuoteThread], period: Period) -> list[QuoteThread]:
    """The quote numbers first offered in `period`, by number."""
    return sorted((t for t in threads if period.contains(t.offered_on)), key=lambda t: t.number)


@dataclass(frozen=True, slots=True)
class Durations:
    """A summary of waiting times in one unit (days or hours): how many, median, average.
    Median and average have one decimal (half up); None when there is nothing to measure."""

    count: int
    median: Decimal | None
    average: Decimal | None


def summarize(values: Iterable[Decimal]) -> Durations:
    """Count, median and average of `values`."""
    ordered = sorted(values)
    if not ordered:
        return Durations(0, None, None)
    average = sum(ordered, ZERO) / len(ordered)
    middle = Decimal(median(ordered))
    return Durations(
        len(ordered),
        middle.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP),
        average.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP),
    )


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """`part` over `whole` in percent with one decimal (half up); None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Converted:
    """Amounts added up in `currency`, and what had no rate (per currency, in that currency)."""

    currency: str
    total: Decimal
    unconverted: tuple[tuple[str, Decimal], ...] = field(default=())


def rates_to(currencies: Iterable[str], currency: str, fx_rates: Iterable[FxRate], on: date) -> dict[str, Decimal]:
    """Units of `currency` per unit of each of `currencies` on `on`; a currency with no rate
    recent enough is left out (its amounts are then shown apart, never guessed)."""
    known = list(fx_rates)
    rates = {currency: Decimal(1)}
    for source in set(currencies) - {currency}:
        try:
            rates[source] = find_rate(source, currency, known, on).rate
        except MissingFxRate:
            continue
    return rates


def convert(amounts: Mapping[str, Decimal], currency: str, rates: Mapping[str, Decimal]) -> Converted:
    """Amounts per currency added up in `currency` (rounded once, at the end)."""
    total, unconverted = ZERO, []
    for source in sorted(amounts):
        rate = Decimal(1) if source == currency else rates.get(source)
        if rate is None:
            unconverted.append((source, amounts[source]))
        else:
            total += amounts[source] * rate
    return Converted(currency, round_money(total, currency), tuple(unconverted))


def add_to(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    """Add `amount` to the running total of `currency`."""
    totals[currency] = totals.get(currency, ZERO) + amount


__all__ = [
    "OFFERED",
    "Converted",
    "Durations",
    "Period",
    "QuoteThread",
    "add_to",
    "convert",
    "month_of",
    "months_in",
    "percent",
    "previous_of",
    "quarter_of",
    "quote_threads",
    "rates_to",
    "summarize",
    "threads_in",
]
