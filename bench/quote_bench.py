"""`make bench-quote`: quoting on the device, measured on a realistic local store.

A seller's database with 80,000 products (FTS index, three price lists with quantity
breaks, stock in three warehouses) is built through the client's own pull path, then:

- price a 200-line quote with `client.services.quoting.price` (price resolution,
  availability promises, totals, floors, credit, approval rules) as the builder re-prices
  it on an edit, and cold (its facts read from SQLite first, as when the quote is opened);
  baseline in the same run: `compute_totals` alone on the same 200 lines (pure arithmetic);
- render its PDF (`render_quote`); baseline: the PDF of a one-line quote;
- search products by words and by code (`search_products`), p95 over many queries;
  baseline: the same number of primary-key lookups of a product by SKU;
- search inside names and codes (pieces of a name, the last digits of a SKU: the infix
  index of m0013); baseline: the words search again with the word index only (the
  search as it was before the infix index). Also the size of both product indexes,
  and what m0013 costs a device that already holds the catalogue (rebuilding the index).
- Customer 360's suggestions (`account_suggestions`, bench/account_intelligence.py) for a
  customer with five years of invoice lines among 5,000 customers, cold and warm; baseline:
  the sales-by-category query of Customer 360 alone.
- match a customer's pasted 30-line request (`match_pasted_request`, bench/pasted_request.py;
  she has bought 300 of the products); baseline: primary-key lookups of the 30 SKUs meant.

Targets (issues "Quoting offline", "Search"): pricing < 20 ms median, PDF < 1 s, search p95 < 20 ms;
(issue "Quote from a pasted request"): matching 30 lines p95 < 300 ms;
(issue "Account intelligence"): suggestions p95 < 100 ms; the whole Customer 360 of that customer p95 < 500 ms.
Results: bench/results/quote.json. BENCH_QUICK=1 builds 8,000 products instead.
"""

import os
import random
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from bench.account_intelligence import run_case as run_suggestions
from bench.account_intelligence import suggestion_records
from bench.device_store import fill_store, offline_session
from bench.infix_search import run_case as run_infix
from bench.machine import machine_info
from bench.pasted_request import history_records, run_case
from bench.report import summary, timed_ms, write_results
from client.services.products import search_products
from client.services.quote_cache import forget
from client.services.quote_document import render_quote
from client.services.quote_pricing import DraftLine
from client.services.quoting import price, save_quote, start_quote
from client.store import open_user_store
from shared.models import (
    Category,
    Credit,
    Customer,
    PriceList,
    PriceListItem,
    Product,
    Record,
    Role,
    Stock,
    TaxClass,
    User,
    Warehouse,
)
from shared.rules import LineInput, compute_totals

TARGETS = {
    "price_200_lines_median_ms_max": 20.0,
    "pdf_200_lines_s_max": 1.0,
    "search_p95_ms_max": 20.0,
    "paste_30_lines_p95_ms_max": 300.0,
    "suggestions_p95_ms_max": 100.0,
    "customer_360_p95_ms_max": 500.0,
}
LOGIN, CUSTOMER, HOME = "ana.garcia", "C00001", "MAD"
NOUNS = [
    "Tornillo",
    "Tuerca",
    "Arandela",
    "Broca",
    "Taladro",
    "Guante",
    "Casco",
    "Llave",
    "Destornillador",
    "Martillo",
    "Sierra",
    "Disco",
    "Lija",
    "Cinta",
    "Brida",
    "Abrazadera",
    "Bisagra",
    "Cerradura",
    "Cable",
    "Enchufe",
    "Interruptor",
    "Bombilla",
    "Tubo",
    "Codo",
    "Válvula",
    "Grifo",
    "Silicona",
    "Adhesivo",
    "Pintura",
    "Rodillo",
    "Pincel",
    "Escalera",
    "Carretilla",
    "Pala",
    "Manguera",
    "Candado",
    "Cadena",
]
QUALIFIERS = [
    "acero inoxidable",
    "zincado",
    "latón",
    "nitrilo",
    "cobalto",
    "HSS",
    "sin escobillas",
    "18 V",
    "industrial",
    "profesional",
    "reforzado",
    "térmico",
    "ignífugo",
    "galvanizado",
    "PVC",
    "cerámico",
    "alta presión",
    "antideslizante",
    "magnético",
    "plegable",
    "extensible",
    "de precisión",
    "ø 6 mm",
    "ø 8 mm",
    "ø 10 mm",
    "M6",
    "M8",
    "M10",
    "DIN 933",
    "EN 388",
    "talla 9",
    "talla 10",
    "25 m",
    "50 m",
]


def _world(products: int, rng: random.Random) -> list[tuple[Record, str]]:
    catalog, portfolio = "catalog", f"portfolio:{LOGIN}"
    day = date(2026, 1, 1)
    records: list[tuple[Record, str]] = [
        (User(login=LOGIN, name="Ana García", role=Role.SELLER, team_code="NORTE", home_warehouse=HOME), "directory"),
        (TaxClass(code="IVA21", name="IVA general", rate_percent=Decimal(21)), catalog),
        (TaxClass(code="IVA10", name="IVA reducido", rate_percent=Decimal(10)), catalog),
        (
            Customer(
                code=CUSTOMER,
                legal_name="Suministros Peñalara S.L.",
                tax_id="B28123456",
                segment="oem",
                payment_terms="NET30",
                currency="EUR",
                seller_login=LOGIN,
                city="Madrid",
            ),
            portfolio,
        ),
        (
            Credit(
                customer_code=CUSTOMER,
                currency="EUR",
                credit_limit=Decimal(500000),
                open_balance=Decimal(20000),
                open_orders=Decimal(0),
                overdue_amount=Decimal(0),
                overdue_invoices=0,
                oldest_overdue_days=0,
                open_disputes=0,
                disputed_amount=Decimal(0),
                blocked=False,
                prepayment_required=False,
            ),
            portfolio,
        ),
        (PriceList(code="BASE", name="Tarifa general", kind="base", currency="EUR", valid_from=day), catalog),
        (
            PriceList(code="OEM", name="Tarifa OEM", kind="segment", segment="oem", currency="EUR", valid_from=day),
            catalog,
        ),
        (
            PriceList(
                code=f"K-{CUSTOMER}",
                name="Tarifa cliente",
                kind="customer",
                customer_code=CUSTOMER,
                currency="EUR",
                valid_from=day,
            ),
            portfolio,
        ),
    ]
    records += [(Warehouse(code=code, name=f"Almacén {code}"), catalog) for code in ("MAD", "BCN", "VLC")]
    records += [(Category(code=f"CAT{c:02d}", name=f"Categoría {c}"), catalog) for c in range(40)]
    for n in range(products):
        sku = f"{NOUNS[n % len(NOUNS)][:3].upper()}-{n:06d}"
        name = f"{NOUNS[n % len(NOUNS)]} {rng.choice(QUALIFIERS)} {rng.choice(QUALIFIERS)}"
        cost = Decimal(rng.randint(50, 50000)) / 100
        records.append(
            (
                Product(
                    sku=sku,
                    name=name,
                    category_code=f"CAT{n % 40:02d}",
                    unit="ud",
                    tax_class="IVA21" if n % 7 else "IVA10",
                    currency="EUR",
                    replacement_cost=cost,
                ),
                catalog,
            )
        )
        base = (cost * Decimal("1.6")).quantize(Decimal("0.0001"))
        records.append(
            (PriceListItem(price_list_code="BASE", sku=sku, min_quantity=Decimal(0), unit_price=base), catalog)
        )
        records.append(
            (
                PriceListItem(
                    price_list_code="BASE",
                    sku=sku,
                    min_quantity=Decimal(50),
                    unit_price=(base * Decimal("0.95")).quantize(Decimal("0.0001")),
                ),
                catalog,
            )
        )
        if n % 3 == 0:
            records.append(
                (
                    PriceListItem(
                        price_list_code="OEM",
                        sku=sku,
                        min_quantity=Decimal(0),
                        unit_price=(base * Decimal("0.92")).quantize(Decimal("0.0001")),
                    ),
                    catalog,
                )
            )
        for warehouse in ("MAD", "BCN", "VLC"):
            if rng.random() < 0.7:
                records.append(
                    (
                        Stock(
                            sku=sku,
                            warehouse_code=warehouse,
                            on_hand=Decimal(rng.randint(0, 400)),
                            reserved=Decimal(rng.randint(0, 20)),
                            damaged=Decimal(0),
                        ),
                        catalog,
                    )
                )
    return records


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    products = 8_000 if quick else 80_000
    customers = 500 if quick else 5_000
    rng = random.Random(20261126)
    work = Path(tempfile.mkdtemp(prefix="terreno-bench-quote-"))
    results: dict = {
        "benchmark": "quote",
        "machine": {**machine_info(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "config": {
            "products": products,
            "quote_lines": 200,
            "pasted_request_lines": 30,
            "suggestion_segment_customers": customers,
        },
        "runs": {},
        "baselines": {},
        "targets": TARGETS,
        "met": {},
    }
    try:
        store = open_user_store(work, LOGIN)
        records = _world(products, rng)
        skus = [record.sku for record, _ in records if isinstance(record, Product)]
        records += history_records(CUSTOMER, f"portfolio:{LOGIN}", skus, random.Random(4471))
        records += suggestion_records(CUSTOMER, LOGIN, skus, customers, random.Random(1360))
        load_s = fill_store(store, records)
        results["runs"]["store_build"] = {"rows": len(records), "seconds": round(load_s, 1)}
        print(f"store: {len(records):,} rows ({products:,} products) in {load_s:.1f} s", flush=True)
        session = offline_session(work, store, LOGIN, HOME, "NORTE")

        with store.read() as db:
            skus = [row[0] for row in db.execute("SELECT sku FROM products ORDER BY rowid LIMIT 200 OFFSET 1000")]
        start = start_quote(session, CUSTOMER)
        lines = tuple(
            DraftLine(sku, Decimal(rng.choice([1, 5, 12, 60, 120])), Decimal(rng.choice([0, 0, 5, 8]))) for sku in skus
        )
        draft = replace(start.draft, lines=lines)
        priced = price(session, draft)
        assert len(priced.lines) == 200 and not priced.problems, priced.problems
        pricing = summary(timed_ms(lambda: price(session, draft), 30))

        def cold() -> None:
            forget(store)  # facts read from SQLite again, as when the quote is opened
            price(session, draft)

        pricing_cold = summary(timed_ms(cold, 10))
        inputs = [
            LineInput(
                line_no=line.line_no,
                sku=line.sku,
                quantity=line.result.quantity,
                unit_price=line.result.unit_price,
                discount_percent=line.result.discount_percent,
                tax_rate_percent=line.result.tax_rate_percent,
                unit_cost=line.unit_cost,
            )
            for line in priced.lines
        ]
        arithmetic = summary(timed_ms(lambda: compute_totals(inputs, "EUR"), 30))
        results["runs"]["price_200_lines"] = pricing
        results["runs"]["price_200_lines_cold"] = pricing_cold
        results["baselines"]["compute_totals_200_lines"] = arithmetic
        print(
            f"price 200 lines: median {pricing['median_ms']} ms as the builder re-prices, "
            f"{pricing_cold['median_ms']} ms reading the facts first (totals alone {arithmetic['median_ms']} ms)",
            flush=True,
        )

        quote = save_quote(session, priced)
        pdf_runs = summary(timed_ms(lambda: render_quote(session, quote, "es"), 5))
        pages = render_quote(session, quote, "es").count(b"/Type /Page\n") or None
        one_line = save_quote(
            session, price(session, replace(draft, id=uuid4(), number=draft.number[:-4] + "9999", lines=lines[:1]))
        )
        pdf_one = summary(timed_ms(lambda: render_quote(session, one_line, "es"), 5))
        results["runs"]["pdf_200_lines"] = {**pdf_runs, "pages": pages}
        results["baselines"]["pdf_1_line"] = pdf_one
        print(f"PDF 200 lines: median {pdf_runs['median_ms']} ms (1 line: {pdf_one['median_ms']} ms)", flush=True)

        store.wait_for_upkeep()  # searched as a device is after its first sync: indexes merged
        words = [
            f"{rng.choice(NOUNS).lower()[: rng.randint(3, 6)]} {rng.choice(QUALIFIERS).split()[0][:4]}"
            for _ in range(200)
        ]
        codes = [f"{NOUNS[n % len(NOUNS)][:3]}-{n:06d}".lower() for n in rng.sample(range(products), 200)]
        by_words = summary(timed_ms(lambda it=iter(words): search_products(session, next(it)), 200))
        by_code = summary(timed_ms(lambda it=iter(codes): search_products(session, next(it)), 200))
        with store.read() as db:
            lookups = summary(
                timed_ms(
                    lambda it=iter(codes): db.execute(
                        "SELECT * FROM products WHERE sku = ?", [next(it).upper()]
                    ).fetchall(),
                    200,
                )
            )
        assert search_products(session, codes[0])[0].sku == codes[0].upper()
        results["runs"]["search_words"] = by_words
        results["runs"]["search_code"] = by_code
        results["baselines"]["sku_primary_lookup"] = lookups
        print(
            f"search by words: p95 {by_words['p95_ms']} ms; by code: p95 {by_code['p95_ms']} ms "
            f"(indexed lookup p95 {lookups['p95_ms']} ms)",
            flush=True,
        )

        infix = run_infix(session, store, words, [noun.lower()[1:] for noun in NOUNS], products, rng)
        results["runs"]["search_infix"] = infix["inside"]
        results["runs"]["search_index_mib"] = infix["sizes"]
        results["runs"]["m0013_rebuild_products_infix_ms"] = infix["rebuild"]
        results["baselines"]["search_words_word_index_only"] = infix["word_index_only"]
        print(
            f"search inside names and codes: p95 {infix['inside']['p95_ms']} ms (words search with the word index "
            f"only: p95 {infix['word_index_only']['p95_ms']} ms); indexes {infix['sizes']} MiB; m0013's rebuild "
            f"{infix['rebuild']['median_ms'] / 1000:.1f} s",
            flush=True,
        )
        pasted = run_case(session, store, CUSTOMER, random.Random(30))
        results["runs"]["paste_30_lines"] = pasted["matching"]
        results["baselines"]["paste_sku_lookups_30"] = pasted["baseline"]
        print(
            f"pasted request, {pasted['matching']['product_lines']} lines: p95 {pasted['matching']['p95_ms']} ms, "
            f"median {pasted['matching']['median_ms']} ms, best match right on {pasted['matching']['best_is_meant']} "
            f"(30 SKU lookups p95 {pasted['baseline']['p95_ms']} ms); missed: {pasted['matching']['missed']}",
            flush=True,
        )
        suggested = run_suggestions(session, store, CUSTOMER)
        results["runs"]["suggestions_cold"] = suggested["cold"]
        results["runs"]["suggestions_warm"] = {**suggested["warm"], "found": suggested["suggestions"]}
        results["baselines"]["sales_by_category"] = suggested["baseline"]
        results["runs"]["customer_360"] = suggested["customer_360"]
        print(
            f"suggestions ({suggested['customer_lines']:,} lines of the customer, {suggested['device_lines']:,} "
            f"on the device): p95 {suggested['cold']['p95_ms']} ms cold, {suggested['warm']['p95_ms']} ms with the "
            f"segment's shares kept (sales by category alone p95 {suggested['baseline']['p95_ms']} ms); "
            f"{suggested['suggestions']}; the whole Customer 360 p95 {suggested['customer_360']['p95_ms']} ms",
            flush=True,
        )
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    runs = results["runs"]
    results["met"] = {
        "price_200_lines": runs["price_200_lines"]["median_ms"] < TARGETS["price_200_lines_median_ms_max"],
        "pdf_200_lines": runs["pdf_200_lines"]["median_ms"] / 1000 < TARGETS["pdf_200_lines_s_max"],
        "search_words_p95": runs["search_words"]["p95_ms"] < TARGETS["search_p95_ms_max"],
        "search_code_p95": runs["search_code"]["p95_ms"] < TARGETS["search_p95_ms_max"],
        "search_infix_p95": runs["search_infix"]["p95_ms"] < TARGETS["search_p95_ms_max"],
        "paste_30_lines_p95": runs["paste_30_lines"]["p95_ms"] < TARGETS["paste_30_lines_p95_ms_max"],
        "suggestions_cold_p95": runs["suggestions_cold"]["p95_ms"] < TARGETS["suggestions_p95_ms_max"],
        "customer_360_p95": runs["customer_360"]["p95_ms"] < TARGETS["customer_360_p95_ms_max"],
        "suggestions_warm_p95": runs["suggestions_warm"]["p95_ms"] < TARGETS["suggestions_p95_ms_max"],
    }
    write_results("quote", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
