"""The suggestions case of `bench/quote_bench.py`: Customer 360's Suggestions panel
(`account_suggestions`) for a customer with five years of invoice lines, on a device whose
portfolio holds many other customers (5,000; 500 with BENCH_QUICK) in five segments, each
with a year of invoices. Measured cold (the segment's shares aggregated in SQLite, as on the
first opening after a pull) and warm (the shares kept until the next pull); baseline in the
same run: Customer 360's sales-by-category query alone for the same customer."""

import random
from datetime import date, timedelta
from decimal import Decimal

from bench.report import summary, timed_ms
from client.services import customer360
from client.services.account_intelligence import account_suggestions, forget
from client.services.session import Session
from client.store import Store
from shared.models import Customer, Invoice, InvoiceLine, Record

AS_OF = date(2026, 12, 20)
SEGMENTS = ("oem", "industria", "construccion", "mantenimiento", "reventa")
YEARS = 5
INVOICES_A_WEEK = 2
LINES_AN_INVOICE = 20


def _invoice(number: str, customer: str, issued: date, skus: list[str], bucket: str) -> list[tuple[Record, str]]:
    lines = [
        InvoiceLine(
            invoice_number=number,
            line_no=n + 1,
            sku=sku,
            quantity=Decimal(4),
            unit_price=Decimal("25.0000"),
            net_amount=Decimal("100.00"),
            cost_amount=Decimal("60.00"),
        )
        for n, sku in enumerate(skus)
    ]
    net = Decimal(100) * len(lines)
    invoice = Invoice(
        number=number,
        customer_code=customer,
        issue_date=issued,
        due_date=issued + timedelta(days=30),
        currency="EUR",
        net_amount=net,
        tax_amount=net * Decimal("0.21"),
        gross_amount=net * Decimal("1.21"),
    )
    return [(invoice, bucket), *((line, bucket) for line in lines)]


def suggestion_records(
    customer: str, login: str, skus: list[str], customers: int, rng: random.Random
) -> list[tuple[Record, str]]:
    """Five years of `customer`'s invoices (two a week, 20 lines over 400 products) and
    `customers` other customers, one invoice a month for a year, 6 lines each."""
    bucket = f"portfolio:{login}"
    records: list[tuple[Record, str]] = []
    regular = rng.sample(skus, 400)
    for week in range(YEARS * 52):
        for n in range(INVOICES_A_WEEK):
            issued = AS_OF - timedelta(days=7 * week + 3 * n + 1)
            picked = rng.sample(regular, LINES_AN_INVOICE)
            records += _invoice(f"S-{customer}-{week:03d}-{n}", customer, issued, picked, bucket)
    for c in range(customers):
        code = f"B{c:05d}"
        records.append(
            (
                Customer(
                    code=code,
                    legal_name=f"Cliente {c}",
                    tax_id=f"B{c:08d}",
                    segment=SEGMENTS[c % len(SEGMENTS)],
                    payment_terms="NET30",
                    currency="EUR",
                    seller_login=login,
                ),
                bucket,
            )
        )
        favourites = rng.sample(skus, 30)
        for month in range(12):
            issued = AS_OF - timedelta(days=30 * month + rng.randint(0, 20))
            records += _invoice(f"S-{code}-{month:02d}", code, issued, rng.sample(favourites, 6), bucket)
    return records


def run_case(session: Session, store: Store, customer: str, runs: int = 60) -> dict:
    """p95 of the suggestions cold and warm, of the whole Customer 360, and of the
    sales-by-category baseline."""
    found = account_suggestions(session, customer, as_of=AS_OF)

    def cold() -> None:
        forget(store)
        account_suggestions(session, customer, as_of=AS_OF)

    def sales_by_category() -> None:
        with store.read() as db:
            customer360._sales_by_category(db, customer, customer360._months_before(AS_OF, 12))

    with store.read() as db:
        lines = db.execute(
            "SELECT count(*) FROM invoices i JOIN invoice_lines l ON l.invoice_number = i.number "
            "WHERE i.customer_code = ?",
            [customer],
        ).fetchone()[0]
        all_lines = db.execute("SELECT count(*) FROM invoice_lines").fetchone()[0]
    return {
        "customer_lines": lines,
        "device_lines": all_lines,
        "suggestions": {kind: sum(1 for s in found if s.kind == kind) for kind in ("reorder", "cross_sell", "lapsed")},
        "cold": summary(timed_ms(cold, max(10, runs // 4))),
        "warm": summary(timed_ms(lambda: account_suggestions(session, customer, as_of=AS_OF), runs)),
        "baseline": summary(timed_ms(sales_by_category, runs)),
        # The whole Customer 360 (timeline, credit as of the day, sales, lost sales) of the
        # same customer: what the seller waits for when she opens her.
        "customer_360": summary(
            timed_ms(lambda: customer360.customer_360(session, customer, as_of=AS_OF), max(10, runs // 4))
        ),
    }


__all__ = ["run_case", "suggestion_records"]
