"""What the dashboard's segment and category filters read (docs/metrics.md, "Segment and category"):
the products of quotes and lost sales with their top-level categories, and the choices a
manager is offered."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import Connection, select

from shared.rules.metric_filters import root_categories
from sync_server.repository.tables import ENTITY_TABLES

_t = ENTITY_TABLES
_CHUNK = 500


@dataclass
class FilterFacts:
    """The products behind the records a filter judges."""

    quote_skus: dict[UUID, set[str]] = field(default_factory=dict)
    """Per quote version, the products of its lines."""
    roots: dict[str, str] = field(default_factory=dict)
    """Per product (SKU), its category's top-level category."""
    segments: dict[str, str] = field(default_factory=dict)
    """Per customer asked for, its segment."""


def read_filter_facts(
    conn: Connection, quote_ids: Iterable[UUID], skus: Iterable[str], customers: Iterable[str] = ()
) -> FilterFacts:
    """The lines' products of the quote versions `quote_ids`, the top-level category of those
    products and of `skus`, and the segments of `customers`."""
    q, c = _t["quote"].c, _t["customer"].c
    facts = FilterFacts()
    codes = sorted(set(customers))
    for i in range(0, len(codes), _CHUNK):
        query = select(c.code, c.segment).where(c.code.in_(codes[i : i + _CHUNK]))
        facts.segments |= {code: segment for code, segment in conn.execute(query) if segment}
    ids = sorted({str(x) for x in quote_ids})
    for i in range(0, len(ids), _CHUNK):
        for quote_id, lines in conn.execute(select(q.id, q.lines).where(q.id.in_(ids[i : i + _CHUNK]))):
            facts.quote_skus[UUID(str(quote_id))] = {str(line["sku"]) for line in lines or ()}
    wanted = sorted(set(skus) | {sku for found in facts.quote_skus.values() for sku in found})
    cat, product = _t["category"].c, _t["product"].c
    roots = root_categories(dict(conn.execute(select(cat.code, cat.parent_code)).all()))
    for i in range(0, len(wanted), _CHUNK):
        query = select(product.sku, product.category_code).where(product.sku.in_(wanted[i : i + _CHUNK]))
        for sku, category in conn.execute(query):
            if category is not None:
                facts.roots[sku] = roots.get(category, category)
    return facts


def filter_choices(conn: Connection, sellers: list[str]) -> dict[str, list]:
    """What a manager may narrow the dashboard to: the segments of the customers the sellers
    hold, and the top-level product categories (code and name), by name."""
    c, cat = _t["customer"].c, _t["category"].c
    segments: set[str] = set()
    for i in range(0, len(sellers), _CHUNK):
        query = select(c.segment).where(c.seller_login.in_(sellers[i : i + _CHUNK])).distinct()
        segments |= {str(s) for s in conn.execute(query).scalars() if s}
    tops = conn.execute(select(cat.code, cat.name).where(cat.parent_code.is_(None))).all()
    return {
        "segments": sorted(segments),
        "categories": [[code, name] for code, name in sorted(tops, key=lambda row: (str(row[1]).casefold(), row[0]))],
    }


__all__ = ["FilterFacts", "filter_choices", "read_filter_facts"]
