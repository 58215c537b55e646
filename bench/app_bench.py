"""`make bench-app`: the seller's app measured in headless Chromium, on a device with no signal.

A device database is built through the client's own pull path: 5,000 customers with credit
and contacts, a catalogue of 400 products, two invoices per customer and, for one customer,
24 months of history (two invoices a month, six lines each, with payments). The app is
served on loopback and resumes that session with the sync server unreachable, as in a
customer's warehouse. Measured in the browser:

- cold start: a fresh tab (Flutter's files cached, as on a tablet used daily) to the
  Today screen, and, opened at /portfolio, to the list showing "… of 5,000 customers";
- search as you type: from the keystroke that completes a query to the list count showing
  that query's result (expected counts from the portfolio service on the same database);
- Customer 360 of the 24-month customer: from the tap to the sales chart and credit panel.

Baselines in the same run: the same searches and the same Customer 360 called on the
service directly (what the UI adds is the difference).
Targets (issue "The seller's app"): cold start < 2 s, search < 150 ms, Customer 360 < 500 ms.
Results: bench/results/app.json.
"""

import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from playwright.sync_api import sync_playwright

from bench.device_store import fill_store, offline_session
from bench.machine import machine_info
from bench.report import summary, timed_ms, write_results
from client.app import create_web_app
from client.services.customer360 import customer_360
from client.services.portfolio import CustomerFilters, count_customers
from client.services.session import Session
from client.settings import ClientSettings
from client.store import open_user_store, save_state, write_last_login
from shared.models import (
    Category,
    Contact,
    Credit,
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    Product,
    Record,
    Role,
    TaxClass,
    User,
    Warehouse,
)
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, ServerThread, navigate, open_app, sid, wait_text

TARGETS = {"cold_start_s_max": 2.0, "search_ms_max": 150.0, "customer_360_ms_max": 500.0}
LOGIN, HOME, CUSTOMERS, PRODUCTS = "ana.garcia", "MAD", 5_000, 400
CITIES = [
    "Madrid",
    "Barcelona",
    "Valencia",
    "Sevilla",
    "Zaragoza",
    "Bilbao",
    "Málaga",
    "Murcia",
    "Valladolid",
    "Alicante",
    "Córdoba",
    "Vigo",
    "Gijón",
    "Granada",
    "Pamplona",
    "Toledo",
    "Burgos",
    "Salamanca",
]
WORDS = [
    "Suministros",
    "Ferretería",
    "Industrias",
    "Talleres",
    "Construcciones",
    "Almacenes",
    "Distribuciones",
    "Montajes",
    "Reformas",
    "Metalúrgica",
    "Electricidad",
    "Fontanería",
    "Maquinaria",
    "Herramientas",
]
SURNAMES = [
    "García",
    "Peñalara",
    "Núñez",
    "Ibáñez",
    "Sanz",
    "Romero",
    "Castro",
    "Ortega",
    "Rubio",
    "Molina",
    "Delgado",
    "Morales",
    "Iglesias",
    "Vázquez",
    "Cortés",
    "Gallego",
    "Muñoz",
    "Domínguez",
]
STAR = "C04242"
"""The customer with 24 months of history."""


def _invoice(number: str, code: str, day: date, rng: random.Random, lines: int) -> list[Record]:
    items, net, cost = [], Decimal(0), Decimal(0)
    for n in range(1, lines + 1):
        quantity, price = Decimal(rng.randint(1, 40)), Decimal(rng.randint(200, 9000)) / 100
        amount = quantity * price
        net, cost = net + amount, cost + (amount * Decimal("0.62")).quantize(Decimal("0.01"))
        items.append(
            InvoiceLine(
                invoice_number=number,
                line_no=n,
                sku=f"P{rng.randrange(PRODUCTS):05d}",
                quantity=quantity,
                unit_price=price,
                net_amount=amount,
                cost_amount=(amount * Decimal("0.62")).quantize(Decimal("0.01")),
            )
        )
    tax = (net * Decimal("0.21")).quantize(Decimal("0.01"))
    return [
        Invoice(
            number=number,
            customer_code=code,
            issue_date=day,
            due_date=day + timedelta(days=60),
            currency="EUR",
            net_amount=net,
            tax_amount=tax,
            gross_amount=net + tax,
        ),
        *items,
    ]


def _world(rng: random.Random, today: date) -> list[tuple[Record, str]]:
    catalog, portfolio = "catalog", f"portfolio:{LOGIN}"
    records: list[tuple[Record, str]] = [
        (User(login=LOGIN, name="Ana García", role=Role.SELLER, team_code="EQ01", home_warehouse=HOME), "directory"),
        (Warehouse(code=HOME, name="Almacén Madrid"), catalog),
        (TaxClass(code="IVA21", name="IVA general", rate_percent=Decimal(21)), catalog),
    ]
    records += [(Category(code=f"CAT{c:02d}", name=f"{WORDS[c % len(WORDS)]} {c}"), catalog) for c in range(20)]
    records += [
        (
            Product(
                sku=f"P{n:05d}",
                name=f"{WORDS[n % len(WORDS)]} {SURNAMES[n % len(SURNAMES)]} {n}",
                category_code=f"CAT{n % 20:02d}",
                unit="ud",
                tax_class="IVA21",
                currency="EUR",
                replacement_cost=Decimal(rng.randint(100, 5000)) / 100,
            ),
            catalog,
        )
        for n in range(PRODUCTS)
    ]
    invoice_no = 0
    for n in range(CUSTOMERS):
        code = f"C{n:05d}"
        name = f"{rng.choice(WORDS)} {rng.choice(SURNAMES)} {rng.choice(['S.L.', 'S.A.', 'Hermanos', 'y Cía'])}"
        records.append(
            (
                Customer(
                    code=code,
                    legal_name=name,
                    tax_id=f"B{n:08d}",
                    segment=rng.choice(["oem", "retail"]),
                    city=rng.choice(CITIES),
                    payment_terms="NET30",
                    currency="EUR",
                    seller_login=LOGIN,
                    phone=f"+34 91 {n:06d}",
                    email=f"compras@c{n}.example",
                ),
                portfolio,
            )
        )
        records.append(
            (
                Credit(
                    customer_code=code,
                    currency="EUR",
                    credit_limit=Decimal(rng.choice([5000, 20000, 60000])),
                    open_balance=Decimal(rng.randint(0, 9000)),
                    open_orders=Decimal(0),
                    overdue_amount=Decimal(0),
                    overdue_invoices=0,
                    oldest_overdue_days=0,
                    open_disputes=0,
                    disputed_amount=Decimal(0),
                    prepayment_required=False,
                    **({"blocked": True, "block_reason": "Impagado"} if rng.random() < 0.03 else {"blocked": False}),
                ),
                portfolio,
            )
        )
        records.append(
            (
                Contact(
                    id=f"K{n:05d}",
                    customer_code=code,
                    name=f"{rng.choice(SURNAMES)} {n}",
                    email=f"k{n}@c{n}.example",
                    phone=f"+34 600 {n:06d}",
                ),
                portfolio,
            )
        )
        history = 48 if code == STAR else 2
        for i in range(history):
            invoice_no += 1
            day = (
                today - timedelta(days=15 * (i + 1) + rng.randint(0, 5))
                if code == STAR
                else today - timedelta(days=rng.randint(20, 400))
            )
            number = f"F{invoice_no:07d}"
            lines = _invoice(number, code, day, rng, 6 if code == STAR else 3)
            records += [(r, portfolio) for r in lines]
            if day < today - timedelta(days=60):
                records.append(
                    (
                        Payment(
                            id=f"PG{invoice_no:07d}",
                            customer_code=code,
                            invoice_number=number,
                            payment_date=day + timedelta(days=55),
                            currency="EUR",
                            amount=lines[0].gross_amount,
                        ),
                        portfolio,
                    )
                )  # type: ignore[attr-defined]
    return records


def _device(work: Path, rng: random.Random) -> Session:
    store = open_user_store(work, LOGIN)
    records = _world(rng, datetime.now(UTC).date())
    fill_store(store, records)
    now = datetime.now(UTC)
    with store.write() as db:
        save_state(
            db,
            client_id=uuid4(),
            login=LOGIN,
            name="Ana García",
            role="seller",
            team_code="EQ01",
            home_warehouse=HOME,
            token="bench-token",
            token_expires_at=now + timedelta(days=7),
            last_success_at=now - timedelta(minutes=30),
        )
    write_last_login(work, LOGIN)
    return offline_session(work, store, LOGIN, HOME, "EQ01")


def main() -> int:
    rng = random.Random(20261126)
    work = Path(tempfile.mkdtemp(prefix="terreno-bench-app-"))
    results: dict = {
        "benchmark": "app",
        "machine": {**machine_info(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "config": {"customers": CUSTOMERS, "history_months": 24},
        "runs": {},
        "baselines": {},
        "targets": TARGETS,
        "met": {},
    }
    try:
        started = time.perf_counter()
        session = _device(work, rng)
        print(f"device: {CUSTOMERS:,} customers built in {time.perf_counter() - started:.1f} s", flush=True)
        total = f"{CUSTOMERS:,}"
        queries = [
            "madrid",
            "peñalara sl",
            "ferreteria",
            "C0424",
            "B0000",
            "sanz",
            "valencia hermanos",
            "cia",
            "mala",
            "suministros garcia",
            "C01",
            "gijon",
            "talleres",
            "bilbao sa",
            "C042",
        ]
        expected = {q: count_customers(session.store, q, CustomerFilters()) for q in queries}
        results["baselines"]["search_service"] = summary(
            [t for q in queries for t in timed_ms(lambda q=q: count_customers(session.store, q, CustomerFilters()))]
        )
        results["baselines"]["customer_360_service"] = summary(timed_ms(lambda: customer_360(session, STAR), 5))
        session.store.close()

        settings = ClientSettings(data_dir=work, server_url="http://127.0.0.1:9", sync_interval_minutes=60)
        with ServerThread(create_web_app(settings)) as app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            warm = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            open_app(warm, app.url)  # Flutter's files into the browser cache, as on a tablet used daily
            wait_text(warm, "today-title", "Today", timeout=120_000)
            warm.context.close()
            to_today, to_portfolio = [], []
            for _ in range(3):
                for route, samples in (("", to_today), ("/portfolio", to_portfolio)):
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    began = time.perf_counter()
                    open_app(page, app.url + route)
                    if route:  # the tablet's start page is the portfolio
                        wait_text(page, "customer-count", f"of {total} customers", timeout=60_000)
                    else:
                        wait_text(page, "today-title", "Today", timeout=60_000)
                    samples.append((time.perf_counter() - began) * 1000)
                    context.close()
            results["runs"]["cold_start_to_today"] = summary(to_today)
            results["runs"]["cold_start_to_portfolio"] = summary(to_portfolio)
            print(
                f"cold start: Today {results['runs']['cold_start_to_today']['median_ms']} ms, "
                f"portfolio of {total} {results['runs']['cold_start_to_portfolio']['median_ms']} ms",
                flush=True,
            )

            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            open_app(page, app.url)
            wait_text(page, "today-title", "Today", timeout=60_000)
            navigate(page, "Portfolio")
            wait_text(page, "customer-count", f"of {total} customers")
            field = page.get_by_role("textbox", name="Search customers")
            searches = []
            for query in queries:
                field.click()
                page.keyboard.press("Control+A")
                page.keyboard.press("Backspace")
                wait_text(page, "customer-count", f"of {total} customers")
                page.keyboard.type(query[:-1])
                began = time.perf_counter()
                page.keyboard.type(query[-1])  # the keystroke that completes the query
                shown = f"{expected[query]:,}"
                wait_text(page, "customer-count", f"of {shown} customer" if expected[query] else "No customer")
                searches.append((time.perf_counter() - began) * 1000)
            results["runs"]["search_as_you_type"] = summary(searches)
            print(
                f"search as you type: median {results['runs']['search_as_you_type']['median_ms']} ms, "
                f"p95 {results['runs']['search_as_you_type']['p95_ms']} ms",
                flush=True,
            )

            opened = []
            for _ in range(5):
                field.click()
                page.keyboard.press("Control+A")
                page.keyboard.type(STAR)
                wait_text(page, "customer-count", "of 1 customer")
                began = time.perf_counter()
                sid(page, f"customer-{STAR}").click()
                wait_text(page, "sales-chart", "Sales by category")
                wait_text(page, "credit-panel", "Available")
                opened.append((time.perf_counter() - began) * 1000)
                navigate(page, "Portfolio")
                field = page.get_by_role("textbox", name="Search customers")
            results["runs"]["customer_360"] = summary(opened)
            print(f"Customer 360 (24 months): median {results['runs']['customer_360']['median_ms']} ms", flush=True)
            context.close()
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    runs = results["runs"]
    results["met"] = {
        "cold_start": runs["cold_start_to_portfolio"]["median_ms"] / 1000 < TARGETS["cold_start_s_max"],
        "search_as_you_type": runs["search_as_you_type"]["median_ms"] < TARGETS["search_ms_max"],
        "customer_360": runs["customer_360"]["median_ms"] < TARGETS["customer_360_ms_max"],
    }
    write_results("app", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
