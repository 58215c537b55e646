"""`make bench-import`: the ERP import at scale 10 on SQLite and PostgreSQL, beside a raw baseline.

Per backend, each step in a process of its own (so its peak memory and CPU are its own):

    full      the whole export into an empty database (then re-imported unchanged)
    delta     a 1 % delta (bench/import_delta.py) onto that database: `import --delta`
    raw       the same CSV rows, unvalidated, as text into plain tables with the DB-API's
              executemany in one transaction: what a bulk load costs with no parsing,
              checks, typed columns or change log

The ratio import/raw is the figure to watch (target ≤ 2), and the delta's seconds (target
< 30). The machine is shared: CPU seconds (this process; PostgreSQL's own work is not in
them) and the load average are recorded beside the wall-clock times.
BENCH_SCALE (default 10) picks the export, BENCH_BACKENDS (default sqlite,postgresql) the
backends (one backend: results in import-<backend>.json).
"""

import csv
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.import_delta import write_delta
from bench.machine import machine_info
from sync_server.importer.delta import import_delta
from sync_server.importer.demo import generate_demo_export
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES
from sync_server.repository import bulk_records
from sync_server.repository.database import make_engine, migrate

ROOT = Path(__file__).parent
SCALE = int(os.environ.get("BENCH_SCALE", "10"))


def _export_dir() -> Path:
    out = ROOT / "data" / f"scale{SCALE}"
    # The last file the generator writes (leads.csv, an optional file, it leaves out).
    if not (out / "fx_rates.csv").exists():
        print(f"generating the scale-{SCALE} demo export in {out} ...", flush=True)
        generate_demo_export(out, scale=SCALE)
    return out


def _count_rows(directory: Path) -> int:
    """Data rows of the export's files (and a delta's deletions) in `directory`."""
    total = 0
    for path in sorted(directory.glob("*.csv")):
        if path.name == "company.csv":
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            total += sum(1 for _ in csv.reader(fh)) - 1
    return total


def _raw_baseline(dbapi_conn, export: Path, placeholder: str, one_transaction: bool = True) -> None:
    """Insert every CSV row as text with executemany, in one transaction.

    On SQLite, `one_transaction=False` is the baseline of the figures before 2026-12-06:
    make_engine's connections leave pysqlite's own transactions off, so that executemany
    committed each row (WAL, synchronous=NORMAL: no fsync, but a commit a row).
    """
    cur = dbapi_conn.cursor()
    if placeholder == "?" and one_transaction:
        cur.execute("BEGIN")
    for spec in FILES:
        if not (export / spec.filename).exists():
            continue  # an optional file the demo export leaves out
        with open(export / spec.filename, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            table = "raw_" + spec.filename.removesuffix(".csv")
            cur.execute(f"DROP TABLE IF EXISTS {table}")
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


class _DriverInserts:
    """The CPU of the import's inserts through the driver (`bulk_records._copy_rows`: each new
    record's typed row, its `records` row and its change), counted around the function: the
    part of the import that no faster validation could take away."""

    def __init__(self) -> None:
        self.cpu_seconds = 0.0
        self.rows = 0
        self._copy = bulk_records._copy_rows

    def __call__(self, conn, table, columns, rows) -> None:
        started = time.process_time()
        self._copy(conn, table, columns, rows)
        self.cpu_seconds += time.process_time() - started
        self.rows += len(rows)


def _step(step: str, url: str, directory: Path) -> dict:
    """One step in this process: its wall and CPU seconds and this process's peak memory."""
    engine = make_engine(url)
    started, cpu = time.perf_counter(), time.process_time()
    result: dict = {}
    if step == "full":
        migrate(engine)
        inserts = _DriverInserts()
        bulk_records._copy_rows = inserts
        started, cpu = time.perf_counter(), time.process_time()
        report = import_export(engine, directory)
        result["changes"] = report.changes
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        bulk_records._copy_rows = inserts._copy
        result["driver_inserts_cpu_seconds"] = round(inserts.cpu_seconds, 2)
        result["driver_insert_rows"] = inserts.rows
        result["reimport_unchanged_seconds"] = round(_reimport(engine, directory), 2)
    elif step == "delta":
        report = import_delta(engine, directory)
        result.update(
            changes=report.changes,
            inserted=report.inserted,
            updated=report.updated,
            deleted=report.deleted,
            unchanged=report.unchanged,
        )
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    else:
        raw = engine.raw_connection()
        try:
            started, cpu = time.perf_counter(), time.process_time()
            placeholder = "?" if url.startswith("sqlite") else "%s"
            _raw_baseline(raw.driver_connection, directory, placeholder, one_transaction=step == "raw")
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        finally:
            raw.close()
    if step == "full":
        with engine.connect() as conn:
            result["change_log_rows"] = conn.execute(sa.text("select count(*) from changes")).scalar()
    engine.dispose()
    # VmHWM, this process's own high-water mark: getrusage's ru_maxrss survives exec, so a
    # child would report its parent's peak (the delta writer's) if that was higher.
    # The full step's peak includes the unchanged re-import after it.
    peak = round(_own_peak_kib() / 1024)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2), "peak_rss_mib": peak, **result}


def _own_peak_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # pragma: no cover - not Linux


def _reimport(engine, directory: Path) -> float:
    started = time.perf_counter()
    report = import_export(engine, directory)
    assert report.changes == 0, "an unchanged export re-imported must change nothing"
    return time.perf_counter() - started


def _child(step: str, url: str, directory: Path) -> dict:
    """Run one step in a process of its own; its JSON is the last line it prints."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "--step", step, url, str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bench_backend(name: str, url: str, export: Path, delta: Path, rows: int, delta_rows: int) -> dict:
    load = os.getloadavg()
    full = _child("full", url, export)
    print(f"{name:10} full  {json.dumps(full)}", flush=True)
    part = _child("delta", url, delta)
    print(f"{name:10} delta {json.dumps(part)}", flush=True)
    raw = _child("raw", url, export)
    print(f"{name:10} raw   {json.dumps(raw)}", flush=True)
    per_row = _child("raw_row_commits", url, export) if name == "sqlite" else raw
    if name == "sqlite":
        print(f"{name:10} raw, a commit a row {json.dumps(per_row)}", flush=True)
    result = {
        "rows": rows,
        "import_seconds": full["seconds"],
        "import_cpu_seconds": full["cpu_seconds"],
        "import_rows_per_s": round(rows / full["seconds"]),
        "import_peak_rss_mib": full["peak_rss_mib"],
        "reimport_unchanged_seconds": full["reimport_unchanged_seconds"],
        "change_log_rows": full["change_log_rows"],
        "delta_rows": delta_rows,
        "delta_seconds": part["seconds"],
        "delta_cpu_seconds": part["cpu_seconds"],
        "delta_rows_per_s": round(delta_rows / part["seconds"]),
        "delta_peak_rss_mib": part["peak_rss_mib"],
        "delta_changes": {k: part[k] for k in ("inserted", "updated", "deleted", "unchanged")},
        "baseline_raw_insert_seconds": raw["seconds"],
        "baseline_raw_insert_cpu_seconds": raw["cpu_seconds"],
        "baseline_raw_insert_rows_per_s": round(rows / raw["seconds"]),
        "import_vs_raw_ratio": round(full["seconds"] / raw["seconds"], 2),
        "import_vs_raw_cpu_ratio": round(full["cpu_seconds"] / raw["cpu_seconds"], 2),
        # The floor: the import's own inserts through the driver (three rows a record), nothing
        # else. On PostgreSQL only the client's side of COPY: the server's work is not counted.
        "import_driver_inserts_cpu_seconds": full["driver_inserts_cpu_seconds"],
        "import_driver_insert_rows": full["driver_insert_rows"],
        "driver_inserts_vs_raw_cpu_ratio": round(full["driver_inserts_cpu_seconds"] / raw["cpu_seconds"], 2),
        # The baseline of the earlier figures (23,973 rows/s at scale 10): on SQLite a commit a row.
        "baseline_earlier_method_seconds": per_row["seconds"],
        "baseline_earlier_method_rows_per_s": round(rows / per_row["seconds"]),
        "import_vs_earlier_baseline_ratio": round(full["seconds"] / per_row["seconds"], 2),
        "load_average_before": [round(x, 2) for x in load],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"{name:10} {json.dumps(result)}", flush=True)
    return result


def main() -> int:
    if sys.argv[1:2] == ["--step"]:
        step, url, directory = sys.argv[2:5]
        print(json.dumps(_step(step, url, Path(directory))))
        return 0
    export = _export_dir()
    rows = _count_rows(export)
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    delta = write_delta(export, ROOT / "data" / f"scale{SCALE}-delta-{'-'.join(backends)}")
    delta_rows = _count_rows(delta)
    print(f"scale {SCALE}: {rows:,} rows in {len(FILES)} files; delta {delta_rows:,} rows", flush=True)
    results = {"benchmark": "import", "scale": SCALE, "machine": machine_info(), "backends": {}}
    db_file = ROOT / "results" / "import-bench.db"
    db_file.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    if "sqlite" in backends:
        url = f"sqlite:///{db_file}"
        results["backends"]["sqlite"] = _bench_backend("sqlite", url, export, delta, rows, delta_rows)
    pg = os.environ.get("TERRENO_TEST_POSTGRES_URL")
    if pg and "postgresql" in backends:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        base = pg.replace("postgresql://", "postgresql+psycopg://", 1)
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            joiner = "&" if "?" in base else "?"
            url = f"{base}{joiner}options=-csearch_path%3D{schema}"
            results["backends"]["postgresql"] = _bench_backend("postgresql", url, export, delta, rows, delta_rows)
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    out = ROOT / "results" / ("import.json" if len(backends) > 1 else f"import-{backends[0]}.json")
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
