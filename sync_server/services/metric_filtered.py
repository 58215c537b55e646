"""The dashboard narrowed to a customer segment or a top-level product category
(docs/metrics.md, "Segment and category").

`GET /v1/metrics?segment=…` answers from parts kept per filter, as the whole dashboard does
(`metric_kept.kept_snapshot` with the filter): the first request of a filter makes its parts,
the next add them up. `filtered_snapshot` computes the same from all the records at once (the
tests' and the bench's reference): the records are read as for the whole snapshot, the filter
keeps those of the segment or category (`metric_narrowing`), and the same parts and formulas add
them up, so a narrowed figure is exactly the figure of the records it keeps.
"""

from datetime import datetime
from typing import Any

from shared.errors import NotFound
from shared.rules.metric_filters import MetricFilter
from shared.rules.metrics import rates_to
from sync_server.repository.database import Connection
from sync_server.repository.metric_filter_reads import filter_choices
from sync_server.repository.metric_reads import read_metric_records
from sync_server.services.auth import Principal
from sync_server.services.metric_kept import kept_snapshot
from sync_server.services.metric_narrowing import gap_records, read_narrowed
from sync_server.services.metric_now import gap_parts, now_parts
from sync_server.services.metrics import activity_parts, assemble, kept_slices, periods_of
from sync_server.services.scope import sellers_in_scope


def filtered_snapshot(
    conn: Connection, sellers: list[str], now: datetime, currency: str, where: MetricFilter
) -> dict[str, Any]:
    """The snapshot of `sellers` (shaped as `metrics.snapshot_for`'s) of the records `where`
    keeps, every part computed now."""
    today = now.date()
    periods = periods_of(today)
    first = min(previous.start for _, previous in periods.values())
    records = read_metric_records(conn, sellers, first, today, today)
    kept = read_narrowed(conn, records, where)
    currencies = {q.currency for q in kept.quotes} | {o.currency for o in kept.opportunities}
    currencies |= {lost.currency for lost, _ in kept.lost_sales}
    activity = activity_parts(kept, sellers, kept_slices(periods, today))
    now_kept = now_parts(kept, today, currency, rates_to(currencies, currency, kept.fx_rates, today))
    gaps_kept = gap_parts(gap_records(records, where), where.category)
    return assemble(sellers, periods, now, currency, kept.fx_rates, activity, now_kept, gaps_kept, kept)


def build_filtered_snapshot(
    conn: Connection, principal: Principal, now: datetime, currency: str, where: MetricFilter
) -> dict[str, Any]:
    """The caller's snapshot narrowed by `where` from the parts kept for it (in a write
    transaction), with the filter and the choices; a segment none of the sellers in view
    holds, or a category that is not a top-level one, is refused by name."""
    sellers = sellers_in_scope(conn, principal)
    offered = filter_choices(conn, sellers)
    if where.segment is not None and where.segment not in offered["segments"]:
        raise NotFound(
            f"no customer in view is of segment {where.segment!r}",
            key="problem.metrics.unknown_segment",
            params={"segment": where.segment},
        )
    if where.category is not None and where.category not in {code for code, _ in offered["categories"]}:
        raise NotFound(
            f"{where.category!r} is not a top-level product category",
            key="problem.metrics.unknown_category",
            params={"category": where.category},
        )
    snapshot = kept_snapshot(conn, sellers, now, currency, where)
    return snapshot | {"filter": {"segment": where.segment, "category": where.category}, "choices": offered}


__all__ = ["build_filtered_snapshot", "filtered_snapshot"]
