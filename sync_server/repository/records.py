"""Writing synced records: typed row, `records` index and change log in one transaction.

`sync_entity` makes the stored rows of one entity equal to a desired set and writes only
the differences (insert, update, move between buckets, delete) to the change log, so a
re-imported export costs devices only its deltas. `put_record` does the same for one row
(push handlers, approvals).
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Connection, Insert, Select, and_, bindparam, delete, insert, select, tuple_, update

from shared.models import MODELS_BY_ENTITY, Record
from shared.protocol import record_checksum
from sync_server.repository.changelog import ChangeRow, append_changes, canonical_json
from sync_server.repository.tables import ENTITY_TABLES, changes, records
from sync_server.repository.totals import TotalsDelta

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Desired:
    """A record as it should be stored, in the bucket that should hold it."""

    record: Record
    bucket: str


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """What `sync_entity` changed for one entity."""

    entity: str
    inserted: int
    updated: int
    deleted: int
    unchanged: int

    @property
    def changes(self) -> int:
        return self.inserted + self.updated + self.deleted


def digest(data: Mapping[str, Any]) -> str:
    """Content digest of a record's canonical JSON (32 hex characters)."""
    return hashlib.blake2b(canonical_json(dict(data)).encode(), digest_size=16).hexdigest()


def typed_row(record: Record) -> dict[str, Any]:
    """The record as a row of its typed table (Decimals exact, JSON columns JSON-safe)."""
    table = ENTITY_TABLES[record.ENTITY]
    python = record.model_dump()
    as_json = record.model_dump(mode="json")
    row = {}
    for name, value in python.items():
        if isinstance(table.c[name].type, JSON):
            row[name] = as_json[name]
        elif isinstance(value, UUID):
            row[name] = str(value)
        else:
            row[name] = value
    return row


def load_state(conn: Connection, entity: str) -> dict[str, tuple[str, int, str]]:
    """Current (bucket, version, digest) of every live record of `entity`, by id."""
    query = select(records.c.entity_id, records.c.bucket, records.c.version, records.c.digest).where(
        records.c.entity == entity
    )
    return {r.entity_id: (r.bucket, r.version, r.digest) for r in conn.execute(query)}


LATEST_PUT = and_(
    changes.c.entity == records.c.entity,
    changes.c.entity_id == records.c.entity_id,
    changes.c.bucket == records.c.bucket,
    changes.c.version == records.c.version,
    changes.c.op == "put",
)
"""Joins a live record (`records`) to its latest put in the change log, which holds its data
(compaction never drops it)."""


def latest_puts() -> Select[Any]:
    """The data of each live record's latest put in the change log (filter it with `.where`
    on `records`' columns)."""
    return select(changes.c.data).select_from(records).join(changes, LATEST_PUT)


def stored_records(conn: Connection, entity: str) -> list[Record]:
    """Every live record of `entity` exactly as it was last written (its latest put in the
    change log, which compaction never drops), so its digest is the stored one to the byte:
    a typed row would come back from PostgreSQL with its decimals padded."""
    model = MODELS_BY_ENTITY[entity]
    query = latest_puts().where(records.c.entity == entity)
    # Read whole before the caller writes the same tables on this connection.
    return [model.model_validate(json.loads(data)) for data in conn.execute(query).scalars()]


def sync_entity(
    conn: Connection,
    entity: str,
    desired: Iterable[Desired],
    on_progress: Callable[[int], None] | None = None,
) -> SyncSummary:
    """Make the stored `entity` rows equal `desired`; write only the differences.

    Differences are written in batches as `desired` is read, so memory holds the stored
    state's index (id → bucket, version, digest) and one batch, not the whole entity.
    """
    table = ENTITY_TABLES[entity]
    key_columns = list(table.primary_key.columns)
    state = load_state(conn, entity)
    totals = TotalsDelta()
    seen: set[str] = set()
    inserts: list[_Pending] = []
    updates: list[_Pending] = []
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for item in desired:
        record_id = item.record.record_id()
        seen.add(record_id)
        data = item.record.to_data()
        new_digest = digest(data)
        current = state.get(record_id)
        if current is None:
            inserts.append(_Pending(record_id, item, data, new_digest, None))
        elif current[2] != new_digest or current[0] != item.bucket:
            updates.append(_Pending(record_id, item, data, new_digest, current))
        else:
            counts["unchanged"] += 1
        if len(inserts) + len(updates) >= _BATCH:
            _write_batch(conn, entity, table, key_columns, inserts, updates, counts, totals)
    _write_batch(conn, entity, table, key_columns, inserts, updates, counts, totals)

    deletes = [(rid, st) for rid, st in state.items() if rid not in seen]
    for start in range(0, len(deletes), _BATCH):
        _delete_stored(conn, entity, deletes[start : start + _BATCH], totals)
    totals.apply(conn)
    summary = SyncSummary(entity, counts["inserted"], counts["updated"], len(deletes), counts["unchanged"])
    if on_progress:
        on_progress(summary.changes + summary.unchanged)
    return summary


def delete_record(conn: Connection, entity: str, record_id: str) -> bool:
    """Delete one live record: typed row, `records`, totals, and a delete in the change log
    (devices remove it). False if there was no such record."""
    current = conn.execute(
        select(records.c.bucket, records.c.version, records.c.digest).where(
            records.c.entity == entity, records.c.entity_id == record_id
        )
    ).first()
    if current is None:
        return False
    totals = TotalsDelta()
    _delete_stored(conn, entity, [(record_id, tuple(current))], totals)
    totals.apply(conn)
    return True


def _delete_stored(
    conn: Connection, entity: str, chunk: list[tuple[str, tuple[str, int, str]]], totals: TotalsDelta
) -> None:
    """Delete stored records (id, (bucket, version, digest)) and log their deletes."""
    table = ENTITY_TABLES[entity]
    key_columns = list(table.primary_key.columns)
    _delete_typed(conn, table, key_columns, [_split_id(rid, len(key_columns)) for rid, _ in chunk])
    conn.execute(delete(records).where(records.c.entity == entity, records.c.entity_id.in_([rid for rid, _ in chunk])))
    append_changes(
        conn, (ChangeRow(bucket, entity, rid, "delete", version + 1, None) for rid, (bucket, version, _) in chunk)
    )
    for rid, (bucket, version, _) in chunk:
        totals.remove(bucket, record_checksum(entity, rid, version))


@dataclass(frozen=True, slots=True)
class _Pending:
    record_id: str
    item: Desired
    data: dict[str, Any]
    digest: str
    current: tuple[str, int, str] | None

    @property
    def stored(self) -> tuple[str, int, str]:
        """(bucket, version, digest) of an update's stored row."""
        assert self.current is not None, "an insert has no stored row"
        return self.current


def _write_batch(
    conn, entity, table, key_columns, inserts: list[_Pending], updates: list[_Pending], counts, totals: TotalsDelta
) -> None:
    """Write one batch of inserts and updates, then empty both lists."""
    if not inserts and not updates:
        return
    # Typed rows: changed rows are replaced (delete + insert) so one batched path serves both.
    _delete_typed(conn, table, key_columns, [_key_of(u.item.record, key_columns) for u in updates])
    _insert_batched(conn, table, [typed_row(p.item.record) for p in (*inserts, *updates)])
    _insert_batched(
        conn,
        records,
        [
            {
                "entity": entity,
                "entity_id": p.record_id,
                "bucket": p.item.bucket,
                "version": 1,
                "digest": p.digest,
                "checksum": record_checksum(entity, p.record_id, 1),
            }
            for p in inserts
        ],
    )
    if updates:
        conn.execute(
            update(records).where(and_(records.c.entity == entity, records.c.entity_id == bindparam("rid"))),
            [
                {
                    "rid": p.record_id,
                    "bucket": p.item.bucket,
                    "version": p.stored[1] + 1,
                    "digest": p.digest,
                    "checksum": record_checksum(entity, p.record_id, p.stored[1] + 1),
                }
                for p in updates
            ],
        )
    append_changes(conn, _change_rows(entity, inserts, updates))
    for p in inserts:
        totals.add(p.item.bucket, record_checksum(entity, p.record_id, 1))
    for p in updates:
        old_bucket, old_version, _ = p.stored
        totals.remove(old_bucket, record_checksum(entity, p.record_id, old_version))
        totals.add(p.item.bucket, record_checksum(entity, p.record_id, old_version + 1))
    counts["inserted"] += len(inserts)
    counts["updated"] += len(updates)
    inserts.clear()
    updates.clear()


def _change_rows(entity: str, inserts: list[_Pending], updates: list[_Pending]):
    for p in inserts:
        yield ChangeRow(p.item.bucket, entity, p.record_id, "put", 1, p.data)
    for p in updates:
        old_bucket, version, _ = p.stored
        if old_bucket != p.item.bucket:
            # Moving between buckets: the old scope must forget the row.
            yield ChangeRow(old_bucket, entity, p.record_id, "delete", version + 1, None)
        yield ChangeRow(p.item.bucket, entity, p.record_id, "put", version + 1, p.data)


def _key_of(record: Record, key_columns) -> tuple:
    row = typed_row(record)
    return tuple(row[c.name] for c in key_columns)


def _split_id(record_id: str, parts: int) -> tuple:
    values = record_id.split("|")
    if len(values) != parts:
        raise ValueError(f"record id {record_id!r} does not have {parts} parts")
    return tuple(values)


def _delete_typed(conn: Connection, table, key_columns, keys: list[tuple]) -> None:
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        if not chunk:
            continue
        if len(key_columns) == 1:
            conn.execute(delete(table).where(key_columns[0].in_([k[0] for k in chunk])))
        else:
            # Composite keys come back from ids as text; compare on text so numeric parts match.
            conn.execute(
                delete(table).where(
                    tuple_(*key_columns).in_([tuple(_coerce(c, v) for c, v in zip(key_columns, k)) for k in chunk])
                )
            )


def _coerce(column, value):
    python_type = getattr(column.type, "python_type", str)
    if isinstance(value, str) and python_type is not str:
        if python_type is int:
            return int(value)
        if python_type is date:
            return date.fromisoformat(value)
        if python_type is Decimal:
            return Decimal(value)
    return value


def _insert_batched(conn: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        if chunk:
            conn.execute(insert(table), chunk)


@dataclass(frozen=True, slots=True)
class StoredState:
    """Where a live record is, its version and content digest (a row of `records`)."""

    bucket: str
    version: int
    digest: str


def stored_state(conn: Connection, entity: str, record_id: str) -> StoredState | None:
    """The live record's bucket, version and digest, or None."""
    found = conn.execute(_STORED_STATE, {"entity": entity, "entity_id": record_id}).first()
    return StoredState(found.bucket, found.version, found.digest) if found is not None else None


_STORED_STATE = select(records.c.bucket, records.c.version, records.c.digest).where(
    records.c.entity == bindparam("entity"), records.c.entity_id == bindparam("entity_id")
)
"""Built once: read for each record a push writes. A statement built anew on every call
costs SQLAlchemy its construction and its cache key each time, about what running it
costs on SQLite."""


def put_record(conn: Connection, record: Record, bucket: str) -> int:
    """Insert or update one record (if it changed); return its version."""
    return put_record_at(conn, record, bucket, stored_state(conn, record.ENTITY, record.record_id()))


def put_record_at(conn: Connection, record: Record, bucket: str, current: StoredState | None) -> int:
    """As `put_record`, for a caller that has just read the record's `stored_state`."""
    entity = record.ENTITY
    rid = record.record_id()
    data = record.to_data()
    new_digest = digest(data)
    if current is not None and current.digest == new_digest and current.bucket == bucket:
        return current.version
    table = ENTITY_TABLES[entity]
    key_columns = list(table.primary_key.columns)
    row = typed_row(record)
    if current is None:
        version = 1
        checksum = record_checksum(entity, rid, 1)
        index_row = {
            "r_entity": entity,
            "r_entity_id": rid,
            "r_bucket": bucket,
            "r_digest": new_digest,
            "r_checksum": checksum,
        }
        if conn.dialect.name == "postgresql":
            # One statement (the index row in a data-modifying WITH): a push's hot path, and
            # each statement costs the server process about as much as SQLite's two.
            conn.execute(_new_record_statement(entity), {**row, **index_row})
        else:
            conn.execute(_NEW_INDEX_ROW, index_row)
            conn.execute(_typed_insert(entity), row)
    else:
        version = current.version + 1
        _delete_typed(conn, table, key_columns, [_key_of(record, key_columns)])
        conn.execute(
            update(records)
            .where(records.c.entity == entity, records.c.entity_id == rid)
            .values(bucket=bucket, version=version, digest=new_digest, checksum=record_checksum(entity, rid, version))
        )
        conn.execute(_typed_insert(entity), row)
    totals = TotalsDelta()
    if current is not None:
        totals.remove(current.bucket, record_checksum(entity, rid, current.version))
    totals.add(bucket, record_checksum(entity, rid, version))
    totals.apply(conn)
    rows = []
    if current is not None and current.bucket != bucket:
        rows.append(ChangeRow(current.bucket, entity, rid, "delete", version, None))
    rows.append(ChangeRow(bucket, entity, rid, "put", version, data))
    append_changes(conn, rows)
    return version


_NEW_INDEX_ROW = insert(records).values(
    entity=bindparam("r_entity"),
    entity_id=bindparam("r_entity_id"),
    bucket=bindparam("r_bucket"),
    version=1,
    digest=bindparam("r_digest"),
    checksum=bindparam("r_checksum"),
)
"""A new record's index row (parameters `r_…`), built once (see `_STORED_STATE`)."""


@cache
def _new_record_statement(entity: str) -> Insert:
    """PostgreSQL: a new record's typed row (parameters: its columns) with its index row
    (`_NEW_INDEX_ROW`) in a data-modifying WITH; built once per entity."""
    return _typed_insert(entity).add_cte(_NEW_INDEX_ROW.cte("indexed"))


@cache
def _typed_insert(entity: str) -> Insert:
    """The insert of a row of `entity`'s typed table (parameters: its columns), built once."""
    return insert(ENTITY_TABLES[entity])


def live_version(conn: Connection, entity: str, record_id: str) -> int | None:
    """The version of a live record, or None."""
    version = conn.execute(
        select(records.c.version).where(records.c.entity == entity, records.c.entity_id == record_id)
    ).scalar()
    return None if version is None else int(version)


__all__ = [
    "LATEST_PUT",
    "Desired",
    "StoredState",
    "SyncSummary",
    "delete_record",
    "digest",
    "latest_puts",
    "load_state",
    "put_record",
    "put_record_at",
    "stored_state",
    "stored_records",
    "sync_entity",
    "typed_row",
]
