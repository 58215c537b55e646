"""The readings of now (pipeline, dormant customers, unpenetrated categories), per seller.

Customers count with the seller holding them now, so a reading splits by seller: each seller's
*now part* (her pipeline and dormant customers, cheap to read again) and *gaps part* (her
customers' unpenetrated categories, read against their whole segments: the costly one, which
only ERP data moves) are added up for a team by `now_of`, as `metric_figures` parts are.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from shared.models import Customer
from shared.rules import metrics_accounts as accounts
from shared.rules.metric_filters import root_categories
from sync_server.repository.metric_reads import MetricRecords
from sync_server.services.metric_combine import merged_rows
from sync_server.services.metric_figures import Part, keyed, text


def now_parts(records: MetricRecords, today: date, currency: str, rates: dict[str, Decimal]) -> dict[str, Part]:
    """Each held customer's seller's pipeline and dormant customers (records read with portfolios)."""
    held: dict[str, list[Customer]] = defaultdict(list)
    for c in records.held:
        if c.seller_login:
            held[c.seller_login].append(c)
    holder = {c.code: c.seller_login for c in records.held if c.seller_login}
    pipelines = {p.seller: p for p in accounts.opportunities_by_portfolio(records.opportunities, records.held,
                                                                          currency, rates)}  # fmt: skip
    dormant = accounts.dormant_customers(records.held, records.last_invoice, records.last_touch, today)
    name = records.names.get
    parts: dict[str, Part] = {}
    for seller in held:
        p = pipelines[seller]
        mine = [d for d in dormant if d.seller == seller]
        parts[seller] = {
            "pipeline": [
                p.seller,
                p.customers,
                p.customers_with_open,
                p.open,
                text(p.open_value),
                text(p.weighted),
                [[c, text(v)] for c, v in p.unconverted],
            ],  # fmt: skip
            "open": keyed(
                (
                    [o.customer_code, o.title, str(o.id)],
                    [
                        o.customer_code,
                        name(o.customer_code, ""),
                        o.title,
                        o.stage,
                        o.currency,
                        text(o.value),
                        text(o.probability_percent),
                        seller,
                    ],
                )
                for o in records.opportunities
                if holder.get(o.customer_code) == seller and o.stage not in ("won", "lost")
            ),  # fmt: skip
            "dormant": keyed(
                (
                    [d.last_invoice.isoformat(), d.customer],
                    [
                        d.customer,
                        name(d.customer, ""),
                        d.last_invoice.isoformat(),
                        d.last_touch.isoformat() if d.last_touch else None,
                        d.followed_up,
                        d.seller,
                    ],
                )
                for d in mine
            ),  # fmt: skip
            "followed_up": sum(d.followed_up for d in mine),
        }
    return parts


def gap_parts(records: MetricRecords, category: str | None = None) -> dict[str, Part]:
    """Each seller's customers' unpenetrated categories (only `category` if given), each read
    against its whole segment."""
    roots = root_categories(records.category_parent)
    bought = {code: {roots.get(c, c) for c in cats} for code, cats in records.bought_categories.items()}
    held_codes = {c.code for c in records.held}
    # Peers count in their segment's shares; only the held customers get their gaps shown.
    gaps = [
        g
        for g in accounts.unpenetrated_categories(records.peers, bought)
        if g.customer in held_codes and category in (None, g.category)
    ]
    name = records.names.get
    parts: dict[str, Part] = {}
    for seller in sorted({c.seller_login for c in records.held if c.seller_login}):
        mine = [g for g in gaps if g.seller == seller]
        parts[seller] = {
            "gaps": keyed(
                (
                    [g.customer, -g.percent, g.category],
                    [g.customer, name(g.customer, ""), g.category, g.percent, g.seller],
                )
                for g in mine
            ),  # fmt: skip
            "customers": len({g.customer for g in mine}),
            "categories": dict(accounts.category_gaps(mine)),
        }
    return parts


def now_of(now: list[Part], gaps: list[Part]) -> dict[str, Any]:
    """The readings of now of several sellers' parts together (sellers in login order)."""
    pipelines = sorted((p["pipeline"] for p in now), key=lambda row: row[0])
    unconverted = accounts.add_amounts((c, Decimal(v)) for row in pipelines for c, v in row[6])
    categories: dict[str, int] = {}
    for g in gaps:
        for category, n in g["categories"].items():
            categories[category] = categories.get(category, 0) + n
    return {
        "pipeline": {
            "customers": sum(row[1] for row in pipelines),
            "with_open": sum(row[2] for row in pipelines),
            "open": sum(row[3] for row in pipelines),
            "value": text(sum((Decimal(row[4]) for row in pipelines), Decimal(0))),
            "weighted": text(sum((Decimal(row[5]) for row in pipelines), Decimal(0))),
            "unconverted": [[c, text(v)] for c, v in sorted(unconverted.items())],
            "sellers": [[row[0], row[1], row[3], row[4], row[1] - row[2]] for row in pipelines],
        },
        "dormant": {
            "customers": sum(p["dormant"]["total"] for p in now),
            "followed_up": sum(p["followed_up"] for p in now),
        },  # fmt: skip
        "unpenetrated": {
            "gaps": sum(g["gaps"]["total"] for g in gaps),
            "customers": sum(g["customers"] for g in gaps),
            "categories": [[c, categories[c]] for c in sorted(categories, key=lambda c: (-categories[c], c))],
        },
        "rows": {
            "pipeline": merged_rows(p["open"] for p in now),
            "dormant": merged_rows(p["dormant"] for p in now),
            "unpenetrated": merged_rows(g["gaps"] for g in gaps),
        },
    }


__all__ = ["gap_parts", "now_of", "now_parts"]
