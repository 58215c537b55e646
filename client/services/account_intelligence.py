"""Suggestions on Customer 360: products due again, categories the segment buys and this
customer does not, categories the customer stopped buying — each with its reason as data
(shared.rules.account_intelligence decides; the panel puts it in words).

The customer's own history is read on every call: distinct purchase days per product, one
indexed query over her invoices. The segment's buying shares read every invoice line of
every customer of the segment in the last 12 months — on a device with 5,000 customers that
is a scan of hundreds of thousands of lines, so it is aggregated in SQLite (COUNT DISTINCT
per root category, the root found by a recursive CTE) and kept per segment until the next
pull: the key is the sync cursor and epoch, which move only when reference data arrives
(invoices and customers are server-only data, so local writes such as a visit or a quote
cannot change the shares and must not throw them away).
"""

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlite_utils import Database

from client.services.session import Session
from client.store import Store
from shared.errors import NotFound
from shared.rules.account_intelligence import (
    PERIOD_MONTHS,
    RECENT_MONTHS,
    CrossSell,
    LapsedCategory,
    ReorderDue,
    cross_sells,
    lapsed_categories,
    months_before,
    reorders_due,
)

SHOWN = {"reorder": 5, "cross_sell": 3, "lapsed": 3}
"""Suggestions of each kind shown, the strongest first."""

ROOTS_CTE = (
    "WITH RECURSIVE roots(code, root) AS ("
    "SELECT code, code FROM categories WHERE coalesce(parent_code, '') = '' "
    "OR parent_code NOT IN (SELECT code FROM categories) "
    "UNION SELECT c.code, r.root FROM categories c JOIN roots r ON c.parent_code = r.code) "
)
"""Every category with its root (a category whose parent is unknown is its own root)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggestion: the product a tap puts on a new quote, and why (one of the three reasons)."""

    kind: str
    """"reorder", "cross_sell" or "lapsed"."""
    sku: str
    product_name: str
    category_name: str
    reorder: ReorderDue | None = None
    cross_sell: CrossSell | None = None
    lapsed: LapsedCategory | None = None


@dataclass(frozen=True, slots=True)
class SegmentShares:
    """What the customers of one segment bought in the period, per root category."""

    customers: int
    buyers: dict[str, int]
    best_sku: dict[str, str]
    """Per root category, the active product most of the segment's customers bought."""


_lock = threading.Lock()
_kept: dict[tuple, SegmentShares] = {}


def account_suggestions(session: Session, code: str, *, as_of: date | None = None) -> tuple[Suggestion, ...]:
    """The customer's suggestions: reorders due, then cross-sell, then lapsed categories."""
    as_of = as_of or datetime.now(UTC).date()
    period_start = months_before(as_of, PERIOD_MONTHS)
    with session.store.read() as db:
        row = db.execute("SELECT segment FROM customers WHERE code = ?", [code]).fetchone()
        if row is None:
            raise NotFound(
                f"customer {code} is not in your portfolio",
                key="problem.customer.not_in_portfolio",
                params={"customer": code},
            )
        segment = row[0] or ""
        days_by_sku: dict[str, list[date]] = defaultdict(list)
        for sku, day in db.execute(
            "SELECT DISTINCT l.sku, i.issue_date FROM invoices i JOIN invoice_lines l ON l.invoice_number = i.number "
            "WHERE i.customer_code = ?",
            [code],
        ):
            days_by_sku[sku].append(date.fromisoformat(day))
        products = _products(db, list(days_by_sku))
        roots, names = _roots(db)
        shares = segment_shares(session.store, db, segment, period_start) if segment else None
        days_by_root: dict[str, list[date]] = defaultdict(list)
        for sku, days in days_by_sku.items():
            category = products.get(sku, ("", "", False))[1]
            days_by_root[roots.get(category, category)] += days
        suggestions = _reorders(days_by_sku, products, roots, names, as_of)
        bought_lately = {root for root, days in days_by_root.items() if any(d >= period_start for d in days)}
        if shares is not None:
            found = cross_sells(shares.buyers, shares.customers - 1, bought_lately)  # the others of her segment
            best = _products(db, [shares.best_sku[c.category] for c in found if c.category in shares.best_sku])
            for sell in found:
                sku = shares.best_sku.get(sell.category)
                if sku in best and len([s for s in suggestions if s.kind == "cross_sell"]) < SHOWN["cross_sell"]:
                    suggestions.append(
                        Suggestion("cross_sell", sku, best[sku][0], names.get(sell.category, sell.category), None, sell)
                    )
        suggestions += _lapsed(days_by_root, days_by_sku, products, roots, names, as_of)
    return tuple(suggestions)


def segment_shares(store: Store, db: Database, segment: str, period_start: date) -> SegmentShares:
    """The segment's buyers per root category since `period_start`, kept until the next pull."""
    state = dict(db.execute("SELECT key, value FROM sync_state WHERE key IN ('cursor', 'epoch')").fetchall())
    key = (id(store), segment, period_start, state.get("cursor"), state.get("epoch"))
    with _lock:
        kept = _kept.get(key)
    if kept is not None:
        return kept
    customers = db.execute("SELECT count(*) FROM customers WHERE segment = ?", [segment]).fetchone()[0]
    joined = (
        "FROM customers c JOIN invoices i ON i.customer_code = c.code AND i.issue_date >= ? "
        "JOIN invoice_lines l ON l.invoice_number = i.number JOIN products p ON p.sku = l.sku "
        "JOIN roots r ON r.code = p.category_code WHERE c.segment = ? "
    )
    args = [period_start.isoformat(), segment]
    buyers = dict(db.execute(ROOTS_CTE + "SELECT r.root, count(DISTINCT c.code) " + joined + "GROUP BY r.root", args))
    best: dict[str, str] = {}
    for root, sku in db.execute(
        ROOTS_CTE + "SELECT r.root, l.sku " + joined + "AND coalesce(p.active, 1) = 1 GROUP BY r.root, l.sku "
        "ORDER BY r.root, count(DISTINCT c.code) DESC, count(*) DESC, l.sku",
        args,
    ):
        best.setdefault(root, sku)
    shares = SegmentShares(int(customers), buyers, best)
    with _lock:
        for old in [k for k in _kept if k[0] == id(store) and k[1] == segment]:
            del _kept[old]
        _kept[key] = shares
    return shares


def warm_segment_shares(session: Session, as_of: date | None = None) -> int:
    """Aggregate the shares of every segment of the device's customers now (the sync calls it
    in the background after a round), so the first Customer 360 after a pull does not wait
    for them; how many segments were aggregated (0 when all were kept already)."""
    period_start = months_before(as_of or datetime.now(UTC).date(), PERIOD_MONTHS)
    aggregated = 0
    with session.store.read() as db:
        segments = [row[0] for row in db.execute("SELECT DISTINCT segment FROM customers WHERE segment != ''")]
        for segment in segments:
            kept = _kept_for(session.store, segment)
            aggregated += segment_shares(session.store, db, segment, period_start) is not kept
    return aggregated


def _kept_for(store: Store, segment: str) -> SegmentShares | None:
    with _lock:
        return next((v for k, v in _kept.items() if k[0] == id(store) and k[1] == segment), None)


def forget(store: Store) -> None:
    """Drop the shares kept for a store (it is being closed; a benchmark wants a cold read)."""
    with _lock:
        for old in [k for k in _kept if k[0] == id(store)]:
            del _kept[old]


def _products(db: Database, skus: list[str]) -> dict[str, tuple[str, str, bool]]:
    """sku → (name, category, active) for the given SKUs that the device knows."""
    found: dict[str, tuple[str, str, bool]] = {}
    for start in range(0, len(skus), 500):
        chunk = skus[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for sku, name, category, active in db.execute(
            f"SELECT sku, name, category_code, coalesce(active, 1) FROM products WHERE sku IN ({marks})", chunk
        ):
            found[sku] = (name, category or "", bool(active))
    return found


def _roots(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    rows = db.execute(ROOTS_CTE + "SELECT r.code, r.root, c.name FROM roots r JOIN categories c ON c.code = r.root")
    roots, names = {}, {}
    for code, root, name in rows:
        roots[code], names[root] = root, name
    return roots, names


def _reorders(days_by_sku, products, roots, names, as_of: date) -> list[Suggestion]:
    active = {sku: days for sku, days in days_by_sku.items() if products.get(sku, ("", "", False))[2]}
    return [
        Suggestion("reorder", due.sku, products[due.sku][0], _category_name(products[due.sku][1], roots, names), due)
        for due in reorders_due(active, as_of)[: SHOWN["reorder"]]
    ]


def _lapsed(days_by_root, days_by_sku, products, roots, names, as_of: date) -> list[Suggestion]:
    suggestions = []
    for lapsed in lapsed_categories(days_by_root, as_of)[: SHOWN["lapsed"]]:
        year_start = months_before(lapsed.since, 12)
        # Her own product of that category she bought on most days of that year.
        counts = {
            sku: sum(1 for d in days if year_start <= d < lapsed.since)
            for sku, days in days_by_sku.items()
            if products.get(sku, ("", "", False))[2]
            and roots.get(products[sku][1], products[sku][1]) == lapsed.category
        }
        if counts:
            sku = min(counts, key=lambda s: (-counts[s], s))
            name = names.get(lapsed.category, lapsed.category)
            suggestions.append(Suggestion("lapsed", sku, products[sku][0], name, lapsed=lapsed))
    return suggestions


def _category_name(category: str, roots: dict[str, str], names: dict[str, str]) -> str:
    root = roots.get(category, category)
    return names.get(root, root)


__all__ = [
    "RECENT_MONTHS",
    "SegmentShares",
    "Suggestion",
    "account_suggestions",
    "forget",
    "segment_shares",
    "warm_segment_shares",
]
