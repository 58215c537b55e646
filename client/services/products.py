"""Finding products for a quote line: by words of the name or by (part of) the SKU, offline.

Words match by prefix and ignore accents ("broca cobal" finds "Broca HSS 10 mm cobalto"); a
text that is exactly a SKU puts that product first. Each hit carries what the builder shows
before the line is added: unit, sellable stock in the seller's warehouse and in all of them.
"""

from dataclasses import dataclass
from decimal import Decimal

from client.services.portfolio import match_expression
from client.services.session import Session
from client.store import record_from_row
from shared.models import Stock
from shared.rules.availability import sellable_by_warehouse

# bm25 weights per products_fts column (sku, name, description): a code hit is the product meant.
_RANK = "bm25(products_fts, 10.0, 4.0, 1.0)"
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
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    code = text.strip().upper()
    sql = f"""
        SELECT p.sku, p.name, p.unit, p.category_code
        FROM (SELECT rowid, {_RANK} AS rank FROM products_fts WHERE products_fts MATCH ?
              ORDER BY rank LIMIT ?) AS hit
        JOIN products AS p ON p.rowid = hit.rowid
        WHERE p.active = 1
        ORDER BY p.sku = ? DESC, hit.rank, p.name
        LIMIT ?
    """
    home = session.home_warehouse or ""
    with session.store.read() as db:
        rows = db.execute(sql, [expression, limit * 2, code, limit]).fetchall()
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
