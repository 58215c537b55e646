"""Raw baselines of a first sync: the same rows bulk-inserted into a fresh SQLite file.

The rows are read back from the device database the sync produced, so a baseline inserts
exactly what the client stored (same tables, row counts, columns and values), with
executemany in one transaction and the client's pragmas (WAL, synchronous=FULL):

    raw      plain tables without keys, indexes or search triggers: the floor
    schema   the device's own tables and indexes (primary keys, secondary indexes; no
             search index): what the schema alone costs, without sync or Python per row

Only the inserts and the commit are timed, not reading the rows back; CPU time is reported
beside wall time because the machine is shared.
"""

import sqlite3
import time
from pathlib import Path

from client.store import ENTITY_TABLES

_CHUNK = 10_000


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _ddl(src: sqlite3.Connection, table: str, keep_schema: bool) -> list[str]:
    if not keep_schema:
        width = len(src.execute(f'PRAGMA table_info("{table}")').fetchall())
        return [f'CREATE TABLE "{table}" ({", ".join(f"c{i}" for i in range(width))})']
    rows = src.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index') "
        "AND sql IS NOT NULL ORDER BY type = 'index'",
        [table],
    ).fetchall()
    return [sql for (sql,) in rows]


def bulk_insert(source: Path, target: Path, keep_schema: bool = False) -> dict:
    """Bulk-insert every synced row of the device database `source` into `target`."""
    _remove(target)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=FULL")
    rows = columns = 0
    seconds = cpu = 0.0
    try:
        dst.execute("BEGIN")
        for table in ENTITY_TABLES.values():
            width = len(src.execute(f'PRAGMA table_info("{table}")').fetchall())
            if not width:
                continue
            for statement in _ddl(src, table, keep_schema):
                dst.execute(statement)
            sql = f'INSERT INTO "{table}" VALUES ({", ".join("?" * width)})'
            cursor = src.execute(f'SELECT * FROM "{table}"')
            while chunk := cursor.fetchmany(_CHUNK):
                started, cpu_started = time.perf_counter(), time.process_time()
                dst.executemany(sql, chunk)
                seconds += time.perf_counter() - started
                cpu += time.process_time() - cpu_started
                rows += len(chunk)
                columns += len(chunk) * width
        started, cpu_started = time.perf_counter(), time.process_time()
        dst.execute("COMMIT")
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    finally:
        src.close()
        dst.close()
        _remove(target)
    return {
        "rows": rows,
        "mean_columns": round(columns / rows, 1) if rows else 0,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "cpu_seconds": round(cpu, 3),
        "rows_per_cpu_second": round(rows / cpu) if cpu else None,
    }


__all__ = ["bulk_insert"]
