"""Replacing the device's copy of one bucket with the server's (DESIGN §4.7).

A repair runs in steps, each its own transaction, so the write lock is never held across
a network request: `begin_bucket_repair` clears the marks of an earlier repair that was cut
short; `apply_bucket_snapshot` writes one page of the server's records as they are now and
marks them received; `finish_bucket_repair` removes the bucket's rows that no page brought
and records the repair. Killed half-way, the store holds correct server rows for what
arrived and the old rows for the rest; the next round's verification finds the bucket
still disagreeing and repairs it again from the start (never resumed from old marks: rows
pulled in between would be unmarked and wrongly removed).

Rows with pending outbox mutations are written as the server has them and then get the
pending mutations re-applied on top, in the same transaction, as a pulled page does; rows
recorded here only (`_version` 0, no bucket) are never touched.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from client.store.bucket_totals import Totals, synced_tables
from client.store.changes import write_server_changes
from client.store.effects import Target, reapply_pending
from client.store.schema import BUCKET_COLUMN, FIELD_TABLES, ID_COLUMN, VERSION_COLUMN
from shared.protocol import BucketSnapshot, Change, Op

if TYPE_CHECKING:
    from client.store.database import Store


@dataclass(frozen=True, slots=True)
class RepairRecord:
    """One bucket repair as the store recorded it (for support and tests)."""

    bucket: str
    at: datetime
    expected: Totals | None
    """The server's (records, checksum); None when the bucket left the device's scope."""
    found: Totals
    written: int
    removed: int


def begin_bucket_repair(store: "Store", bucket: str) -> None:
    """Start a repair of `bucket` from nothing received."""
    with store.write() as db:
        db.execute("DELETE FROM bucket_repair_seen WHERE bucket = ?", [bucket])


def apply_bucket_snapshot(store: "Store", snapshot: BucketSnapshot) -> int:
    """Write one snapshot page as the server has it and mark its records received; rows written."""
    changes = [
        Change(seq=0, bucket=snapshot.bucket, entity=r.entity, id=r.id, op=Op.PUT, version=r.version, data=r.data)
        for r in snapshot.records
    ]
    with store.write() as db:
        written = write_server_changes(store, db, changes)
        db.conn.executemany(
            "INSERT OR IGNORE INTO bucket_repair_seen (bucket, entity, id) VALUES (?, ?, ?)",
            [(snapshot.bucket, r.entity, r.id) for r in snapshot.records],
        )
        touched = {(r.entity, r.id) for r in snapshot.records if r.entity in FIELD_TABLES}
        if touched:
            reapply_pending(db, touched)
    return written


def finish_bucket_repair(
    store: "Store", bucket: str, *, expected: Totals | None, found: Totals, written: int
) -> RepairRecord:
    """Remove the bucket's rows no snapshot page brought, and record the repair.

    With no page applied since `begin_bucket_repair` this empties the bucket: what a device
    does with a bucket the server no longer counts in its scope.
    """
    at = datetime.now(UTC)
    with store.write() as db:
        removed = 0
        touched: set[Target] = set()
        for entity, table in synced_tables(db):
            # A scan of the table (`_bucket` has no index): repairs are rare, rounds are not.
            ids = [
                r[0]
                for r in db.execute(
                    f'SELECT {ID_COLUMN} FROM "{table}" WHERE {BUCKET_COLUMN} = ? AND {VERSION_COLUMN} > 0 '
                    f"AND {ID_COLUMN} NOT IN (SELECT id FROM bucket_repair_seen WHERE bucket = ? AND entity = ?)",
                    [bucket, bucket, entity],
                )
            ]
            if not ids:
                continue
            db.conn.executemany(f'DELETE FROM "{table}" WHERE {ID_COLUMN} = ?', [(i,) for i in ids])
            removed += len(ids)
            if entity in FIELD_TABLES:
                touched.update((entity, i) for i in ids)
        if touched:
            reapply_pending(db, touched)  # a removed row with a pending edit stays, as the device's own
        db.execute("DELETE FROM bucket_repair_seen WHERE bucket = ?", [bucket])
        exp_records, exp_checksum = expected if expected is not None else (None, None)
        db.execute(
            "INSERT INTO bucket_repairs (bucket, at, expected_records, expected_checksum, found_records, "
            "found_checksum, written, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [bucket, at.isoformat(), exp_records, exp_checksum, found[0], found[1], written, removed],
        )
    return RepairRecord(bucket=bucket, at=at, expected=expected, found=found, written=written, removed=removed)


def list_bucket_repairs(store: "Store") -> list[RepairRecord]:
    """Every repair recorded on this device, oldest first."""
    with store.read() as db:
        rows = db.execute(
            "SELECT bucket, at, expected_records, expected_checksum, found_records, found_checksum, "
            "written, removed FROM bucket_repairs ORDER BY id"
        ).fetchall()
    return [
        RepairRecord(
            bucket=b,
            at=datetime.fromisoformat(at),
            expected=None if er is None else (er, ec),
            found=(fr, fc),
            written=w,
            removed=r,
        )
        for b, at, er, ec, fr, fc, w, r in rows
    ]


__all__ = [
    "RepairRecord",
    "apply_bucket_snapshot",
    "begin_bucket_repair",
    "finish_bucket_repair",
    "list_bucket_repairs",
]
