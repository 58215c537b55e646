"""What the device knows that a quote depends on, read from the local store (no network).

The same facts the server loads to review a pushed quote (`sync_server/.../quote_review.py`):
customer, credit, products, price lists and items, floors, categories, FX rates — plus what
only the device adds: stock and incoming lots for availability promises, the policies the
server last sent, and the seller's own open quotes and orders not yet invoiced, which count
against the customer's credit before the ERP knows about them.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlite_utils import Database

from client.store import ENTITY_TABLES, FIELD_TABLES, record_from_row
from shared.errors import NotFound
from shared.models import (
    Category,
    Credit,
    Customer,
    FxRate,
    IncomingLot,
    PriceFloor,
    PriceList,
    PriceListItem,
    Product,
    Record,
    Stock,
    Substitute,
    TaxClass,
)
from shared.models.field import Quote
from shared.rules import ApprovalPolicy, CreditPolicy, promise_availability
from shared.rules.credit_ageing import Overdue, credit_as_of, open_items, overdue_as_of
from shared.rules.fx import MAX_FX_AGE_DAYS
from shared.rules.quote_lifecycle import OPEN_STATUSES

R = TypeVar("R", bound=Record)
SAME_CATEGORY_CANDIDATES = 40
"""Same-category products with stock considered as substitutes of a short line."""
OPEN_QUOTE_STATUSES = tuple(s.value for s in OPEN_STATUSES)
"""A quote the customer may still accept: its amount is exposure the ERP does not know yet."""


@dataclass(frozen=True, slots=True)
class PricingFacts:
    """Everything pricing, floors, credit and approval rules read for one customer."""

    customer: Customer
    credit: Credit | None
    products: dict[str, Product]
    price_lists: list[PriceList]
    items: list[PriceListItem]
    floors: list[PriceFloor]
    categories: dict[str, Category]
    fx_rates: list[FxRate]
    tax_classes: dict[str, TaxClass]
    approval_policy: ApprovalPolicy
    credit_policy: CreditPolicy


@dataclass(frozen=True, slots=True)
class StockFacts:
    """What availability promises read: stock, incoming lots, substitutes, by SKU.

    Grouped by SKU so each line's promise reads only its own product, its declared
    substitutes and its category's candidates — not every stock row of the quote.
    """

    stocks: dict[str, list[Stock]]
    lots: dict[str, list[IncomingLot]]
    substitutes: dict[str, list[Substitute]]
    candidates: dict[str, list[Product]]
    """Products by category with stock somewhere (same-category substitutes), loaded for
    the categories of lines that are short only."""
    products: dict[str, Product]

    def short_categories(self, lines: Iterable[tuple[str, Decimal]], home_warehouse: str, today: date) -> set[str]:
        """Categories of the (sku, quantity) lines whose promise falls short without
        same-category substitutes: where such substitutes are worth loading."""
        found = set()
        for sku, quantity in lines:
            stocks, lots, declared, _ = self.for_line(sku)
            promise = promise_availability(sku, quantity, home_warehouse, stocks, lots, today, declared, ())
            product = self.products.get(sku)
            if promise.is_short and product is not None:
                found.add(product.category_code)
        return found

    def for_line(self, sku: str) -> tuple[list[Stock], list[IncomingLot], list[Substitute], list[Product]]:
        """(stocks, lots, substitutes, products) the promise of `sku` needs."""
        declared = self.substitutes.get(sku, [])
        own = self.products.get(sku)
        same = self.candidates.get(own.category_code, []) if own else []
        related = {sku, *(s.substitute_sku for s in declared), *(p.sku for p in same)}
        stocks = [stock for code in sorted(related) for stock in self.stocks.get(code, ())]
        return stocks, self.lots.get(sku, []), declared, ([own] if own else []) + same


def _models(db: Database, model: type[R], where: str = "", params: Sequence[object] = ()) -> list[R]:
    table = ENTITY_TABLES[model.ENTITY]
    sql = f'SELECT * FROM "{table}"' + (f" WHERE {where}" if where else "")
    return [record_from_row(model, row) for row in db.query(sql, list(params))]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def load_customer(db: Database, customer_code: str) -> Customer:
    """The customer as synced; NotFound when it is not in this device's portfolio."""
    found = _models(db, Customer, "code = ?", [customer_code])
    if not found:
        raise NotFound(
            f"customer {customer_code} is not in this device's portfolio",
            key="problem.customer.not_in_portfolio",
            params={"customer": customer_code},
        )
    return found[0]


def load_credit(db: Database, customer_code: str) -> Credit | None:
    """The customer's credit row as last synced (None: the ERP sent none)."""
    found = _models(db, Credit, "customer_code = ?", [customer_code])
    return found[0] if found else None


def load_credit_as_of(db: Database, customer_code: str, day: date) -> tuple[Credit | None, Overdue]:
    """The credit row with its overdue figures read as of `day` from the open invoices
    (`shared.rules.credit_ageing`), and those figures with their age buckets."""
    invoices = [
        (number, date.fromisoformat(due), Decimal(gross))
        for number, due, gross in db.execute(
            "SELECT number, due_date, gross_amount FROM invoices WHERE customer_code = ?", [customer_code]
        ).fetchall()
    ]
    payments = [
        (number, Decimal(amount))
        for number, amount in db.execute(
            "SELECT invoice_number, amount FROM payments WHERE customer_code = ? AND invoice_number IS NOT NULL",
            [customer_code],
        ).fetchall()
    ]
    credit = load_credit(db, customer_code)
    overdue = overdue_as_of(credit, open_items(invoices, payments), day)
    return credit_as_of(credit, overdue), overdue


def load_policies(db: Database) -> tuple[ApprovalPolicy, CreditPolicy]:
    """The policies the server last sent; the models' defaults before the first sync of them."""
    stored = dict(db.execute("SELECT name, data FROM policies").fetchall())
    approval = (
        ApprovalPolicy.model_validate(json.loads(stored["approval"])) if "approval" in stored else ApprovalPolicy()
    )
    credit = CreditPolicy.model_validate(json.loads(stored["credit"])) if "credit" in stored else CreditPolicy()
    return approval, credit


def load_pricing_facts(db: Database, customer_code: str, skus: Iterable[str], day: date) -> PricingFacts:
    """The pricing facts for quoting `skus` to a customer on `day`."""
    customer = load_customer(db, customer_code)
    wanted = sorted(set(skus))
    products = {p.sku: p for p in _models(db, Product, f"sku IN ({_marks(wanted)})", wanted)}
    price_lists = _models(
        db, PriceList, "kind = 'base' OR segment = ? OR customer_code = ?", [customer.segment, customer.code]
    )
    codes = [p.code for p in price_lists]
    items = _models(
        db, PriceListItem, f"sku IN ({_marks(wanted)}) AND price_list_code IN ({_marks(codes)})", [*wanted, *codes]
    )
    floors = _models(db, PriceFloor, f"scope = 'category' OR code IN ({_marks(wanted)})", wanted)
    first = (day - timedelta(days=MAX_FX_AGE_DAYS)).isoformat()
    fx_rates = _models(db, FxRate, "rate_date >= ? AND rate_date <= ?", [first, day.isoformat()])
    approval, credit_policy = load_policies(db)
    return PricingFacts(
        customer=customer,
        credit=load_credit_as_of(db, customer.code, day)[0],
        products=products,
        price_lists=price_lists,
        items=items,
        floors=floors,
        categories={c.code: c for c in _models(db, Category)},
        fx_rates=fx_rates,
        tax_classes={t.code: t for t in _models(db, TaxClass)},
        approval_policy=approval,
        credit_policy=credit_policy,
    )


def load_stock_facts(db: Database, skus: Iterable[str], short_categories: Iterable[str] = ()) -> StockFacts:
    """Stock and lots of `skus` and their declared substitutes; same-category candidates with
    stock for `short_categories` (the categories of lines the home stock cannot cover)."""
    wanted = sorted(set(skus))
    substitutes = _models(db, Substitute, f"sku IN ({_marks(wanted)})", wanted)
    categories = sorted(set(short_categories))
    # A coarse filter only (floats are fine to say "some stock"); the promise itself reads
    # the exact quantities with shared/rules. Ordered, so the same facts give the same options.
    candidates = (
        _models(
            db,
            Product,
            f"category_code IN ({_marks(categories)}) AND active = 1 AND sku IN (SELECT sku FROM stock "
            "WHERE CAST(on_hand AS REAL) - CAST(reserved AS REAL) - CAST(damaged AS REAL) > 0) ORDER BY sku LIMIT ?",
            [*categories, SAME_CATEGORY_CANDIDATES * max(1, len(categories))],
        )
        if categories
        else []
    )
    own = _models(db, Product, f"sku IN ({_marks(wanted)})", wanted)
    related = sorted({*wanted, *(s.substitute_sku for s in substitutes), *(p.sku for p in candidates)})
    return StockFacts(
        stocks=_group(_models(db, Stock, f"sku IN ({_marks(related)})", related), "sku"),
        lots=_group(_models(db, IncomingLot, f"sku IN ({_marks(wanted)})", wanted), "sku"),
        substitutes=_group(substitutes, "sku"),
        candidates=_group(candidates, "category_code"),
        products={p.sku: p for p in (*own, *candidates)},
    )


def _group(items: Iterable[R], key: str) -> dict[str, list[R]]:
    grouped: dict[str, list[R]] = {}
    for item in items:
        grouped.setdefault(getattr(item, key), []).append(item)
    return grouped


def open_exposure(db: Database, customer_code: str, currency: str, exclude_number: str | None = None) -> Decimal:
    """The seller's open quotes and orders for the customer the ERP has not invoiced yet.

    Only this device's view: the latest version of each open quote in `currency`, and orders
    recorded here and not yet acknowledged by the server (`_version` 0) — once synced, the
    ERP's `open_orders` on the credit row already counts them.
    """
    quotes = FIELD_TABLES[Quote.ENTITY]
    rows = db.execute(
        f'SELECT number, version, id, gross_total FROM "{quotes}" WHERE customer_code = ? AND currency = ? '
        f"AND status IN ({_marks(OPEN_QUOTE_STATUSES)})",
        [customer_code, currency, *OPEN_QUOTE_STATUSES],
    ).fetchall()
    latest: dict[str, tuple[int, str, Decimal]] = {}
    for number, version, quote_id, gross in rows:
        if number not in latest or version > latest[number][0]:
            latest[number] = (version, quote_id, Decimal(gross))
    # The quote being priced is left out by number: a new version replaces the sent one.
    total = sum((gross for number, (_, _, gross) in latest.items() if number != exclude_number), Decimal(0))
    orders = db.execute(
        'SELECT gross_total FROM orders WHERE customer_code = ? AND currency = ? AND "_version" = 0',
        [customer_code, currency],
    ).fetchall()
    return total + sum((Decimal(r[0]) for r in orders), Decimal(0))


__all__ = [
    "OPEN_QUOTE_STATUSES",
    "PricingFacts",
    "StockFacts",
    "load_credit",
    "load_customer",
    "load_policies",
    "load_pricing_facts",
    "load_stock_facts",
    "open_exposure",
]
