"""The manager's dashboard: the metrics snapshot of a 50-seller team, on SQLite and PostgreSQL.

A synthetic company is written straight into the server's typed tables (bulk inserts; the
change log only where a metric reads it: lost sales' arrival). Per seller, "scale" s: 30 × s
customers, each with 8 invoices of 4 lines in the last year; per month of the last six,
3 × s quote numbers (a third with a second version), 2 × s leads, s approval requests,
s lost sales, s opportunities. Scale 10 is the issue's "50 sellers at scale 10".

Measured, per backend (medians of BENCH_RUNS runs):
- `snapshot_ms`: GET /v1/metrics's work for the team's manager (read + compute, whole team);
- `read_ms` / `compute_ms`: its two halves;
- `after_100_changes_ms`: the snapshot again after 100 new records (quotes, leads, lost
  sales) arrive — the snapshot is recomputed whole, there is no incremental update;
- `seller_snapshot_ms`: one seller's own snapshot (what a seller's device fetches);
- baseline: `count_ms`, a plain COUNT(*) of the quotes table in the same run.
Targets: snapshot < 1 s; update after 100 changes < 100 ms. Results: bench/results/metrics.json.
BENCH_QUICK=1: scale 1, SQLite only, one run.
"""

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from bench.machine import machine_info
from bench.report import write_results
from shared.models import (
    ApprovalRequest,
    Customer,
    Invoice,
    InvoiceLine,
    Lead,
    LostSale,
    Opportunity,
    Quote,
    QuoteLine,
    Record,
    User,
)
from sync_server.repository.database import make_engine
from sync_server.repository.records import typed_row
from sync_server.repository.tables import ENTITY_TABLES, changes
from sync_server.services.metrics import snapshot_for
from tests.servers import migrate_database, new_sqlite_database

QUICK = os.environ.get("BENCH_QUICK") == "1"
SELLERS = 50
SCALE = 1 if QUICK else 10
RUNS = 1 if QUICK else int(os.environ.get("BENCH_RUNS", "3"))
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
_CHUNK = 2_000


class Company:
    """The synthetic company's rows per table, built once and written to each backend."""

    def __init__(self, scale: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.changes: list[dict[str, Any]] = []
        self.sellers = [f"s{n:02d}" for n in range(SELLERS)]
        self._ids = 0
        self.add(User(login="boss", name="Boss", role="manager", team_code="T1"))
        for seller in self.sellers:
            self.add(User(login=seller, name=seller.upper(), role="seller", team_code="T1", home_warehouse="W1"))
            self._portfolio(seller, scale)
            self._activity(seller, scale)

    def uid(self) -> UUID:
        self._ids += 1
        return UUID(int=self._ids)

    def add(self, record: Record) -> None:
        self.rows.setdefault(record.ENTITY, []).append(typed_row(record))

    def _portfolio(self, seller: str, scale: int) -> None:
        for c in range(30 * scale):
            code = f"{seller}-C{c:04d}"
            self.add(Customer(code=code, legal_name=f"Cliente {code}", tax_id=f"B{code}", segment=f"seg{c % 5}",
                              payment_terms="NET30", currency="EUR", seller_login=seller))  # fmt: skip
            for i in range(8):
                issued = TODAY - timedelta(days=self.rng.randrange(5, 365))
                number = f"{code}-F{i}"
                self.add(Invoice(number=number, customer_code=code, issue_date=issued, due_date=issued,
                                 currency="EUR", net_amount=Decimal(400), tax_amount=Decimal(0),
                                 gross_amount=Decimal(400)))  # fmt: skip
                for n in range(4):
                    self.add(InvoiceLine(invoice_number=number, line_no=n + 1, sku=f"P{self.rng.randrange(200)}",
                                         quantity=Decimal(1), unit_price=Decimal(100), net_amount=Decimal(100),
                                         cost_amount=Decimal(60)))  # fmt: skip

    def _activity(self, seller: str, scale: int) -> None:
        for month in range(6):
            start = TODAY - timedelta(days=30 * month + 29)
            for q in range(3 * scale):
                self.quote(seller, f"{seller}-Q{month}-{q}", start + timedelta(days=self.rng.randrange(29)),
                           versions=2 if q % 3 == 0 else 1)  # fmt: skip
            for _ in range(2 * scale):
                self.add(Lead(id=self.uid(), seller_login=seller, name="Lead", channel="web_form",
                              status=self.rng.choice(["new", "contacted", "qualified"]),
                              created_at=datetime.combine(start, datetime.min.time(), UTC)))  # fmt: skip
            for _ in range(scale):
                self.lost_sale(seller, start)
                self.add(Opportunity(id=self.uid(), customer_code=f"{seller}-C0000", seller_login=seller,
                                     title="Más", stage="proposal", currency="EUR", value=Decimal(1000),
                                     probability_percent=Decimal(40)))  # fmt: skip

    def quote(self, seller: str, number: str, issued: date, versions: int = 1) -> None:
        customer = f"{seller}-C{self.rng.randrange(30):04d}"
        for v in range(1, versions + 1):
            status = "sent" if v < versions else self.rng.choice(["sent", "accepted", "lost", "draft", "expired"])
            quote_id = self.uid()
            self.add(Quote(
                id=quote_id, number=number, version=v, customer_code=customer, seller_login=seller, status=status,
                currency="EUR", issue_date=issued, valid_until=issued + timedelta(days=30), payment_terms="NET30",
                lines=(QuoteLine(line_no=1, sku="P1", description="P1", quantity=Decimal(5), unit_price=Decimal(20),
                                 tax_rate_percent=Decimal(21), unit_cost=Decimal(12)),),
                net_total=Decimal(100), gross_total=Decimal(121), lost_reason="price" if status == "lost" else None,
                fired_rules=("credit_warning",) if v == 1 and versions > 1 else (),
            ))  # fmt: skip
            if v == 1 and versions > 1:
                when = datetime.combine(issued, datetime.min.time(), UTC) + timedelta(hours=9)
                self.add(ApprovalRequest(id=self.uid(), quote_id=quote_id, requested_by=seller,
                                         reasons=("credit_warning",), requested_at=when))  # fmt: skip

    def lost_sale(self, seller: str, day: date) -> None:
        lost = LostSale(id=self.uid(), customer_code=f"{seller}-C0001", seller_login=seller, sku="P2",
                        quantity=Decimal(3), currency="EUR", unit_price=Decimal(10))  # fmt: skip
        self.add(lost)
        self.changes.append({"bucket": f"activity:{seller}", "entity": "lost_sale", "entity_id": str(lost.id),
                             "op": "put", "version": 1, "data": None,
                             "created_at": datetime.combine(day, datetime.min.time(), UTC)})  # fmt: skip


def write(engine: sa.Engine, rows: dict[str, list[dict[str, Any]]], log: list[dict[str, Any]]) -> float:
    """Bulk-insert the rows; seconds taken."""
    started = time.perf_counter()
    with engine.begin() as conn:
        for entity, table_rows in rows.items():
            table = ENTITY_TABLES[entity]
            for i in range(0, len(table_rows), _CHUNK):
                conn.execute(sa.insert(table), table_rows[i : i + _CHUNK])
        for i in range(0, len(log), _CHUNK):
            conn.execute(sa.insert(changes), log[i : i + _CHUNK])
    return time.perf_counter() - started


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def hundred_changes(company: Company) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """100 new records of this month: 60 quote versions, 30 leads, 10 lost sales."""
    fresh = Company.__new__(Company)
    fresh.rng, fresh.rows, fresh.changes, fresh._ids = random.Random(99), {}, [], 10**9
    for n in range(60):
        fresh.quote(company.sellers[n % SELLERS], f"NEW-{n}", TODAY)
    fresh.rows.pop("approval_request", None)
    for n in range(30):
        fresh.add(Lead(id=fresh.uid(), seller_login=company.sellers[n % SELLERS], name="Nuevo", channel="phone",
                       created_at=NOW))  # fmt: skip
    for n in range(10):
        fresh.lost_sale(company.sellers[n % SELLERS], TODAY)
    return fresh.rows, fresh.changes


def measure(name: str, url: str, company: Company) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        written = write(engine, company.rows, company.changes)
        team = ["boss", *company.sellers]
        with engine.connect() as conn:
            count = median_ms(lambda: conn.execute(sa.text("SELECT count(*) FROM quotes")).scalar(), RUNS)
            snapshot = median_ms(lambda: snapshot_for(conn, team, NOW, "EUR"), RUNS)
            seller = median_ms(lambda: snapshot_for(conn, [company.sellers[0]], NOW, "EUR"), RUNS)
        new_rows, new_log = hundred_changes(company)
        write(engine, new_rows, new_log)
        with engine.connect() as conn:
            after = median_ms(lambda: snapshot_for(conn, team, NOW, "EUR"), RUNS)
        halves = _halves(engine, team)
        return {
            "backend": name,
            "rows_written": sum(len(r) for r in company.rows.values()),
            "write_seconds": round(written, 1),
            "count_ms": count,
            "snapshot_ms": snapshot,
            **halves,
            "after_100_changes_ms": after,
            "seller_snapshot_ms": seller,
            "snapshot_target_met": snapshot < 1000,
            "update_target_met": after < 100,
        }
    finally:
        engine.dispose()


def _halves(engine: sa.Engine, team: list[str]) -> dict[str, float]:
    from sync_server.repository.metric_reads import read_metric_records
    from sync_server.services.metrics import compute_snapshot, periods_of

    periods = periods_of(TODAY)
    first = min(previous.start for _, previous in periods.values())
    with engine.connect() as conn:
        read = median_ms(lambda: read_metric_records(conn, team, first, TODAY, TODAY), RUNS)
        records = read_metric_records(conn, team, first, TODAY, TODAY)
    compute = median_ms(lambda: compute_snapshot(records, team, periods, NOW, "EUR"), RUNS)
    return {"read_ms": read, "compute_ms": compute}


def main() -> None:
    company = Company(SCALE)
    results: dict[str, Any] = {"machine": machine_info(), "sellers": SELLERS, "scale": SCALE, "runs": RUNS}
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "server.db"
        new_sqlite_database(path)
        runs.append(measure("sqlite", f"sqlite:///{path.as_posix()}", company))
        print(runs[-1], flush=True)
        pg = os.environ.get("TERRENO_TEST_POSTGRES_URL")
        if pg and not QUICK:
            url = _fresh_postgres(pg)
            runs.append(measure("postgresql", url, company))
            print(runs[-1], flush=True)
    results["runs_by_backend"] = runs
    results["met"] = {
        f"{r['backend']}: team snapshot < 1 s ({r['snapshot_ms']} ms)": r["snapshot_target_met"] for r in runs
    } | {f"{r['backend']}: update after 100 changes < 100 ms ({r['after_100_changes_ms']} ms)": r["update_target_met"]
         for r in runs}  # fmt: skip
    write_results("metrics", results)


def _fresh_postgres(base: str) -> str:
    """A new schema in the test database, migrated, and a URL that uses it."""
    from sync_server.settings import ServerSettings

    schema = f"bench_metrics_{os.getpid()}"
    engine = make_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"
    migrate_database(ServerSettings(data_dir=Path(tempfile.mkdtemp()), database_url=url))
    return ServerSettings(database_url=url).database_url


if __name__ == "__main__":
    main()
