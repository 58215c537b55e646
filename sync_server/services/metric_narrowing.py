"""The records a dashboard filter keeps (docs/metrics.md, "Segment and category"), for the
snapshot computed whole (`metric_filtered`) and for the parts kept per filter (`metric_kept`).

The rule is `shared.rules.metric_filters.keeps`; this module applies it to what
`read_metric_records` read. A quote number counts by its latest version (its customer, its
lines), with all its versions, as it counts at all; an approval request by the quote version it
was asked for; a lost sale by its customer and product, and so each line of a quote lost for
stock (`MetricRecords.stock_products`).
"""

from dataclasses import replace

from shared.rules.metric_filters import MetricFilter, keeps
from shared.rules.metrics import quote_threads
from sync_server.repository.database import Connection
from sync_server.repository.metric_filter_reads import FilterFacts, read_filter_facts
from sync_server.repository.metric_reads import MetricRecords


def read_narrowed(conn: Connection, records: MetricRecords, where: MetricFilter) -> MetricRecords:
    """`records` narrowed by `where` (as they are without a filter), reading the products and
    segments the rule needs."""
    if not where.is_any:
        return records
    facts = read_filter_facts(
        conn,
        [q.id for q in records.quotes] + list(records.request_quotes),
        [lost.sku for lost, _ in records.lost_sales],
        [customer for _, customer in records.request_quotes.values() if customer not in records.segments],
    )
    return narrowed(records, where, facts)


def gap_records(records: MetricRecords, where: MetricFilter) -> MetricRecords:
    """The records the unpenetrated categories read under `where`: the held customers of the
    segment and its peers, whatever the category (which narrows the gaps themselves)."""
    return replace(
        records,
        held=[c for c in records.held if where.segment in (None, c.segment)],
        peers=[c for c in records.peers if where.segment in (None, c.segment)],
    )


def narrowed(records: MetricRecords, where: MetricFilter, facts: FilterFacts) -> MetricRecords:
    """The records `where` keeps (see the module docstring); lookups (linked leads, visits,
    decisions, orders, names, rates) stay whole: only what they are looked up for is narrowed."""
    segment_of = (records.segments | facts.segments).get

    def top(skus: set[str]) -> set[str | None]:
        return {facts.roots.get(sku) for sku in skus}

    numbers = {
        number
        for number, thread in quote_threads(records.quotes).items()
        if keeps(where, segment_of(thread.latest.customer_code), top(facts.quote_skus.get(thread.latest.id, set())))
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
        # a quote lost for stock loses each line as a lost sale: narrowed by product like one
        # (its customer's segment already kept the quote)
        stock_products=frozenset(
            sku
            for skus in facts.quote_skus.values()
            for sku in skus
            if keeps(replace(where, segment=None), None, top({sku}))
        ),
        opportunities=[o for o in records.opportunities if keeps(where, segment_of(o.customer_code))],
        # the held customers: their pipeline and dormancy have no category; their gaps are
        # narrowed by category apart (`gap_parts`), and read against their segment's peers
        held=[c for c in records.held if keeps(where, c.segment)],
        peers=[c for c in records.peers if where.segment in (None, c.segment)],
    )


__all__ = ["gap_records", "narrowed", "read_narrowed"]
