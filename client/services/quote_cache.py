"""The facts a quote being edited is priced from, kept between edits.

The builder re-prices the whole quote on every keystroke. Reading customer, price lists,
stock and policies from SQLite again each time costs far more than the arithmetic, so the
facts are kept while nothing they come from can have changed: the same store, customer,
issue date and day, and no commit to the database since (SQLite's `data_version` on the
store's reading connection moves with every commit of its writing connection: a pull, a
bucket repair, new policies, a local write or an undone one). A line with a new product
widens the kept facts to it.
"""

import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlite_utils import Database

from client.services.quote_facts import PricingFacts, StockFacts, load_pricing_facts, load_stock_facts, open_exposure
from client.services.quote_pricing import QuoteDraft
from client.store import Store


@dataclass(frozen=True, slots=True)
class _Kept:
    key: tuple
    skus: frozenset[str]
    categories: frozenset[str]
    facts: PricingFacts
    stock: StockFacts
    exposure: Decimal


_lock = threading.Lock()
_kept: dict[int, _Kept] = {}


def _data_version(db: Database) -> int:
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def quote_facts(
    store: Store, draft: QuoteDraft, home_warehouse: str, today: date
) -> tuple[PricingFacts, StockFacts, Decimal]:
    """(pricing facts, stock facts, open exposure) for `draft`, read again only when needed."""
    skus = frozenset(line.sku for line in draft.lines)
    asked = [(line.sku, line.quantity) for line in draft.lines]
    with store.read() as db:
        key = (draft.customer_code, draft.issue_date, today, str(draft.id), _data_version(db))
        with _lock:
            kept = _kept.get(id(store))
        if kept is not None and kept.key == key and skus <= kept.skus:
            needed = kept.stock.short_categories(asked, home_warehouse, today)
            if needed <= kept.categories:
                return kept.facts, kept.stock, kept.exposure
        wanted = skus | (kept.skus if kept is not None and kept.key == key else frozenset())
        facts = load_pricing_facts(db, draft.customer_code, wanted, draft.issue_date)
        stock = load_stock_facts(db, wanted)
        categories = frozenset(stock.short_categories(asked, home_warehouse, today))
        if kept is not None and kept.key == key:
            categories |= kept.categories
        if categories:  # same-category substitutes are looked up only where they are needed
            stock = load_stock_facts(db, wanted, categories)
        exposure = open_exposure(
            db,
            draft.customer_code,
            facts.credit.currency if facts.credit else draft.currency,
            exclude_number=draft.number,
        )
    with _lock:
        _kept[id(store)] = _Kept(key, wanted, categories, facts, stock, exposure)
    return facts, stock, exposure


def forget(store: Store) -> None:
    """Drop what is kept for a store (it is being closed)."""
    with _lock:
        _kept.pop(id(store), None)


__all__ = ["forget", "quote_facts"]
