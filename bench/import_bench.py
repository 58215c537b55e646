"""`make bench-import`: scale-10 ERP import on SQLite and PostgreSQL, beside a raw baseline.

The baseline inserts the same CSV rows, unvalidated, as text into plain tables with the
DB-API's executemany in one transaction: what a bulk load costs with no parsing, checks,
typed columns or change log. The ratio import/baseline is the figure to watch.
"""

import csv
import json
import os
import resource
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.machine import machine_info
from sync_server.importer.demo import generate_demo_export
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES
from sync_server.repository.database import make_engine, migrate

ROOT = Path(__file__).parent
SCALE = int(os.environ.get("BENCH_SCALE", "10"))


def _export_dir() -> Path:
    out = ROOT / "data" / f"scale{SCALE}"
    if not (out / FILES[-1].filename).exists():
        print(f"generating the scale-{SCALE} demo export in {out} ...", flush=True)
        generate_demo_export(out, scale=SCALE)
    return out


def _count_rows(export: Path) -> int:
    total = 0
    for spec in FILES:
        with open(export / spec.filename, encoding="utf-8") as fh:
            total += sum(1 for _ in fh) - 1
    return total


def _raw_baseline(dbapi_conn, export: Path, placeholder: str) -> float:
    """Seconds to insert every CSV row as text with executemany, in one transaction."""
    cur = dbapi_conn.cursor()
    started = time.perf_counter()
    for spec in FILES:
        with open(export / spec.filename, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            table = "raw_" + spec.filename.removesuffix(".csv")
            cur.execute(f"CREATE TABLE {table} ({', '.join(f'c{i} TEXT' for i in range(len(header)))})")
            sql = f"INSERT INTO {table} VALUES ({', '.join([placeholder] * len(header))})"
            batch = []
            for row in reader:
                batch.append(row)
                if len(batch) == 10000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
    dbapi_conn.commit()
    return time.perf_counter() - started


def _bench_backend(name: str, url: str, export: Path, rows: int) -> dict:
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    import_export(engine, export)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = import_export(engine, export)
    reimport_seconds = time.perf_counter() - started
    with engine.connect() as conn:
        changes = conn.execute(sa.text("select count(*) from changes")).scalar()
    raw_conn = engine.raw_connection()
    try:
        baseline = _raw_baseline(raw_conn.driver_connection, export, "?" if name == "sqlite" else "%s")
    finally:
        raw_conn.close()
    engine.dispose()
    result = {
        "rows": rows,
        "import_seconds": round(seconds, 2),
        "import_rows_per_s": round(rows / seconds),
        "reimport_unchanged_seconds": round(reimport_seconds, 2),
        "reimport_changes": second.changes,
        "change_log_rows": changes,
        "baseline_raw_insert_seconds": round(baseline, 2),
        "baseline_raw_insert_rows_per_s": round(rows / baseline),
        "import_vs_raw_ratio": round(seconds / baseline, 2),
        # Process-wide high-water mark so far (Linux reports KiB); the SQLite run comes first.
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(f"{name:10} {json.dumps(result)}", flush=True)
    return result


def main() -> int:
    export = _export_dir()
    rows = _count_rows(export)
    print(f"scale {SCALE}: {rows:,} rows in {len(FILES)} files", flush=True)
    results = {"benchmark": "import", "scale": SCALE, "machine": machine_info(), "backends": {}}
    db_file = ROOT / "results" / "import-bench.db"
    db_file.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    results["backends"]["sqlite"] = _bench_backend("sqlite", f"sqlite:///{db_file}", export, rows)
    pg = os.environ.get("TERRENO_TEST_POSTGRES_URL")
    if pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        base = pg.replace("postgresql://", "postgresql+psycopg://", 1)
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            joiner = "&" if "?" in base else "?"
            url = f"{base}{joiner}options=-csearch_path%3D{schema}"
            results["backends"]["postgresql"] = _bench_backend("postgresql", url, export, rows)
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    out = ROOT / "results" / "import.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
