"""Per-bucket totals of the device's synced rows, and the server checkpoint to compare them with.

Every synced row keeps the bucket the server sent it in (`_bucket`). Triggers (migration
m0006) keep `bucket_totals` — per bucket, the number of rows with a server version and the
sum of their `record_checksum(entity, id, _version)` modulo 2**32 — in step with the rows,
in the same transaction as any write. So the totals describe the rows as they really are
(a row lost or rolled back by anything shows), and reading them costs one small table
whatever the database size. Rows recorded here and not yet sent back (`_version` 0) are
the device's own and count nowhere.

The caught-up page's checkpoint is stored with that page (`save_checkpoint`, same
transaction), so a verification compares two descriptions of one and the same cursor.
"""

import sqlite3
from itertools import groupby, islice
from operator import itemgetter
from zlib import crc32

from sqlite_utils import Database

from client.store.schema import BUCKET_COLUMN, ENTITY_TABLES, VERSION_COLUMN
from shared.protocol import CHECKSUM_MODULUS, Checkpoint, record_checksum

CHECKSUM_FUNCTION = "terreno_record_checksum"
"""SQL name of `shared.protocol.record_checksum`, which the m0006 triggers call."""

_CHECKPOINT_KEY = "checkpoint"

_SLICE = 10_000

Totals = tuple[int, int]
"""(records, checksum) of one bucket."""

EMPTY: Totals = (0, 0)


def register_checksum_function(conn: sqlite3.Connection) -> None:
    """Make `terreno_record_checksum(entity, id, version)` callable from this connection's SQL.

    Every connection that writes synced tables needs it: their triggers call it.
    """
    conn.create_function(CHECKSUM_FUNCTION, 3, _checksum, deterministic=True)


def _checksum(entity: str, record_id: str, version: int) -> int:
    return record_checksum(entity, str(record_id), int(version))


def read_bucket_totals(db: Database) -> dict[str, Totals]:
    """(records, checksum) of every bucket that holds or held a synced row."""
    return {
        bucket: (int(n), int(s)) for bucket, n, s in db.execute("SELECT bucket, records, checksum FROM bucket_totals")
    }


def synced_tables(db: Database) -> list[tuple[str, str]]:
    """(entity, table) of every stored entity whose table tracks its rows' buckets."""
    found = []
    for entity, table in ENTITY_TABLES.items():
        columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
        if BUCKET_COLUMN in columns:
            found.append((entity, table))
    return found


def rebuild_bucket_totals(db: Database) -> None:
    """Recompute every bucket's totals from the rows (after a bulk sync with the triggers off).

    The checksums are taken here over the rows as read, not by SQLite calling the SQL
    function once a row: the same `record_checksum` text and CRC, at half the cost a row
    on a first sync (bench/sync_breakdown.py).
    """
    records: dict[str, int] = {}
    sums: dict[str, int] = {}
    for entity, table in synced_tables(db):
        # SQLite writes record_checksum's text ('entity|id|version'); Python only runs the
        # CRC, in C, over each run of rows of one bucket (rows arrive bucket by bucket).
        rows = db.execute(
            f"SELECT {BUCKET_COLUMN}, ? || id || '|' || {VERSION_COLUMN} FROM \"{table}\" "
            f"WHERE {VERSION_COLUMN} > 0 AND {BUCKET_COLUMN} IS NOT NULL",
            [f"{entity}|"],
        )
        for bucket, run in groupby(rows, itemgetter(0)):
            # In slices: a bucket of a million rows is never held in memory at once.
            while texts := [text for _, text in islice(run, _SLICE)]:
                sums[bucket] = sums.get(bucket, 0) + sum(map(crc32, map(str.encode, texts)))
                records[bucket] = records.get(bucket, 0) + len(texts)
    db.execute("DELETE FROM bucket_totals")
    db.conn.executemany(
        "INSERT INTO bucket_totals (bucket, records, checksum) VALUES (?, ?, ?)",
        [(bucket, records[bucket], sums[bucket] % CHECKSUM_MODULUS) for bucket in records],
    )


def add_to_bucket_totals(db: Database, added: dict[str, Totals]) -> None:
    """Add (records, checksum) to buckets' totals: rows a bulk load inserted with the triggers down."""
    if added:
        db.conn.executemany(
            "INSERT INTO bucket_totals (bucket, records, checksum) VALUES (?, ?, ?) ON CONFLICT(bucket) DO UPDATE "
            f"SET records = records + excluded.records, checksum = (checksum + excluded.checksum) % {CHECKSUM_MODULUS}",
            [(bucket, records, checksum % CHECKSUM_MODULUS) for bucket, (records, checksum) in added.items()],
        )


def save_checkpoint(db: Database, checkpoint: Checkpoint) -> None:
    """Keep the checkpoint of the page just applied; call in that page's transaction."""
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [_CHECKPOINT_KEY, checkpoint.model_dump_json()],
    )


def read_checkpoint(db: Database) -> Checkpoint | None:
    """The checkpoint stored with the last caught-up page, if any."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [_CHECKPOINT_KEY]).fetchone()
    return None if row is None else Checkpoint.model_validate_json(row[0])


def clear_bucket_totals(db: Database) -> None:
    """Forget the totals and the checkpoint: every synced row was just dropped (replacement sync)."""
    db.execute("DELETE FROM bucket_totals")
    db.execute("DELETE FROM sync_state WHERE key = ?", [_CHECKPOINT_KEY])


__all__ = [
    "CHECKSUM_FUNCTION",
    "add_to_bucket_totals",
    "EMPTY",
    "Totals",
    "clear_bucket_totals",
    "read_bucket_totals",
    "read_checkpoint",
    "rebuild_bucket_totals",
    "register_checksum_function",
    "save_checkpoint",
    "synced_tables",
]
