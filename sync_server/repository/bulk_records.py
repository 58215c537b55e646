"""Writing many synced records at once (the ERP import): `sync_entity`'s work, in bulk.

A record arrives `Prepared`: its id, bucket, canonical JSON, digest and the values of its
typed row, all made once (the importer makes them while it checks the file, so the write
pass neither parses nor serialises again). New rows go in through the driver itself —
`executemany` on SQLite, `COPY` on PostgreSQL — in the import's transaction: SQLAlchemy's
per-row parameter processing cost more than the database's insert. Updates and deletes,
a few per night, take the ordinary path of `records.py`.

    sync_prepared(conn, entity, items)                the stored rows become `items`
    sync_prepared(conn, entity, items, delta=True,    only `items` are written, `deleted`
                  deleted=ids)                        ids removed; the rest is left alone
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

import msgspec
from sqlalchemy import Connection, Table, and_, bindparam, func, select, text, update

from shared.models import Record
from shared.protocol import record_checksum
from sync_server.repository.changelog import PENDING_KEY, lock_changelog
from sync_server.repository.records import SyncSummary, _delete_stored, _delete_typed, _split_id
from sync_server.repository.tables import ENTITY_TABLES, changes, records
from sync_server.repository.totals import TotalsDelta

_BATCH = 5000
_T = TypeVar("_T")
_ENCODER = msgspec.json.Encoder(order="sorted")
"""Byte for byte `changelog.canonical_json` (sorted keys, no spaces, UTF-8 as is; checked
for every code point in tests/importer/test_import_bulk.py), twenty times faster. Records
hold no floats (decimals are text), so json's refusal of NaN has nothing to refuse here."""


class Prepared(NamedTuple):
    """A record ready to write: everything the write needs, nothing it must compute."""

    record_id: str
    bucket: str
    text: str
    """The canonical JSON of `Record.to_data()`, as the change log stores it."""
    digest: str
    typed: tuple[Any, ...]
    """The typed row's values in `typed_columns(entity)` order, as the driver takes them."""


def typed_columns(entity: str) -> tuple[str, ...]:
    """The typed table's columns, in the order of `Prepared.typed`."""
    return tuple(column.name for column in ENTITY_TABLES[entity].columns)


def preparer(entity: str) -> Callable[[Record, str], Prepared]:
    """A function making one entity's records `Prepared` (its columns looked up once)."""
    names = typed_columns(entity)
    pick = itemgetter(*names)
    many = len(names) > 1  # itemgetter of one name gives the value, not a 1-tuple

    def prepare(record: Record, bucket: str) -> Prepared:
        data = record.to_data()
        # The JSON form is the stored form on both backends: decimals and dates as text
        # (SQLite's ExactDecimal and Date store that text; PostgreSQL's COPY parses it).
        text = _ENCODER.encode(data)
        return Prepared(
            record.record_id(),
            bucket,
            text.decode(),
            hashlib.blake2b(text, digest_size=16).hexdigest(),
            pick(data) if many else (pick(data),),
        )

    return prepare


def _copy_rows(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` (values in `columns` order) through the driver, in `conn`'s transaction."""
    if not rows:
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    finally:
        cursor.close()


_RECORD_COLUMNS = ("entity", "entity_id", "bucket", "version", "digest", "checksum")
_CHANGE_COLUMNS = ("bucket", "entity", "entity_id", "op", "version", "data", "created_at")


def _stored_time(conn: Connection, when: datetime) -> Any:
    """`when` as the change log's created_at column stores it (its SQLAlchemy type decides)."""
    process = changes.c.created_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return process(when) if process is not None else when


@dataclass(slots=True)
class _Writer:
    """One entity's pending writes, flushed a batch at a time."""

    conn: Connection
    entity: str
    table: Table
    totals: TotalsDelta
    created_at: Any
    inserts: list[Prepared]
    updates: list[tuple[Prepared, tuple[str, int, str]]]
    inserted: int = 0
    updated: int = 0

    def flush(self) -> None:
        if not self.inserts and not self.updates:
            return
        conn, entity, created = self.conn, self.entity, self.created_at
        if self.updates:
            # Changed rows are replaced (delete + insert) so one insert path serves both.
            _delete_typed(
                conn,
                self.table,
                list(self.table.primary_key.columns),
                [_split_id(p.record_id, len(self.table.primary_key.columns)) for p, _ in self.updates],
            )
        typed = [p.typed for p in self.inserts] + [p.typed for p, _ in self.updates]
        _copy_rows(conn, self.table.name, tuple(c.name for c in self.table.columns), typed)
        sums = [record_checksum(entity, p.record_id, 1) for p in self.inserts]  # for `records` and the totals
        _copy_rows(
            conn,
            records.name,
            _RECORD_COLUMNS,
            [(entity, p.record_id, p.bucket, 1, p.digest, sum_) for p, sum_ in zip(self.inserts, sums, strict=True)],
        )
        if self.updates:
            conn.execute(
                update(records).where(and_(records.c.entity == entity, records.c.entity_id == bindparam("rid"))),
                [
                    {
                        "rid": p.record_id,
                        "bucket": p.bucket,
                        "version": old[1] + 1,
                        "digest": p.digest,
                        "checksum": record_checksum(entity, p.record_id, old[1] + 1),
                    }
                    for p, old in self.updates
                ],
            )
        log: list[tuple[Any, ...]] = [(p.bucket, entity, p.record_id, "put", 1, p.text, created) for p in self.inserts]
        for p, (old_bucket, version, _) in self.updates:
            if old_bucket != p.bucket:  # moving between buckets: the old scope must forget the row
                log.append((old_bucket, entity, p.record_id, "delete", version + 1, None, created))
            log.append((p.bucket, entity, p.record_id, "put", version + 1, p.text, created))
        _copy_rows(conn, changes.name, _CHANGE_COLUMNS, log)
        for p, sum_ in zip(self.inserts, sums, strict=True):
            self.totals.add(p.bucket, sum_)
        for p, (old_bucket, old_version, _) in self.updates:
            self.totals.remove(old_bucket, record_checksum(entity, p.record_id, old_version))
            self.totals.add(p.bucket, record_checksum(entity, p.record_id, old_version + 1))
        self.inserted += len(self.inserts)
        self.updated += len(self.updates)
        self.inserts.clear()
        self.updates.clear()


_STATE = select(records.c.entity_id, records.c.bucket, records.c.version, records.c.digest).where(
    records.c.entity == bindparam("entity"), records.c.entity_id.in_(bindparam("ids", expanding=True))
)
"""One statement for every batch: compiled once, its list of ids expanded as it runs (a
literal `in_(ids)` made SQLAlchemy compile 5,000 parameters again for each batch)."""


def _load_state(conn: Connection, entity: str, ids: list[str]) -> dict[str, tuple[str, int, str]]:
    """(bucket, version, digest) of the live records of `entity` among `ids`."""
    buckets: dict[str, str] = {}
    state = {}
    for rid, bucket, version, digest in conn.execute(_STATE, {"entity": entity, "ids": ids}):
        # A handful of buckets repeated over a million rows: one string each, not a million.
        state[rid] = (buckets.setdefault(bucket, bucket), version, digest)
    return state


def _count(conn: Connection, entity: str) -> int:
    return int(conn.execute(select(func.count()).select_from(records).where(records.c.entity == entity)).scalar_one())


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_SEEN = "import_seen"
"""A temporary table of the stored ids a full sync met, to find the ones it did not."""


def _start_seen(conn: Connection) -> None:
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_SEEN} (entity_id VARCHAR(300) NOT NULL)")
    conn.exec_driver_sql(f"DELETE FROM {_SEEN}")


def _unseen_state(conn: Connection, entity: str) -> list[tuple[str, tuple[str, int, str]]]:
    """The live records of `entity` whose ids are not in the seen table (an anti-join: the
    database's work, not a set of every id in this process)."""
    # Indexed once it is full, for this query only: kept, it would slow every batch's insert,
    # and without it SQLite scans the table for each stored record.
    conn.exec_driver_sql(f"CREATE INDEX {_SEEN}_id ON {_SEEN} (entity_id)")
    rows = conn.execute(
        text(
            f"SELECT r.entity_id, r.bucket, r.version, r.digest FROM {records.name} r WHERE r.entity = :entity"
            f" AND NOT EXISTS (SELECT 1 FROM {_SEEN} s WHERE s.entity_id = r.entity_id)"
        ),
        {"entity": entity},
    )
    found = [(rid, (bucket, version, digest)) for rid, bucket, version, digest in rows]
    conn.exec_driver_sql(f"DROP INDEX {_SEEN}_id")
    return found


def sync_prepared(
    conn: Connection,
    entity: str,
    items: Iterable[Prepared],
    *,
    delta: bool = False,
    deleted: Iterable[str] = (),
) -> SyncSummary:
    """Make the stored `entity` rows equal `items` (delta: only those rows, and remove the
    `deleted` ids); write only the differences, to the typed table, `records` and the change
    log. An unchanged record (same digest, same bucket) is not written at all.

    Memory holds one batch, not the stored state nor the ids seen: a full sync writes the
    stored ids it met to a temporary table and finds the dropped ones with an anti-join.
    """
    if conn.info.get(PENDING_KEY) is not None:  # pragma: no cover - a programming error
        raise RuntimeError("sync_prepared writes directly; it cannot run inside pending.held_back")
    lock_changelog(conn)
    writer = _Writer(conn, entity, ENTITY_TABLES[entity], TotalsDelta(), _stored_time(conn, datetime.now(UTC)), [], [])
    unchanged = 0
    # Each batch reads the stored state of its own ids (the primary key's index): holding the
    # whole entity's state (id -> bucket, version, digest) cost 250 bytes a record, over
    # 200 MiB for a million invoice lines. A full sync marks the stored ids it met in a
    # temporary table (a set of them cost ~100 bytes an id), and looks for the ones the
    # export dropped only when the counts say there are some.
    stored_count = None if delta else _count(conn, entity)
    if stored_count:  # nothing stored (a first import): nothing can have been dropped
        _start_seen(conn)
    for batch in _batches(items, _BATCH):
        # Nothing stored (a first import): no state to read, every record is new.
        known = _load_state(conn, entity, [p.record_id for p in batch]) if stored_count != 0 else {}
        if stored_count:  # every id of the batch: the ones it inserts are stored now too
            _copy_rows(conn, _SEEN, ("entity_id",), [(p.record_id,) for p in batch])
        for p in batch:
            current = known.get(p.record_id)
            if current is None:
                writer.inserts.append(p)
            elif current[2] != p.digest or current[0] != p.bucket:
                writer.updates.append((p, current))
            else:
                unchanged += 1
        writer.flush()
    dropped: list[tuple[str, tuple[str, int, str]]] = []
    if delta:
        for chunk in _batches(dict.fromkeys(deleted), _BATCH):
            dropped.extend(_load_state(conn, entity, chunk).items())
    elif stored_count and stored_count != writer.updated + unchanged:
        dropped = _unseen_state(conn, entity)
    if stored_count:
        conn.exec_driver_sql(f"DELETE FROM {_SEEN}")
    for start in range(0, len(dropped), _BATCH):
        _delete_stored(conn, entity, dropped[start : start + _BATCH], writer.totals)
    writer.totals.apply(conn)
    return SyncSummary(entity, writer.inserted, writer.updated, len(dropped), unchanged)


__all__ = ["Prepared", "preparer", "sync_prepared", "typed_columns"]
