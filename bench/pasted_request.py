"""The pasted-request case of `bench/quote_bench.py`: a customer's 30-line request, written the
ways customers write (plural and singular, accents dropped, a typo, a SKU, the last digits
of one, a product of her history described loosely, a greeting), matched on the device against the
whole catalogue with `match_pasted_request`; baseline in the same run: a primary-key lookup
of the 30 intended SKUs, which is what matching costs when every line is an exact code."""

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from bench.report import summary, timed_ms
from client.services.pasted_requests import match_pasted_request
from client.services.session import Session
from client.store import Store
from shared.models import Invoice, InvoiceLine, Record
from shared.rules.request_words import key_words

REQUEST_LINES = 30
HISTORY_SKUS = 300
"""Distinct products the bench customer has bought (her invoice lines)."""


def history_records(customer: str, bucket: str, skus: list[str], rng: random.Random) -> list[tuple[Record, str]]:
    """Twelve months of invoices of `customer`, 25 lines each, over HISTORY_SKUS of `skus`."""
    bought = rng.sample(skus, HISTORY_SKUS)
    records: list[tuple[Record, str]] = []
    for month in range(12):
        number = f"F-{customer}-{month + 1:02d}"
        issued = date(2026, month + 1, 10)
        lines = [
            InvoiceLine(
                invoice_number=number,
                line_no=n + 1,
                sku=sku,
                quantity=Decimal(rng.randint(1, 40)),
                unit_price=Decimal("10.0000"),
                net_amount=Decimal("100.00"),
                cost_amount=Decimal("60.00"),
            )
            for n, sku in enumerate(rng.sample(bought, 25))
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
        records += [(invoice, bucket), *((line, bucket) for line in lines)]
    return records


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    at = rng.randrange(2, len(word) - 1)
    return word[:at] + word[at] + word[at:]  # a doubled letter: "nitrillo"


def pasted_request(store: Store, customer: str, rng: random.Random) -> tuple[str, dict[str, str]]:
    """A request of REQUEST_LINES product lines (and a greeting and a goodbye), and each product
    line with the SKU it means."""
    with store.read() as db:
        catalogue = db.execute("SELECT sku, name FROM products WHERE active = 1 ORDER BY rowid").fetchall()
        bought = [
            row[0]
            for row in db.execute(
                "SELECT DISTINCT l.sku FROM invoices i JOIN invoice_lines l ON l.invoice_number = i.number "
                "WHERE i.customer_code = ? ORDER BY l.sku",
                [customer],
            )
        ]
    names = dict(catalogue)
    lines, meant = ["Hola Ana, te paso el pedido:"], {}
    for n in range(REQUEST_LINES):
        kind = n % 7
        sku = rng.choice(bought) if kind == 4 else rng.choice(catalogue)[0]
        words = names[sku].split()
        quantity = rng.choice(["2", "5", "10", "20", "2,5", "100"])
        if kind == 0:
            line = f"{quantity} cajas de {_plain(names[sku]).lower()}"
        elif kind == 1:
            line = f"{quantity} x ref {sku}"
        elif kind == 2:
            line = f"{names[sku]} x{quantity}"
        elif kind == 3:
            line = f"{quantity} uds {' '.join(_typo(w, rng) if i == 0 else w for i, w in enumerate(words))}"
        elif kind == 4:  # her usual product, with a word left out
            line = f"{quantity} {' '.join(words[:1] + words[2:]) if len(words) > 2 else names[sku]}"
        elif kind == 5:
            line = f"{sku.lower()}: {quantity}"
        else:  # the last digits of the code, without its leading zeros: one pass over the catalogue
            line = f"{quantity} x ref {sku.split('-')[-1].lstrip('0')}"
        lines.append(line)
        meant[" ".join(line.split())] = sku
    lines.append("Gracias, un saludo")
    return "\n".join(lines), meant


def run_case(session: Session, store: Store, customer: str, rng: random.Random, runs: int = 30) -> dict:
    """Timings of matching the request and of the baseline, and how many lines' best match
    was the product meant (or one of the same name: the bench's names repeat)."""
    text, meant = pasted_request(store, customer, rng)
    found = match_pasted_request(session, customer, text)
    with store.read() as db:
        names = dict(db.execute("SELECT sku, name FROM products").fetchall())

    def same(sku: str, other: str | None) -> bool:  # the bench catalogue repeats names under other SKUs
        return other is not None and (sku == other or sorted(key_words(names[sku])) == sorted(key_words(names[other])))

    missed = [
        m.line.text for m in found if m.line.text in meant and not (m.best and same(m.best.sku, meant[m.line.text]))
    ]
    matching = summary(timed_ms(lambda: match_pasted_request(session, customer, text), runs))

    def lookups() -> None:
        with store.read() as db:
            for sku in meant.values():
                db.execute("SELECT sku, name, description FROM products WHERE sku = ?", [sku]).fetchall()

    return {
        "matching": {
            **matching,
            "lines": len(found),
            "best_is_meant": len(meant) - len(missed),
            "product_lines": len(meant),
            "missed": missed,
        },
        "baseline": summary(timed_ms(lookups, runs)),
        "text": text,
    }


__all__ = ["REQUEST_LINES", "history_records", "pasted_request", "run_case"]
