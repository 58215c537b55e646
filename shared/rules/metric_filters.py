"""Which records a dashboard filter keeps: a customer segment, a top-level product category
(docs/metrics.md, "Segment and category").

Every metric reads records of two kinds: those of a customer (a quote, an approval request,
a lost sale, an opportunity, a held customer) and those of products (a quote's lines, a lost
sale's product). A segment keeps the records whose customer is of that segment; a category
keeps those with a product of that category or of one below it. A record without a customer
(a lead) or without products (a lead, an opportunity, a dormant customer) has no segment or
no category: a filter on it keeps none of them, so the figure reads "no data" rather than
a number that would not be of the segment or category chosen.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricFilter:
    """A dashboard filter: None is every segment, every category."""

    segment: str | None = None
    category: str | None = None
    """A top-level product category: its whole tree counts."""

    @property
    def is_any(self) -> bool:
        """Whether it narrows anything."""
        return self.segment is not None or self.category is not None


EVERYTHING = MetricFilter()


def root_categories(parent: Mapping[str, str | None]) -> dict[str, str]:
    """Each category's root (the top of its tree); a loop in the data stops at the repeat."""
    roots = {}
    for code in parent:
        seen, current = {code}, code
        while (up := parent.get(current)) and up not in seen:
            seen.add(up)
            current = up
        roots[code] = current
    return roots


def keeps(where: MetricFilter, segment: str | None, categories: Iterable[str | None] = ()) -> bool:
    """Whether a record counts under `where`: its customer's `segment` (None: it has none) is
    the one chosen, and one of its products' top-level `categories` (none: it has no
    products) is the one chosen."""
    if where.segment is not None and segment != where.segment:
        return False
    return where.category is None or where.category in set(categories)


__all__ = ["EVERYTHING", "MetricFilter", "keeps", "root_categories"]
