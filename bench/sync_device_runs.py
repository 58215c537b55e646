"""The many-devices part of `make bench-sync`: one server (SQLite or PostgreSQL, N worker
processes) against simulated devices in push + pull rounds, the CPU each process used, and
the exactly-once audit afterwards (the devices themselves: bench/sync_devices.py)."""

import asyncio
import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bench.sync_devices import audit, register_devices, run_devices, seed_devices_db
from bench.sync_fixtures import WORK, drop_run_database, remove_database
from bench.sync_serving import ServerProcess, postgres_cpu_seconds, with_application_name
from sync_server.repository.database import make_engine

if TYPE_CHECKING:
    from bench.sync_config import Config


def _postgres_schema_url(base: str) -> tuple[str, str, sa.Engine]:
    schema = f"bench_sync_{uuid.uuid4().hex[:8]}"
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    url = with_application_name(f"{base}{joiner}options=-csearch_path%3D{schema}", schema)
    return url, schema, admin


def bench_devices(config: "Config", backend: str, workers: int, devices: int, results: dict) -> None:
    """`devices` devices against one server on `backend` with `workers` processes, then the audit."""
    per_seller = max(1, devices // config.device_sellers)
    admin = schema = None
    if backend == "sqlite":
        db = WORK / "server-devices.db"
        remove_database(db)
        url = f"sqlite:///{db.resolve()}"
    else:
        url, schema, admin = _postgres_schema_url(config.postgres_url)
    engine = make_engine(url)
    try:
        seed_devices_db(engine, config.device_sellers)
        with ServerProcess(url, WORK / "server", workers) as server:
            fleet = register_devices(engine, config.device_sellers, per_seller)

            def cpu() -> dict[str, float]:
                by_process = server.cpu_by_process()
                if admin is not None:
                    # The server's own backends (named after the schema), not the machine's.
                    by_process["postgresql"] = postgres_cpu_seconds(admin, schema)
                return by_process

            figures = asyncio.run(
                run_devices(server.url, fleet, config.device_rounds, config.push_mutations, config.device_seconds, cpu)
            )
            figures["server_peak_rss_mib"] = server.peak_rss_mib()
        figures["server_workers"] = workers
        figures["audit"] = audit(engine, fleet)
    finally:
        engine.dispose()
        drop_run_database(admin, schema, db if backend == "sqlite" else None)
    results["runs"]["devices"][device_run_name(backend, workers, devices)] = figures
    a = figures["audit"]
    database = (
        f", PostgreSQL {figures['database_cpu_ms_per_round']} ms/round"
        if "database_cpu_ms_per_round" in figures
        else ""
    )
    print(
        f"  {backend:10} {workers} worker(s): {figures['devices']} devices × "
        f"{figures['rounds_done'] / figures['devices']:.0f} rounds in {figures['wall_seconds']:.0f} s: "
        f"{figures['rounds_per_s']} rounds/s, round p50 {figures['round']['p50_ms']:.0f} ms "
        f"p95 {figures['round']['p95_ms']:.0f} ms, errors {figures['errors']}, exactly once {a['exactly_once']}, "
        f"converged {a['converged']} [server CPU {figures['server_cpu_ms_per_round']} ms/round{database}, "
        f"driver CPU {figures['driver_cpu_ms_per_round']} ms/round, {figures['cores_busy']} cores busy]",
        flush=True,
    )


def device_run_name(backend: str, workers: int, devices: int) -> str:
    """Key of one device run in the results, e.g. postgresql_2_workers_1000_devices."""
    return f"{backend}_{workers}_worker{'s' if workers > 1 else ''}_{devices}_devices"


__all__ = ["bench_devices", "device_run_name"]
