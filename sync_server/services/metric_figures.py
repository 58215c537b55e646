"""The figures of one scope (a seller, or everyone in view) for one period, as JSON-ready data.

Every figure comes from a formula of `shared.rules.metrics*`; this module only chooses the
records of the scope and writes the results as plain values (Decimals as strings), with the
records behind each number (`rows`, the drill-down) for the current period.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from shared.models import ApprovalRequest, Customer, Lead, LostSale, Opportunity, QuoteStatus
from shared.rules import metrics_accounts as accounts
from shared.rules import metrics_quotes as quotes
from shared.rules.lost_sales import lost_value
from shared.rules.metrics import OFFERED, Period, QuoteThread, percent, threads_in
from sync_server.repository.metric_reads import MetricRecords

MAX_ROWS = 200
"""Records kept behind one number (the drill-down says how many there are in all)."""

Row = list[Any]


def text(value: Decimal | None) -> str | None:
    """A Decimal as JSON text (None stays None)."""
    return None if value is None else str(value)


@dataclass(frozen=True)
class Scope:
    """Whose records count: `sellers` (None: everyone in the snapshot)."""

    sellers: frozenset[str] | None

    def has(self, login: str | None) -> bool:
        """Whether a record of `login` is in the scope."""
        return self.sellers is None or login in self.sellers


def _rows(rows: Iterable[Row]) -> dict[str, Any]:
    kept = list(rows)
    return {"total": len(kept), "rows": kept[:MAX_ROWS]}


@dataclass(frozen=True)
class ScopeRecords:
    """One scope's records: its quote numbers of the period, leads, requests and lost sales."""

    threads: list[QuoteThread]
    leads: list[Lead]
    requests: list[ApprovalRequest]
    lost: list[tuple[LostSale, date]]


def split_by_seller(records: MetricRecords, threads: list[QuoteThread]) -> dict[str | None, ScopeRecords]:
    """The records of each seller (the key None: everyone's), each record under whoever did the work."""
    split: dict[str | None, ScopeRecords] = {None: ScopeRecords(threads, records.leads, records.requests,
                                                                records.lost_sales)}  # fmt: skip

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


def period_figures(
    records: MetricRecords,
    scoped: ScopeRecords,
    period: Period,
    now: datetime,
    currency: str,
    rates: dict[str, Decimal],
    with_rows: bool,
) -> dict[str, Any]:
    """Every period metric of one scope's records in `period` (rows too when `with_rows`)."""
    mine = threads_in(scoped.threads, period)
    leads, requests, lost = scoped.leads, scoped.requests, scoped.lost
    channels = accounts.leads_by_channel(leads, period)
    first_quote = quotes.time_to_first_quote(mine, records.linked_leads, records.visits)
    approval = quotes.approval_time(requests, records.decisions, period, now)
    conversion = quotes.conversion(mine)
    lost_stock = accounts.lost_to_stock(lost, period)
    lost_value = lost_stock.converted(currency, rates)
    credit = quotes.credit_blocks(mine)
    reasons = quotes.lost_reasons(mine)
    margins = accounts.margin_leak(mine, records.orders, records.invoice_lines, records.invoice_currency)
    managed = sum(c.managed for c in channels)
    total_leads = sum(c.leads for c in channels)
    figures: dict[str, Any] = {
        "leads": {
            "leads": total_leads,
            "managed": managed,
            "rate": text(percent(managed, total_leads)),
            "channels": [[c.channel, c.leads, c.managed, text(c.management_rate)] for c in channels],
        },
        "first_quote": {
            "count": first_quote.days.count,
            "median": text(first_quote.days.median),
            "average": text(first_quote.days.average),
            "unmeasured": first_quote.unmeasured,
        },
        "approval": {
            "decided": approval.decided.count,
            "median": text(approval.decided.median),
            "average": text(approval.decided.average),
            "pending": approval.pending,
            "oldest_pending": text(approval.oldest_pending_hours),
            "rules": [[rule, d.count, text(d.median)] for rule, d in approval.by_rule],
        },
        "quotes": {
            "quotes": len(mine),
            "versions": sum(t.versions for t in mine),
            "offered": sum(t.was_offered for t in mine),
            "sellers": [[s.seller, s.quotes, s.versions, s.offered] for s in quotes.quotes_per_seller(mine)],
        },
        "conversion": {
            "offered": conversion.offered,
            "accepted": conversion.accepted,
            "lost": conversion.lost,
            "expired": conversion.expired,
            "withdrawn": conversion.withdrawn,
            "unanswered": conversion.unanswered,
            "rate": text(conversion.rate),
        },
        "prices": {"products": len({p.sku for p in quotes.winning_vs_losing(mine, records.segments)})},
        "margin": {
            "currencies": [
                [
                    m.currency,
                    m.orders,
                    text(m.quoted_net),
                    text(m.quoted_percent),
                    text(m.invoiced_net),
                    text(m.invoiced_percent),
                    text(m.leak_points),
                ]
                for m in margins
            ],  # fmt: skip
            "leak": text(_main_leak(margins, currency)),
        },
        "lost_stock": {
            "lines": sum(t.lines for t in lost_stock.totals),
            "value": text(lost_value.total),
            "unconverted": [[c, text(v)] for c, v in lost_value.unconverted],
            "products": lost_stock.products,
        },
        "credit": {
            "quotes": credit.quotes,
            "customers": credit.customers,
            "blocked": credit.blocked,
            "warning": credit.warning,
            "went_on": credit.went_on,
            "accepted": credit.accepted,
        },
        "lost_reasons": {
            "lost": sum(r.quotes for r in reasons),
            "reasons": [[r.reason, r.quotes] for r in reasons],
        },
    }
    if with_rows:
        figures["rows"] = _period_rows(records, mine, leads, requests, lost, period, now)
    return figures


def _main_leak(margins: tuple[accounts.MarginLeak, ...], currency: str) -> Decimal | None:
    """The leak in the company currency's orders, else in the currency with the most orders."""
    if not margins:
        return None
    main = next((m for m in margins if m.currency == currency), max(margins, key=lambda m: m.orders))
    return main.leak_points


def _period_rows(records, mine, leads, requests, lost, period, now) -> dict[str, Any]:
    name = records.names.get
    first_days = quotes.request_days(mine, records.linked_leads, records.visits)
    decided = {d.request_id: d.decided_at for d in sorted(records.decisions, key=lambda d: d.decided_at, reverse=True)}
    offered = [t for t in mine if t.status in OFFERED]
    by_number = {t.number: t for t in mine}
    single = accounts.order_margins(mine, records.orders, records.invoice_lines, records.invoice_currency)
    return {
        "leads": _rows(
            [x.name, x.channel, x.status, x.created_at.date().isoformat(), x.seller_login]
            for x in sorted(leads, key=lambda x: x.created_at)
            if period.contains(x.created_at.date())
        ),
        "first_quote": _rows(
            [t.number, t.latest.customer_code, name(t.latest.customer_code, ""), first_days.get(t.number), t.seller]
            for t in mine
        ),
        "approval": _rows(
            [
                *records.request_quotes.get(r.quote_id, ("", "")),
                ", ".join(r.reasons),
                r.requested_at.isoformat() if r.requested_at else None,
                text(quotes.approval_hours(r, decided.get(r.id, now))),
                r.id in decided,
                r.requested_by,
            ]
            for r in requests
            if r.requested_at is not None and period.contains(r.requested_at.date())
        ),  # fmt: skip
        "quotes": _rows(_quote_row(t, name) for t in mine),
        "conversion": _rows(_quote_row(t, name) for t in offered),
        "prices": _rows(
            [
                p.sku,
                p.segment,
                p.currency,
                p.won_lines,
                text(p.won_price),
                p.lost_lines,
                text(p.lost_price),
                p.competitor_lines,
                text(p.competitor_price),
            ]
            for p in quotes.winning_vs_losing(mine, records.segments)
        ),  # fmt: skip
        "margin": _rows(
            [
                number,
                by_number[number].latest.customer_code,
                m.currency,
                text(m.quoted_percent),
                text(m.invoiced_percent),
                text(m.leak_points),
                by_number[number].seller,
            ]
            for number, m in sorted(single.items())
        ),  # fmt: skip
        "lost_stock": _rows(
            [
                x.sku,
                x.customer_code,
                name(x.customer_code, ""),
                text(x.quantity),
                x.currency,
                text(lost_value(x)),
                day.isoformat(),
                x.seller_login,
            ]
            for x, day in sorted(lost, key=lambda pair: pair[1])
            if x.reason == "stock" and period.contains(day)
        ),  # fmt: skip
        "credit": _rows(
            [*_quote_row(t, name)[:3], ", ".join(sorted(t.fired & quotes.CREDIT_RULES)), t.status, t.seller]
            for t in mine
            if t.fired & quotes.CREDIT_RULES
        ),
        "lost_reasons": _rows(
            [
                t.number,
                t.latest.customer_code,
                name(t.latest.customer_code, ""),
                t.latest.lost_reason or "other",
                t.latest.currency,
                text(t.latest.net_total),
                t.seller,
            ]
            for t in mine
            if t.status == QuoteStatus.LOST
        ),  # fmt: skip
    }


def _quote_row(t: QuoteThread, name: Callable[[str, str], str]) -> Row:
    q = t.latest
    return [t.number, q.customer_code, name(q.customer_code, ""), t.versions, t.status, q.currency, text(q.net_total),
            t.offered_on.isoformat(), t.seller]  # fmt: skip


@dataclass(frozen=True)
class NowReadings:
    """The readings of now for everyone in view, computed once and sliced per seller."""

    pipelines: tuple[accounts.PortfolioPipeline, ...]
    open_opportunities: tuple[Opportunity, ...]
    holder: dict[str, str]
    dormant: tuple[accounts.DormantCustomer, ...]
    gaps: tuple[accounts.Unpenetrated, ...]


def now_readings(
    records: MetricRecords, today: date, currency: str, rates: dict[str, Decimal], roots: dict[str, str]
) -> NowReadings:
    """Pipeline by portfolio, dormant customers and unpenetrated categories of every held
    customer (customers count with the seller holding them today)."""
    holder = {c.code: c.seller_login for c in records.held if c.seller_login}
    return NowReadings(
        accounts.opportunities_by_portfolio(records.opportunities, records.held, currency, rates),
        tuple(o for o in records.opportunities if o.customer_code in holder and o.stage not in ("won", "lost")),
        holder,
        accounts.dormant_customers(records.held, records.last_invoice, records.last_touch, today),
        _gaps(records, records.held, roots),
    )


def now_figures(records: MetricRecords, readings: NowReadings, scope: Scope) -> dict[str, Any]:
    """The readings of now of `scope` (see `now_readings`)."""
    pipelines = [p for p in readings.pipelines if scope.has(p.seller)]
    dormant = [d for d in readings.dormant if scope.has(d.seller)]
    gaps = [g for g in readings.gaps if scope.has(g.seller)]
    unconverted = accounts.add_amounts(pair for p in pipelines for pair in p.unconverted)
    name = records.names.get
    return {
        "pipeline": {
            "customers": sum(p.customers for p in pipelines),
            "with_open": sum(p.customers_with_open for p in pipelines),
            "open": sum(p.open for p in pipelines),
            "value": text(sum((p.open_value for p in pipelines), Decimal(0))),
            "weighted": text(sum((p.weighted for p in pipelines), Decimal(0))),
            "unconverted": [[c, text(v)] for c, v in sorted(unconverted.items())],
            "sellers": [[p.seller, p.customers, p.open, text(p.open_value), p.without_open] for p in pipelines],
        },
        "dormant": {"customers": len(dormant), "followed_up": sum(d.followed_up for d in dormant)},
        "unpenetrated": {
            "gaps": len(gaps),
            "customers": len({g.customer for g in gaps}),
            "categories": [[c, n] for c, n in accounts.category_gaps(gaps)],
        },
        "rows": {
            "pipeline": _rows(
                [
                    o.customer_code,
                    name(o.customer_code, ""),
                    o.title,
                    o.stage,
                    o.currency,
                    text(o.value),
                    text(o.probability_percent),
                    readings.holder[o.customer_code],
                ]
                for o in readings.open_opportunities
                if scope.has(readings.holder[o.customer_code])
            ),  # fmt: skip
            "dormant": _rows(
                [
                    d.customer,
                    name(d.customer, ""),
                    d.last_invoice.isoformat(),
                    d.last_touch.isoformat() if d.last_touch else None,
                    d.followed_up,
                    d.seller,
                ]
                for d in dormant
            ),  # fmt: skip
            "unpenetrated": _rows([g.customer, name(g.customer, ""), g.category, g.percent, g.seller] for g in gaps),
        },
    }


def _gaps(records: MetricRecords, held: list[Customer], roots: dict[str, str]) -> tuple[accounts.Unpenetrated, ...]:
    """Unpenetrated categories of `held`, each read against its whole segment."""
    bought = {code: {roots.get(c, c) for c in cats} for code, cats in records.bought_categories.items()}
    held_codes = {c.code for c in held}
    found = accounts.unpenetrated_categories(records.peers, bought)
    # Peers count in their segment's shares; only the held customers get their gaps shown.
    return tuple(g for g in found if g.customer in held_codes)


def root_categories(parent: dict[str, str | None]) -> dict[str, str]:
    """Each category's root (the top of its tree); a loop in the data stops at the repeat."""
    roots = {}
    for code in parent:
        seen, current = {code}, code
        while (up := parent.get(current)) and up not in seen:
            seen.add(up)
            current = up
        roots[code] = current
    return roots


__all__ = [
    "MAX_ROWS",
    "NowReadings",
    "Scope",
    "ScopeRecords",
    "now_figures",
    "now_readings",
    "period_figures",
    "root_categories",
    "split_by_seller",
    "text",
]
