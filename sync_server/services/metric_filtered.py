"""The dashboard narrowed to a customer segment or a top-level product category
(docs/metrics.md, "Segment and category").

A narrowed snapshot is computed from the records when asked for (`GET /v1/metrics?segment=…`):
the records are read as for the whole snapshot, the filter keeps those of the segment or
category (`shared.rules.metric_filters.keeps`), and the same parts and formulas add them up,
so a narrowed figure is exactly the figure of the records it keeps. A quote number counts
by its latest version (its customer, its lines), with all its versions, as it counts at all.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.errors import ValidationFailed
from shared.models import Quote
from shared.rules.metric_filters import MetricFilter, keeps
from shared.rules.metrics import rates_to
from sync_server.repository.database import Connection
from sync_server.repository.metric_filter_reads import FilterFacts, filter_choices, read_filter_facts
from sync_server.repository.metric_reads import MetricRecords, read_metric_records
from sync_server.services.auth import Principal
from sync_server.services.metric_now import gap_parts, now_parts
from sync_server.services.metrics import activity_parts, assemble, kept_slices, periods_of
from sync_server.services.scope import sellers_in_scope


def filtered_snapshot(
    conn: Connection, sellers: list[str], now: datetime, currency: str, where: MetricFilter
) -> dict[str, Any]:
    """The snapshot of `sellers` (shaped as `metrics.snapshot_for`'s) of the records `where` keeps."""
    today = now.date()
    periods = periods_of(today)
    first = min(previous.start for _, previous in periods.values())
    records = read_metric_records(conn, sellers, first, today, today)
    facts = read_filter_facts(
        conn,
        [q.id for q in records.quotes] + list(records.request_quotes),
        [lost.sku for lost, _ in records.lost_sales],
        [customer for _, customer in records.request_quotes.values() if customer not in records.segments],
    )
    kept = narrowed(records, where, facts)
    currencies = {q.currency for q in kept.quotes} | {o.currency for o in kept.opportunities}
    currencies |= {lost.currency for lost, _ in kept.lost_sales}
    activity = activity_parts(kept, sellers, kept_slices(periods, today))
    now_kept = now_parts(kept, today, currency, rates_to(currencies, currency, kept.fx_rates, today))
    # gaps are of held customers of the segment, whatever the category (it narrows the gaps)
    held = [c for c in records.held if where.segment in (None, c.segment)]
    gaps_kept = gap_parts(replace(kept, held=held), where.category)
    snapshot = assemble(sellers, periods, now, currency, kept.fx_rates, activity, now_kept, gaps_kept, kept)
    return snapshot | {"filter": {"segment": where.segment, "category": where.category}}


def narrowed(records: MetricRecords, where: MetricFilter, facts: FilterFacts) -> MetricRecords:
    """The records `where` keeps (see the module docstring); lookups (linked leads, visits,
    decisions, orders, names, rates) stay whole: only what they are looked up for is narrowed."""
    segment_of = (records.segments | facts.segments).get

    def top(skus: set[str]) -> set[str | None]:
        return {facts.roots.get(sku) for sku in skus}

    latest: dict[str, Quote] = {}
    for q in records.quotes:
        if q.number not in latest or q.version > latest[q.number].version:
            latest[q.number] = q
    numbers = {
        number
        for number, q in latest.items()
        if keeps(where, segment_of(q.customer_code), top(facts.quote_skus.get(q.id, set())))
    }
    requests = []
    for request in records.requests:
        customer = records.request_quotes.get(request.quote_id, ("", ""))[1]
        if keeps(where, segment_of(customer), top(facts.quote_skus.get(request.quote_id, set()))):
            requests.append(request)
    return replace(
        records,
        quotes=[q for q in records.quotes if q.number in numbers],
        leads=[lead for lead in records.leads if keeps(where, None)],
        requests=requests,
        lost_sales=[
            pair for pair in records.lost_sales if keeps(where, segment_of(pair[0].customer_code), top({pair[0].sku}))
        ],
        opportunities=[o for o in records.opportunities if keeps(where, segment_of(o.customer_code))],
        # the held customers: their pipeline and dormancy have no category; their gaps are
        # narrowed by category apart (`gap_parts`), and read against their segment's peers
        held=[c for c in records.held if keeps(where, c.segment)],
        peers=[c for c in records.peers if where.segment in (None, c.segment)],
    )


def build_filtered_snapshot(
    conn: Connection, principal: Principal, now: datetime, currency: str, where: MetricFilter
) -> dict[str, Any]:
    """The caller's snapshot narrowed by `where`, with the choices; a segment none of the
    sellers in view holds, or a category that is not a top-level one, is refused by name."""
    sellers = sellers_in_scope(conn, principal)
    offered = filter_choices(conn, sellers)
    if where.segment is not None and where.segment not in offered["segments"]:
        raise ValidationFailed(
            f"no customer in view is of segment {where.segment!r}",
            key="problem.metrics.unknown_segment",
            params={"segment": where.segment},
        )
    if where.category is not None and where.category not in {code for code, _ in offered["categories"]}:
        raise ValidationFailed(
            f"{where.category!r} is not a top-level product category",
            key="problem.metrics.unknown_category",
            params={"category": where.category},
        )
    return filtered_snapshot(conn, sellers, now, currency, where) | {"choices": offered}


__all__ = ["build_filtered_snapshot", "filtered_snapshot", "narrowed"]
