"""Sellers' parts added up into figures: one part gives a seller's, several a team's.

A team's figure is its sellers' parts added up with the same formulas (`shared.rules.metrics*`)
as if its records had been read at once: counts and per-currency sums add, a median is taken
over the sellers' values together, a distinct count over the union of the sellers' sets, and
the records behind a number are the sellers' rows merged by their keys (each part keeps its
first `MAX_ROWS`, enough for the merged first `MAX_ROWS`). Waiting approval requests are
measured against `now` here, so kept parts never go stale as time passes.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.models import LeadChannel
from shared.rules import metrics_accounts as accounts
from shared.rules import metrics_quotes as quotes
from shared.rules.metrics import ZERO, convert, percent, summarize
from sync_server.services.metric_figures import MAX_ROWS, Part, text

Rows = dict[str, Any]


def merged_rows(kept: Iterable[Rows]) -> Rows:
    """Keyed rows of several parts merged by key (stable: parts in the order given), keys dropped."""
    chosen = list(kept)
    pairs = sorted((pair for rows in chosen for pair in rows["rows"]), key=lambda pair: pair[0])
    return {"total": sum(rows["total"] for rows in chosen), "rows": [row for _, row in pairs[:MAX_ROWS]]}


def figures_of(parts: list[Part], now: datetime, currency: str, rates: dict[str, Decimal], with_rows: bool) -> Any:
    """The period figures of the parts together (rows too when `with_rows`)."""
    channels = _channels(parts)
    managed, total_leads = sum(c.managed for c in channels), sum(c.leads for c in channels)
    first_days = summarize(Decimal(d) for p in parts for d in p["first_days"])
    decided = summarize(Decimal(h) for p in parts for h in p["decided"])
    waits = [quotes.hours_between(datetime.fromisoformat(at), now) for p in parts for at in p["pending"]]
    by_rule: dict[str, list[Decimal]] = {}
    for p in parts:
        for rule, hours in p["by_rule"].items():
            by_rule.setdefault(rule, []).extend(Decimal(h) for h in hours)
    per_seller: dict[str, list[int]] = {}  # a seller's months each have her line: one line
    for p in parts:
        for login, *counts in p["sellers"]:
            per_seller[login] = [a + b for a, b in zip(per_seller.get(login, [0, 0, 0]), counts, strict=True)]
    sellers = [[login, *per_seller[login]] for login in sorted(per_seller)]
    conversion = quotes.Conversion(*(sum(p["conversion"][i] for p in parts) for i in range(6)))
    prices: quotes.PriceSums = {}
    for p in parts:
        quotes.add_price_sums(prices, {(s, g, c): {k: [Decimal(v) for v in acc] for k, acc in sides.items()}
                                       for s, g, c, sides in p["prices"]})  # fmt: skip
    margins = _margins(parts)
    lost_lines: dict[str, int] = {}
    lost_values: dict[str, Decimal] = {}
    for p in parts:
        for c, lines, value in p["lost"]:
            lost_lines[c] = lost_lines.get(c, 0) + lines
            lost_values[c] = lost_values.get(c, ZERO) + Decimal(value)
    lost_value = convert(lost_values, currency, rates)
    credit = [sum(p["credit"][i] for p in parts) for i in range(5)]
    reasons: dict[str, int] = {}
    for p in parts:
        for reason, n in p["reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + n
    figures: dict[str, Any] = {
        "leads": {
            "leads": total_leads,
            "managed": managed,
            "rate": text(percent(managed, total_leads)),
            "channels": [[c.channel, c.leads, c.managed, text(c.management_rate)] for c in channels],
        },
        "first_quote": {
            "count": first_days.count,
            "median": text(first_days.median),
            "average": text(first_days.average),
            "unmeasured": sum(p["unmeasured"] for p in parts),
        },
        "approval": {
            "decided": decided.count,
            "median": text(decided.median),
            "average": text(decided.average),
            "pending": len(waits),
            "oldest_pending": text(max(waits) if waits else None),
            "rules": [
                [rule, d.count, text(d.median)]
                for rule, d in ((rule, summarize(by_rule[rule])) for rule in sorted(by_rule))
            ],  # fmt: skip
        },
        "quotes": {
            "quotes": sum(s[1] for s in sellers),
            "versions": sum(s[2] for s in sellers),
            "offered": sum(s[3] for s in sellers),
            "sellers": sellers,
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
        "prices": {"products": len({sku for sku, _, _ in prices})},
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
            "lines": sum(lost_lines.values()),
            "value": text(lost_value.total),
            "unconverted": [[c, text(v)] for c, v in lost_value.unconverted],
            "products": len({sku for p in parts for sku in p["lost_skus"]}),
        },
        "credit": {
            "quotes": credit[0],
            "customers": len({code for p in parts for code in p["credit_customers"]}),
            "blocked": credit[1],
            "warning": credit[2],
            "went_on": credit[3],
            "accepted": credit[4],
        },
        "lost_reasons": {
            "lost": sum(reasons.values()),
            "reasons": [[r, reasons[r]] for r in quotes.most_frequent_first(reasons)],
        },
    }
    if with_rows:
        figures["rows"] = _rows(parts, now, prices)
    return figures


def _channels(parts: list[Part]) -> list[accounts.ChannelLeads]:
    sums: dict[str, list[int]] = {}
    for p in parts:
        for channel, counts in p["leads"].items():
            sums[channel] = [a + b for a, b in zip(sums.get(channel, [0, 0, 0, 0]), counts, strict=True)]
    return [accounts.ChannelLeads(c.value, *sums[c.value]) for c in LeadChannel if c.value in sums]


def _margins(parts: list[Part]) -> list[accounts.MarginLeak]:
    sums: dict[str, list[Decimal]] = {}
    for p in parts:
        for c, orders, *amounts in p["margin"]:
            row = sums.setdefault(c, [ZERO] * 5)
            for i, value in enumerate((Decimal(orders), *(Decimal(a) for a in amounts))):
                row[i] += value
    return [accounts.MarginLeak(c, int(r[0]), r[1], r[2], r[3], r[4]) for c, r in sorted(sums.items())]


def _main_leak(margins: list[accounts.MarginLeak], currency: str) -> Decimal | None:
    """The leak in the company currency's orders, else in the currency with the most orders."""
    if not margins:
        return None
    main = next((m for m in margins if m.currency == currency), max(margins, key=lambda m: m.orders))
    return main.leak_points


ROW_NAMES = ("leads", "first_quote", "approval", "quotes", "conversion", "margin", "lost_stock", "credit",
             "lost_reasons")  # fmt: skip
"""The numbers whose records a part keeps (prices' rows are made from the added-up sums)."""


def _rows(parts: list[Part], now: datetime, prices: quotes.PriceSums) -> Rows:
    rows = {name: merged_rows(p["rows"][name] for p in parts) for name in ROW_NAMES}
    rows["approval"]["rows"] = [
        # a request still waiting: its hours so far, at the snapshot's time
        row if row[5] else [*row[:4], text(quotes.hours_between(datetime.fromisoformat(row[3]), now)), *row[5:]]
        for row in rows["approval"]["rows"]
    ]
    points = [
        [p.sku, p.segment, p.currency, p.won_lines, text(p.won_price), p.lost_lines, text(p.lost_price),
         p.competitor_lines, text(p.competitor_price)]
        for p in quotes.price_points(prices)
    ]  # fmt: skip
    rows["prices"] = {"total": len(points), "rows": points[:MAX_ROWS]}
    return rows


__all__ = ["ROW_NAMES", "figures_of", "merged_rows"]
