"""Finding products for a quote line: by words of the name or by (part of) the SKU, offline.

Words match by prefix and ignore accents ("broca cobal" finds "Broca HSS 10 mm cobalto"),
and a word of three or more characters anywhere inside the SKU or the name ("487" finds
"P-00487", "tornill" finds "Destornillador") after the prefix hits (search_terms.py); a
text that is exactly a SKU puts that product first. Each hit carries what the builder shows
before the line is added: unit, sellable stock in the seller's warehouse and in all of them.
"""

from dataclasses import dataclass
from decimal import Decimal

from client.services.search_terms import SearchIndexes, hits_sql, search_terms
from client.services.session import Session
from client.store import record_from_row
from shared.models import Stock
from shared.rules.availability import sellable_by_warehouse

# bm25 weights per column (sku, name, description; infix: sku, name): a code hit is the product meant.
_INDEXES = SearchIndexes(
    words="products_fts",
    words_rank="bm25(products_fts, 10.0, 4.0, 1.0)",
    infix="products_infix",
    infix_rank="bm25(products_infix, 10.0, 4.0)",
)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProductHit:
    """One search result."""

    sku: str
    name: str
    unit: str
    category_code: str
    sellable_home: Decimal
    """Sellable now in the seller's own warehouse."""
    sellable_total: Decimal
    """Sellable now in every warehouse."""


def search_products(session: Session, text: str, limit: int = 30) -> list[ProductHit]:
    """Active products matching `text` (words or code), best first; [] for empty text."""
    terms = search_terms(text)
    if terms is None or limit <= 0:
        return []
    code = text.strip().upper()
    # Twice the limit from each index: room for the inactive products dropped below.
    hits, params = hits_sql(
        _INDEXES, terms, per_tier=limit * 2, exact=("SELECT rowid FROM products WHERE sku = ?", [code])
    )
    sql = f"""
        SELECT p.sku, p.name, p.unit, p.category_code
        FROM ({hits}) AS hit
        JOIN products AS p ON p.rowid = hit.rowid
        WHERE p.active = 1
        ORDER BY p.sku = ? DESC, hit.tier, hit.score, p.name
        LIMIT ?
    """
    home = session.home_warehouse or ""
    with session.store.read() as db:
        rows = db.execute(sql, [*params, code, limit]).fetchall()
        skus = [r[0] for r in rows]
        stocks = [
            record_from_row(Stock, row)
            for row in db.query(f"SELECT * FROM stock WHERE sku IN ({', '.join('?' for _ in skus) or 'NULL'})", skus)
        ]
    by_sku = {sku: sellable_by_warehouse(sku, stocks) for sku in skus}
    sellable_home = {sku: found.get(home, ZERO) for sku, found in by_sku.items()}
    sellable_total = {sku: sum(found.values(), ZERO) for sku, found in by_sku.items()}
    return [
        ProductHit(
            sku=r[0],
            name=r[1],
            unit=r[2],
            category_code=r[3],
            sellable_home=sellable_home.get(r[0], ZERO),
            sellable_total=sellable_total.get(r[0], ZERO),
        )
        for r in rows
    ]


__all__ = ["ProductHit", "search_products"]
