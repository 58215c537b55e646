"""Pre-invoice metrics about quotes: load, conversion, losses, speed, price and credit.

Every function takes the quote numbers of a period (`metrics.threads_in`) or the records it
names, and follows the common rules of `shared.rules.metrics` (first version dates the
quote, the latest says what became of it). docs/metrics.md defines each figure.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from shared.models import ApprovalDecision, ApprovalRequest, Lead, QuoteStatus, Visit
from shared.money import round_money, round_unit_price
from shared.rules.approval import CREDIT_BLOCKED, CREDIT_WARNING
from shared.rules.metrics import ZERO, Durations, Period, QuoteThread, add_to, percent, summarize
from shared.rules.quote_math import discount_factor

_HOUR = Decimal(3600)


@dataclass(frozen=True, slots=True)
class SellerQuotes:
    """One seller's quotes of the period: numbers started, versions made, numbers offered."""

    seller: str
    quotes: int
    versions: int
    offered: int


def quotes_per_seller(threads: Iterable[QuoteThread]) -> tuple[SellerQuotes, ...]:
    """Quote numbers, versions and offered quotes per seller (of the latest version), by seller."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for thread in threads:
        row = counts[thread.seller]
        row[0] += 1
        row[1] += thread.versions
        row[2] += int(thread.was_offered)
    return tuple(SellerQuotes(seller, *counts[seller]) for seller in sorted(counts))


@dataclass(frozen=True, slots=True)
class Conversion:
    """What became of the quotes offered in a period; `rate` is accepted over offered (%)."""

    offered: int
    accepted: int
    lost: int
    expired: int
    withdrawn: int
    unanswered: int
    """Sent and never answered (still open): offered, not converted."""

    @property
    def rate(self) -> Decimal | None:
        """Accepted quotes over offered ones, in percent."""
        return percent(self.accepted, self.offered)


def conversion(threads: Iterable[QuoteThread]) -> Conversion:
    """Quote-to-order conversion of `threads` (drafts and quotes awaiting approval were never offered)."""
    counts: dict[QuoteStatus, int] = defaultdict(int)
    for thread in threads:
        if thread.was_offered:
            counts[thread.status] += 1
    return Conversion(
        offered=sum(counts.values()),
        accepted=counts[QuoteStatus.ACCEPTED],
        lost=counts[QuoteStatus.LOST],
        expired=counts[QuoteStatus.EXPIRED],
        withdrawn=counts[QuoteStatus.WITHDRAWN],
        unanswered=counts[QuoteStatus.SENT],
    )


@dataclass(frozen=True, slots=True)
class ReasonTotal:
    """Quotes lost for one reason, and their net value per currency."""

    reason: str
    quotes: int
    values: tuple[tuple[str, Decimal], ...]


def lost_reasons(threads: Iterable[QuoteThread]) -> tuple[ReasonTotal, ...]:
    """Lost quotes per reason, the most frequent first; a lost quote with no reason is "other"."""
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for thread in threads:
        if thread.status != QuoteStatus.LOST:
            continue
        reason = thread.latest.lost_reason or "other"
        counts[reason] += 1
        add_to(values[reason], thread.latest.currency, thread.latest.net_total)
    return tuple(
        ReasonTotal(reason, counts[reason], tuple(sorted(values[reason].items())))
        for reason in most_frequent_first(counts)
    )


def most_frequent_first(counts: Mapping[str, int]) -> list[str]:
    """Reasons by how many quotes they lost, then by name."""
    return sorted(counts, key=lambda r: (-counts[r], r))


@dataclass(frozen=True, slots=True)
class FirstQuoteTime:
    """Days from the customer's request to the first quote, and quotes with no known request."""

    days: Durations
    unmeasured: int


def request_days(threads: Iterable[QuoteThread], leads: Iterable[Lead], visits: Iterable[Visit]) -> dict[str, int]:
    """Per quote number, whole days from the request to the first version's issue date.

    The request is the earliest known of: the lead that became the quote's opportunity (its
    creation) and the visit the quote was started on (its check-in, else its plan). Never
    negative (a device's clock may run ahead)."""
    lead_day: dict[UUID, date] = {}
    for lead in leads:
        if lead.opportunity_id is not None:
            day = lead.created_at.astimezone(UTC).date()
            lead_day[lead.opportunity_id] = min(day, lead_day.get(lead.opportunity_id, day))
    visit_day = {}
    for v in visits:
        when = v.checked_in_at or v.planned_at
        if when is not None:
            visit_day[v.id] = when.astimezone(UTC).date()
    found = {}
    for thread in threads:
        first = thread.first
        known = [
            d
            for d in (lead_day.get(first.opportunity_id) if first.opportunity_id else None,
                      visit_day.get(first.visit_id) if first.visit_id else None)
            if d is not None
        ]  # fmt: skip
        if known:
            found[thread.number] = max((thread.offered_on - min(known)).days, 0)
    return found


def time_to_first_quote(
    threads: Iterable[QuoteThread], leads: Iterable[Lead], visits: Iterable[Visit]
) -> FirstQuoteTime:
    """Days from request to first quote over `threads` (see `request_days`)."""
    chosen = list(threads)
    days = request_days(chosen, leads, visits)
    return FirstQuoteTime(summarize(Decimal(d) for d in days.values()), len(chosen) - len(days))


@dataclass(frozen=True, slots=True)
class ApprovalTime:
    """Hours from request to decision, overall and per rule that fired; requests still waiting."""

    decided: Durations
    pending: int
    oldest_pending_hours: Decimal | None
    by_rule: tuple[tuple[str, Durations], ...]


def approval_hours(request: ApprovalRequest, decided_at: datetime) -> Decimal:
    """Hours (one decimal) from a request reaching the server to its decision, never negative."""
    assert request.requested_at is not None
    return hours_between(request.requested_at, decided_at)


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Hours (one decimal) from `start` to `end`, never negative (`approval_hours`)."""
    seconds = Decimal((end - start).total_seconds())
    return max(seconds / _HOUR, ZERO).quantize(Decimal("0.1"))


def first_decisions(decisions: Iterable[ApprovalDecision]) -> dict[UUID, datetime]:
    """When each request was first decided (a second decision does not change its time)."""
    first_decision: dict[UUID, datetime] = {}
    for decision in decisions:
        known = first_decision.get(decision.request_id)
        if known is None or decision.decided_at < known:
            first_decision[decision.request_id] = decision.decided_at
    return first_decision


def requests_in(requests: Iterable[ApprovalRequest], period: Period) -> list[ApprovalRequest]:
    """The requests that reached the server in `period` (one not yet synced has no server time)."""
    return [
        r for r in requests if r.requested_at is not None and period.contains(r.requested_at.astimezone(UTC).date())
    ]


def approval_time(
    requests: Iterable[ApprovalRequest], decisions: Iterable[ApprovalDecision], period: Period, now: datetime
) -> ApprovalTime:
    """Approval time of the requests that reached the server in `period` (a request not yet
    synced has no server time and is not counted; the first decision on a request counts)."""
    first_decision = first_decisions(decisions)
    hours: list[Decimal] = []
    per_rule: dict[str, list[Decimal]] = defaultdict(list)
    waiting: list[Decimal] = []
    for request in requests_in(requests, period):
        decided_at = first_decision.get(request.id)
        if decided_at is None:
            waiting.append(approval_hours(request, now))
            continue
        spent = approval_hours(request, decided_at)
        hours.append(spent)
        for rule in set(request.reasons):
            per_rule[rule].append(spent)
    return ApprovalTime(
        summarize(hours),
        len(waiting),
        max(waiting) if waiting else None,
        tuple((rule, summarize(per_rule[rule])) for rule in sorted(per_rule)),
    )


@dataclass(frozen=True, slots=True)
class PricePoint:
    """Net unit prices of one product in one segment and currency: where it won, where it
    lost, and what the competitor asked where it lost (quantity-weighted means, 4 decimals)."""

    sku: str
    segment: str
    currency: str
    won_lines: int
    won_price: Decimal | None
    lost_lines: int
    lost_price: Decimal | None
    competitor_lines: int
    competitor_price: Decimal | None


PriceSums = dict[tuple[str, str, str], dict[str, list[Decimal]]]
"""Per (sku, segment, currency), per side ("won", "lost", "rival"): [lines, quantity, quantity × price]."""


def winning_vs_losing(threads: Iterable[QuoteThread], segments: Mapping[str, str]) -> tuple[PricePoint, ...]:
    """Winning (accepted) vs losing (lost) net unit prices per product, customer segment and
    currency, from each quote's latest version; `segments` maps a customer to its segment."""
    return price_points(price_sums(threads, segments))


def price_sums(threads: Iterable[QuoteThread], segments: Mapping[str, str]) -> PriceSums:
    """The sums behind `winning_vs_losing` (sums of several sets of threads add up: `add_price_sums`)."""
    sums: PriceSums = {}
    for thread in threads:
        quote = thread.latest
        side = {QuoteStatus.ACCEPTED: "won", QuoteStatus.LOST: "lost"}.get(thread.status)
        if side is None:
            continue
        rival = {c.line_no: c.unit_price for c in quote.competitor_lines}
        for line in quote.lines:
            key = (line.sku, segments.get(quote.customer_code, ""), quote.currency)
            acc = sums.setdefault(key, _empty_sums())
            net = line.unit_price * discount_factor(line.discount_percent, quote.header_discount_percent)
            _weigh(acc[side], line.quantity, net)
            if side == "lost" and line.line_no in rival:
                _weigh(acc["rival"], line.quantity, rival[line.line_no])
    return sums


def _empty_sums() -> dict[str, list[Decimal]]:
    return {k: [ZERO, ZERO, ZERO] for k in ("won", "lost", "rival")}


def add_price_sums(into: PriceSums, more: PriceSums) -> None:
    """Add the sums of `more` to `into` (the prices of two sets of threads together)."""
    for key, sides in more.items():
        acc = into.setdefault(key, _empty_sums())
        for side, values in sides.items():
            acc[side] = [a + b for a, b in zip(acc[side], values, strict=True)]


def price_points(sums: PriceSums) -> tuple[PricePoint, ...]:
    """The quantity-weighted means of `sums`, by product, segment and currency."""
    return tuple(
        PricePoint(sku, segment, currency, *_mean(s["won"]), *_mean(s["lost"]), *_mean(s["rival"]))
        for (sku, segment, currency), s in sorted(sums.items())
    )


def _weigh(acc: list[Decimal], quantity: Decimal, price: Decimal) -> None:
    acc[0] += 1
    acc[1] += quantity
    acc[2] += quantity * price


def _mean(acc: list[Decimal]) -> tuple[int, Decimal | None]:
    return int(acc[0]), round_unit_price(acc[2] / acc[1]) if acc[1] else None


@dataclass(frozen=True, slots=True)
class CreditBlocks:
    """Quotes where credit was caught before the customer got them: a credit rule fired on a
    version that needed approval. `went_on` were offered anyway (after approval)."""

    quotes: int
    customers: int
    blocked: int
    warning: int
    went_on: int
    accepted: int
    values: tuple[tuple[str, Decimal], ...]
    customer_codes: frozenset[str] = field(default=frozenset(), compare=False)
    """The customers counted in `customers` (the customers of several sets of threads)."""


CREDIT_RULES = frozenset({CREDIT_BLOCKED, CREDIT_WARNING})


def credit_blocks(threads: Iterable[QuoteThread]) -> CreditBlocks:
    """Credit caught before quote over `threads`: a credit rule fired on any version (a block
    caught on v1 and cleared by v2 still counts)."""
    quotes = blocked = warning = went_on = accepted = 0
    customers: set[str] = set()
    values: dict[str, Decimal] = {}
    for thread in threads:
        fired = thread.fired & CREDIT_RULES
        if not fired:
            continue
        quotes += 1
        customers.add(thread.latest.customer_code)
        blocked += CREDIT_BLOCKED in fired
        warning += CREDIT_BLOCKED not in fired
        went_on += thread.was_offered
        accepted += thread.status == QuoteStatus.ACCEPTED
        add_to(values, thread.latest.currency, thread.latest.net_total)
    return CreditBlocks(
        quotes, len(customers), blocked, warning, went_on, accepted, tuple(sorted(values.items())), frozenset(customers)
    )


def rounded_values(values: Mapping[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """Per-currency totals rounded to each currency's minor unit, by currency."""
    return tuple((c, round_money(v, c)) for c, v in sorted(values.items()))


__all__ = [
    "CREDIT_RULES",
    "ApprovalTime",
    "Conversion",
    "CreditBlocks",
    "FirstQuoteTime",
    "PricePoint",
    "PriceSums",
    "ReasonTotal",
    "SellerQuotes",
    "add_price_sums",
    "approval_hours",
    "approval_time",
    "conversion",
    "credit_blocks",
    "first_decisions",
    "hours_between",
    "lost_reasons",
    "most_frequent_first",
    "price_points",
    "price_sums",
    "quotes_per_seller",
    "request_days",
    "requests_in",
    "rounded_values",
    "time_to_first_quote",
    "winning_vs_losing",
]
