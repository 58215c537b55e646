"""The manager's dashboard: the metrics snapshot of a 50-seller team, on SQLite and PostgreSQL.

A synthetic company is written straight into the server's typed tables (bulk inserts; the
change log only where a metric reads it: lost sales' arrival). Per seller, "scale" s: 30 × s
customers, each with 8 invoices of 4 lines in the last year; per month of the last six,
3 × s quote numbers (a third with a second version), 2 × s leads, s approval requests,
s lost sales, s opportunities. Scale 10 is the issue's "50 sellers at scale 10".

Measured per backend and scale (medians of BENCH_RUNS runs; one run at scale 30), with this
process's CPU seconds and the load average (the machine is shared):
- `full_snapshot_ms`: the snapshot computed whole from the records (`metrics.snapshot_for`,
  what GET /v1/metrics did before the figures were kept): the same-run baseline;
- `first_kept_snapshot_ms`: the first snapshot from kept parts, which makes them all;
- `snapshot_ms`: GET /v1/metrics's work for the team's manager from kept parts
  (`metric_kept.kept_snapshot`: catch up with the change log, read and add up the parts);
- `seller_snapshot_ms`: one seller's own;
- `first_segment_snapshot_ms`, `segment_snapshot_ms`: the team's snapshot narrowed to one of
  five segments, the first time (which makes the segment's parts) and then from its kept parts;
- `update_100_changes_ms`: 100 new records of this month (60 quote versions, 30 leads, 10
  lost sales, with their change-log entries) spread over the 50 sellers, applied to the kept
  parts (`update_kept`); then `snapshot_after_update_ms`; `update_100_changes_one_seller_ms`:
  the same 100 from one seller (one device's push);
- `update_older_changes_ms`: new versions (accepted) of up to 100 quote numbers first
  offered earlier this month (`older_changes`), spread over the sellers: they remake each
  touched seller's days of the month before today, not only today's;
- `count_ms`: a plain COUNT(*) of the quotes table.
Targets: snapshot < 1 s; update after 100 changes < 100 ms. Results: bench/results/metrics.json.
BENCH_QUICK=1: scale 1, SQLite only, one run. BENCH_SCALES (PostgreSQL, default "1,10,30")
and BENCH_SQLITE_SCALE (default 10; 0: none) choose the scales.
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
from shared.rules.metric_filters import EVERYTHING, MetricFilter
from sync_server.repository.database import make_engine
from sync_server.repository.records import typed_row
from sync_server.repository.tables import ENTITY_TABLES, changes
from sync_server.services.metric_kept import kept_snapshot, update_kept
from sync_server.services.metrics import snapshot_for
from tests.servers import migrate_database, new_sqlite_database

QUICK = os.environ.get("BENCH_QUICK") == "1"
SELLERS = 50
SQLITE_SCALE = 1 if QUICK else int(os.environ.get("BENCH_SQLITE_SCALE", "10"))
PG_SCALES = [] if QUICK else [int(x) for x in os.environ.get("BENCH_SCALES", "1,10,30").split(",") if x]
RUNS = 1 if QUICK else int(os.environ.get("BENCH_RUNS", "3"))
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
_CHUNK = 2_000


_INVOICE = typed_row(Invoice(number="F", customer_code="C", issue_date=TODAY, due_date=TODAY, currency="EUR",
                             net_amount=Decimal(400), tax_amount=Decimal(0), gross_amount=Decimal(400)))  # fmt: skip
_LINE = typed_row(InvoiceLine(invoice_number="F", line_no=1, sku="P1", quantity=Decimal(1), unit_price=Decimal(100),
                              net_amount=Decimal(100), cost_amount=Decimal(60)))  # fmt: skip


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
        invoices = self.rows.setdefault("invoice", [])
        lines = self.rows.setdefault("invoice_line", [])
        for c in range(30 * scale):
            code = f"{seller}-C{c:04d}"
            self.add(Customer(code=code, legal_name=f"Cliente {code}", tax_id=f"B{code}", segment=f"seg{c % 5}",
                              payment_terms="NET30", currency="EUR", seller_login=seller))  # fmt: skip
            # the bulk of the rows: copies of one validated row (scale 30 writes 1.4 M lines)
            for i in range(8):
                issued = TODAY - timedelta(days=self.rng.randrange(5, 365))
                number = f"{code}-F{i}"
                invoices.append(_INVOICE | {"number": number, "customer_code": code, "issue_date": issued,
                                            "due_date": issued})  # fmt: skip
                for n in range(4):
                    lines.append(_LINE | {"invoice_number": number, "line_no": n + 1,
                                          "sku": f"P{self.rng.randrange(200)}"})  # fmt: skip

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
    if engine.dialect.name == "postgresql":
        # as autovacuum does soon after a bulk load: without statistics the planner takes the
        # freshly filled tables for empty ones and scans them whole; and the checkpoint the
        # load's WAL calls for, now rather than in the middle of the measures
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in [*(ENTITY_TABLES[entity].name for entity in rows), changes.name]:
                conn.execute(sa.text(f"ANALYZE {table}"))
            if sum(len(r) for r in rows.values()) > 10_000:
                conn.execute(sa.text("CHECKPOINT"))
    return time.perf_counter() - started


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def hundred_changes(run: int, sellers: list[str]) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """100 new records of this month by `sellers` in turn: 60 quote versions, 30 leads, 10 lost
    sales, with their change-log entries (as a push writes them)."""
    fresh = Company.__new__(Company)
    fresh.rng, fresh.rows, fresh.changes, fresh._ids = random.Random(99 + run), {}, [], 10**9 + 1000 * run
    for n in range(60):
        fresh.quote(sellers[n % len(sellers)], f"NEW-{run}-{n}", TODAY)
    fresh.rows.pop("approval_request", None)
    for n in range(30):
        fresh.add(Lead(id=fresh.uid(), seller_login=sellers[n % len(sellers)], name="Nuevo", channel="phone",
                       created_at=NOW))  # fmt: skip
    for n in range(10):
        fresh.lost_sale(sellers[n % len(sellers)], TODAY)
    for entity in ("quote", "lead"):
        for row in fresh.rows[entity]:
            fresh.changes.append({"bucket": f"activity:{row['seller_login']}", "entity": entity,
                                  "entity_id": str(row["id"]), "op": "put", "version": 1, "data": None,
                                  "created_at": NOW})  # fmt: skip
    return fresh.rows, fresh.changes


def older_changes(company: Company, run: int) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """New versions (accepted) of up to 100 quote numbers first offered earlier this month,
    spread over the sellers, with their change-log entries: changes that move a seller's days
    before today, not only today's."""
    first_day, latest = TODAY.replace(day=1), {}
    for row in company.rows["quote"]:
        if (
            first_day <= row["issue_date"] < TODAY
            and row["version"] >= latest.get(row["number"], {"version": 0})["version"]
        ):
            latest[row["number"]] = row
    chosen = sorted(latest.values(), key=lambda row: (row["seller_login"], row["number"]))[:100]
    rows, log = [], []
    for n, row in enumerate(chosen):
        quote_id = UUID(int=10**12 + 1000 * run + n)
        rows.append(
            row | {"id": str(quote_id), "version": row["version"] + run + 1, "status": "accepted", "issue_date": TODAY}
        )
        log.append({"bucket": f"activity:{row['seller_login']}", "entity": "quote", "entity_id": str(quote_id),
                    "op": "put", "version": 1, "data": None, "created_at": NOW})  # fmt: skip
    return {"quote": rows}, log


def cpu_and_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median milliseconds of `runs` calls, and median CPU seconds of this process for one."""
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append(time.process_time() - cpu_started)
    return round(statistics.median(wall), 1), round(statistics.median(cpu), 2)


def measure(name: str, url: str, company: Company, scale: int) -> dict[str, Any]:
    engine = make_engine(url)
    runs = 1 if scale >= 30 else RUNS
    try:
        found: dict[str, Any] = {"backend": name, "scale": scale, "load_average_at_start": _load()}
        found["write_seconds"] = round(write(engine, company.rows, company.changes), 1)
        found["rows_written"] = sum(len(r) for r in company.rows.values())
        team = ["boss", *company.sellers]

        def kept(sellers: list[str], where: MetricFilter = EVERYTHING) -> dict[str, Any]:
            with engine.begin() as conn:
                return kept_snapshot(conn, sellers, NOW, "EUR", where)

        def update() -> None:
            with engine.begin() as conn:
                update_kept(conn, NOW, "EUR")

        with engine.connect() as conn:
            found["count_ms"] = median_ms(lambda: conn.execute(sa.text("SELECT count(*) FROM quotes")).scalar(), runs)
            found["full_snapshot_ms"], found["full_snapshot_cpu_s"] = cpu_and_ms(
                lambda: snapshot_for(conn, team, NOW, "EUR"), 1 if scale >= 10 else runs
            )
        found["first_kept_snapshot_ms"], found["first_kept_snapshot_cpu_s"] = cpu_and_ms(lambda: kept(team), 1)
        found["snapshot_ms"], found["snapshot_cpu_s"] = cpu_and_ms(lambda: kept(team), runs)
        found["seller_snapshot_ms"], _ = cpu_and_ms(lambda: kept([company.sellers[0]]), runs)
        segment = MetricFilter(segment="seg0")
        found["first_segment_snapshot_ms"], _ = cpu_and_ms(lambda: kept(team, segment), 1)
        found["segment_snapshot_ms"], found["segment_snapshot_cpu_s"] = cpu_and_ms(lambda: kept(team, segment), runs)
        for key, sellers, offset in (("update_100_changes", company.sellers, 0),
                                     ("update_100_changes_one_seller", company.sellers[:1], 100)):  # fmt: skip
            walls, cpus = [], []
            for run in range(runs):
                write(engine, *hundred_changes(offset + run, sellers))
                ms, cpu = cpu_and_ms(update, 1)
                walls.append(ms)
                cpus.append(cpu)
            found[f"{key}_ms"], found[f"{key}_cpu_s"] = statistics.median(walls), statistics.median(cpus)
            if offset == 0:
                found["snapshot_after_update_ms"], _ = cpu_and_ms(lambda: kept(team), runs)
        walls, cpus = [], []
        for run in range(runs):
            rows, log = older_changes(company, run)
            found["older_changes"] = len(log)
            write(engine, rows, log)
            ms, cpu = cpu_and_ms(update, 1)
            walls.append(ms)
            cpus.append(cpu)
        found["update_older_changes_ms"], found["update_older_changes_cpu_s"] = (
            statistics.median(walls),
            statistics.median(cpus),
        )
        if scale == 1:  # cheap enough here: the kept figures are the ones computed whole
            with engine.connect() as conn:
                found["kept_equals_full"] = kept(team) == snapshot_for(conn, team, NOW, "EUR")
        found["snapshot_target_met"] = found["snapshot_ms"] < 1000
        found["update_target_met"] = found["update_100_changes_ms"] < 100
        found["load_average_at_end"] = _load()
        return found
    finally:
        engine.dispose()


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    runs: list[dict[str, Any]] = []
    results: dict[str, Any] = {"machine": machine_info(), "sellers": SELLERS, "runs": RUNS, "runs_by_backend": runs}
    pg = os.environ.get("TERRENO_TEST_POSTGRES_URL")
    plan = ([("sqlite", SQLITE_SCALE)] if SQLITE_SCALE else []) + ([("postgresql", s) for s in PG_SCALES] if pg else [])
    companies: dict[int, Company] = {}
    for backend, scale in plan:
        for other in [k for k in companies if k != scale]:
            del companies[other]  # one company in memory at a time (scale 30 is large)
        started = time.perf_counter()
        company = companies.setdefault(scale, Company(scale))
        generated = round(time.perf_counter() - started, 1)
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "sqlite":
                path = Path(tmp) / "server.db"
                new_sqlite_database(path)
                url = f"sqlite:///{path.as_posix()}"
            else:
                assert pg is not None
                url = _fresh_postgres(pg)
            runs.append(measure(backend, url, company, scale) | {"generate_seconds": generated})
        print(runs[-1], flush=True)
        write_results("metrics", results | {"met": {}})  # after each: a run cut short keeps what it measured
    results["met"] = {
        f"{r['backend']} scale {r['scale']}: team snapshot < 1 s ({r['snapshot_ms']} ms)": r["snapshot_target_met"]
        for r in runs
    } | {f"{r['backend']} scale {r['scale']}: update after 100 changes < 100 ms ({r['update_100_changes_ms']} ms)":
         r["update_target_met"] for r in runs}  # fmt: skip
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
