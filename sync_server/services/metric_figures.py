"""One seller's part of a period's figures: what the team's figures are added up from.

Every figure comes from a formula of `shared.rules.metrics*`. A *part* holds, for one seller
and one period, the components of each figure (counts, sums per currency, the lists a median
needs, the sets a distinct count needs) and the first `MAX_ROWS` records behind each number,
each under a sort key, as JSON-ready data (Decimals as strings). `metric_combine` turns one
part into the seller's figures and several into the team's, exactly as if computed at once;
the server keeps parts (`metric_kept`) so a snapshot adds up kept parts instead of reading
half a year of records. What depends on the time of the request (how long a request has
been waiting) is kept as the request's time and computed when the parts are added up.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from shared.models import ApprovalRequest, Lead, LostSale, QuoteStatus
from shared.rules import metrics_accounts as accounts
from shared.rules import metrics_quotes as quotes
from shared.rules.lost_sales import lost_value
from shared.rules.metrics import OFFERED, Period, QuoteThread, threads_in
from sync_server.repository.metric_reads import MetricRecords

MAX_ROWS = 200
"""Records kept behind one number (the drill-down says how many there are in all)."""

Row = list[Any]
Part = dict[str, Any]


def text(value: Decimal | None) -> str | None:
    """A Decimal as JSON text (None stays None)."""
    return None if value is None else str(value)


@dataclass(frozen=True)
class ScopeRecords:
    """One seller's records: her quote numbers (by latest version), leads, requests and lost sales."""

    threads: list[QuoteThread]
    leads: list[Lead]
    requests: list[ApprovalRequest]
    lost: list[tuple[LostSale, date]]


def split_by_seller(records: MetricRecords, threads: list[QuoteThread]) -> dict[str, ScopeRecords]:
    """The records of each seller, each record under whoever did the work."""
    split: dict[str, ScopeRecords] = {}

    def of(login: str) -> ScopeRecords:
        if login not in split:
            split[login] = ScopeRecords([], [], [], [])
        return split[login]

    for t in threads:
        of(t.seller).threads.append(t)
    for lead in records.leads:
        of(lead.seller_login).leads.append(lead)
    for request in records.requests:
        of(request.requested_by).requests.append(request)
    for pair in records.lost_sales:
        of(pair[0].seller_login).lost.append(pair)
    return split


def keyed(pairs: Iterable[tuple[Any, Row]]) -> dict[str, Any]:
    """Rows under their sort keys, in key order (stable), the first MAX_ROWS kept."""
    ordered = sorted(pairs, key=lambda pair: pair[0])
    return {"total": len(ordered), "rows": [[key, row] for key, row in ordered[:MAX_ROWS]]}


def period_part(records: MetricRecords, scoped: ScopeRecords, period: Period, with_rows: bool) -> Part:
    """One seller's part of `period` (rows too when `with_rows`): see the module docstring."""
    mine = threads_in(scoped.threads, period)
    channels = accounts.leads_by_channel(scoped.leads, period)
    days = quotes.request_days(mine, records.linked_leads, records.visits)
    conversion = quotes.conversion(mine)
    stock = accounts.stock_losses(scoped.lost, mine, records.stock_products)
    lost_stock = accounts.lost_to_stock(stock, period)
    credit = quotes.credit_blocks(mine)
    margins = accounts.margin_leak(mine, records.orders, records.invoice_lines, records.invoice_currency)
    decided, by_rule, pending = _approvals(records, scoped.requests, period)
    prices = quotes.price_sums(mine, records.segments)
    part: Part = {
        "leads": {c.channel: [c.leads, c.managed, c.converted, c.discarded] for c in channels},
        "first_days": sorted(days.values()),
        "unmeasured": len(mine) - len(days),
        "decided": decided,
        "by_rule": by_rule,
        "pending": pending,
        "sellers": [[s.seller, s.quotes, s.versions, s.offered] for s in quotes.quotes_per_seller(mine)],
        "conversion": [
            conversion.offered,
            conversion.accepted,
            conversion.lost,
            conversion.expired,
            conversion.withdrawn,
            conversion.unanswered,
        ],  # fmt: skip
        "prices": [
            [*key, {side: [text(v) for v in acc] for side, acc in sides.items()}]
            for key, sides in sorted(prices.items())
        ],  # fmt: skip
        "margin": [
            [
                m.currency,
                m.orders,
                text(m.quoted_net),
                text(m.quoted_margin),
                text(m.invoiced_net),
                text(m.invoiced_margin),
            ]
            for m in margins
        ],  # fmt: skip
        "lost": [[t.currency, t.lines, text(t.value)] for t in lost_stock.totals],
        "lost_skus": sorted(lost_stock.skus),
        "credit": [credit.quotes, credit.blocked, credit.warning, credit.went_on, credit.accepted],
        "credit_customers": sorted(credit.customer_codes),
        "reasons": {r.reason: r.quotes for r in quotes.lost_reasons(mine)},
    }
    if with_rows:
        part["rows"] = _rows(records, mine, scoped, stock, period, days)
    return part


def _approvals(
    records: MetricRecords, requests: list[ApprovalRequest], period: Period
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """As `quotes.approval_time`, kept apart: hours to decision of the decided requests (overall
    and per rule) and when each waiting one arrived (its wait is measured at the snapshot)."""
    first = quotes.first_decisions(records.decisions)
    decided: list[str] = []
    by_rule: dict[str, list[str]] = {}
    pending: list[str] = []
    for request in quotes.requests_in(requests, period):
        assert request.requested_at is not None
        at = first.get(request.id)
        if at is None:
            pending.append(request.requested_at.isoformat())
            continue
        hours = str(quotes.approval_hours(request, at))
        decided.append(hours)
        for rule in sorted(set(request.reasons)):
            by_rule.setdefault(rule, []).append(hours)
    return decided, by_rule, pending


def _rows(
    records: MetricRecords,
    mine: list[QuoteThread],
    scoped: ScopeRecords,
    stock: list[tuple[LostSale, date]],
    period: Period,
    first_days: dict[str, int],
) -> dict[str, Any]:
    """The records behind each number, keyed so that several sellers' rows merge in order
    (quote numbers by number, leads by creation, requests by arrival, lost sales by day)."""
    name = records.names.get
    first = quotes.first_decisions(records.decisions)
    by_number = {t.number: t for t in mine}
    single = accounts.order_margins(mine, records.orders, records.invoice_lines, records.invoice_currency)
    return {
        "leads": keyed(
            (
                x.created_at.astimezone(UTC).isoformat(),
                [x.name, x.channel, x.status, x.created_at.date().isoformat(), x.seller_login],
            )
            for x in scoped.leads
            if period.contains(x.created_at.date())
        ),  # fmt: skip
        "first_quote": keyed(
            (
                t.number,
                [
                    t.number,
                    t.latest.customer_code,
                    name(t.latest.customer_code, ""),
                    first_days.get(t.number),
                    t.seller,
                ],
            )
            for t in mine
        ),  # fmt: skip
        "approval": keyed(
            (
                r.requested_at.astimezone(UTC).isoformat(),
                [
                    *records.request_quotes.get(r.quote_id, ("", "")),
                    ", ".join(r.reasons),
                    r.requested_at.isoformat(),
                    # a waiting request's hours are counted when the snapshot is made
                    text(quotes.approval_hours(r, first[r.id])) if r.id in first else None,
                    r.id in first,
                    r.requested_by,
                ],
            )
            for r in scoped.requests
            if r.requested_at is not None and period.contains(r.requested_at.date())
        ),  # fmt: skip
        "quotes": keyed((t.number, _quote_row(t, name)) for t in mine),
        "conversion": keyed((t.number, _quote_row(t, name)) for t in mine if t.status in OFFERED),
        "margin": keyed(
            (
                number,
                [
                    number,
                    by_number[number].latest.customer_code,
                    m.currency,
                    text(m.quoted_percent),
                    text(m.invoiced_percent),
                    text(m.leak_points),
                    by_number[number].seller,
                ],
            )
            for number, m in single.items()
        ),  # fmt: skip
        "lost_stock": keyed(
            (
                day.isoformat(),
                [
                    x.sku,
                    x.customer_code,
                    name(x.customer_code, ""),
                    text(x.quantity),
                    x.currency,
                    text(lost_value(x)),
                    day.isoformat(),
                    x.seller_login,
                ],
            )
            for x, day in stock
            if x.reason == "stock" and period.contains(day)
        ),  # fmt: skip
        "credit": keyed(
            (t.number, [*_quote_row(t, name)[:3], ", ".join(sorted(t.fired & quotes.CREDIT_RULES)), t.status, t.seller])
            for t in mine
            if t.fired & quotes.CREDIT_RULES
        ),  # fmt: skip
        "lost_reasons": keyed(
            (
                t.number,
                [
                    t.number,
                    t.latest.customer_code,
                    name(t.latest.customer_code, ""),
                    t.latest.lost_reason or "other",
                    t.latest.currency,
                    text(t.latest.net_total),
                    t.seller,
                ],
            )
            for t in mine
            if t.status == QuoteStatus.LOST
        ),  # fmt: skip
    }


def _quote_row(t: QuoteThread, name: Callable[[str, str], str]) -> Row:
    q = t.latest
    return [t.number, q.customer_code, name(q.customer_code, ""), t.versions, t.status, q.currency, text(q.net_total),
            t.offered_on.isoformat(), t.seller]  # fmt: skip


__all__ = ["MAX_ROWS", "Part", "Row", "ScopeRecords", "keyed", "period_part", "split_by_seller", "text"]
