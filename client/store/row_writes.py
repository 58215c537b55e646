"""Writing runs of pulled rows: the hot loop of a first sync, and its bulk-load upkeep.

A run is consecutive changes to one table with one op (changes.py cuts pages into runs).
Puts become multi-row INSERTs of up to 512 rows each (fewer where SQLite takes fewer
bound values):

- An entity whose model has no nested field (every reference entity) takes each row's
  values with one itemgetter, in C, straight into its statement's values; a value SQLite
  cannot bind (a nested one where a scalar belongs) or a missing field sends the run
  through the checked path, value by value, which stores nested values as JSON text and
  missing ones as NULL.
- During a bulk load (bulk_load.py: the upkeep triggers are down), new rows are plain
  INSERTs, and what the triggers would have kept is kept here per run, while the next page
  is still on its way: the bucket totals from the rows as sent, and the search index
  from the rows just inserted. A row that was there already (a second put of one record,
  a local row the server sends back) or a delete that removes one would need the old row:
  the run is upserted instead and the bulk load marked stale, which rebuilds totals and
  search from the tables when it finishes. A table with several search indexes (words,
  infix) fills each from its source.

Every run writes inside a savepoint, so a failed attempt leaves nothing behind.
"""

import functools
import sqlite3
from collections.abc import Callable, Sequence
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any
from zlib import crc32

from sqlite_utils import Database

from client.store import driver
from client.store.bucket_totals import add_to_bucket_totals
from client.store.bulk_load import TOTALS, mark_stale, search_part
from client.store.reference_ddl import SEARCHED_TABLES, SearchIndex
from client.store.schema import BUCKET_COLUMN, ID_COLUMN, VERSION_COLUMN, field_kind, stored_value
from shared.models import MODELS_BY_ENTITY

SYNC_COLUMNS = (ID_COLUMN, VERSION_COLUMN, BUCKET_COLUMN)
"""Columns every synced row has besides its fields (the bucket one on tracked tables)."""


def put_run(
    db: Database, table: str, entity: str, fields: tuple[str, ...], puts: Sequence[Any], *, tracked: bool, bulk: bool
) -> None:
    """Write a run of puts (each with id, version, bucket and data) into `table`."""
    statements = _plain_statements(db, entity, fields, puts, tracked)
    checked = statements is None
    if statements is None:
        statements = _checked_statements(db, fields, puts, tracked)
    insert_only = bulk
    searched = SEARCHED_TABLES.get(table, ()) if bulk else ()
    while True:
        newest = _max_rowid(db, table) if insert_only and searched else None
        db.conn.execute("SAVEPOINT put_run")
        try:
            for count, values in statements:
                db.conn.execute(_write_sql(table, fields, tracked, insert_only, count), values)
        except driver.ProgrammingError:
            if checked:
                raise
            # A value SQLite cannot bind: the run again, checked value by value.
            db.conn.execute("ROLLBACK TO put_run")
            db.conn.execute("RELEASE put_run")
            statements, checked = _checked_statements(db, fields, puts, tracked), True
            continue
        except driver.IntegrityError:
            if not insert_only:
                raise
            # Some row was there already: its old values would be needed to keep totals
            # and search in step, so they are rebuilt from the tables when the load ends.
            db.conn.execute("ROLLBACK TO put_run")
            db.conn.execute("RELEASE put_run")
            mark_stale(db, *_upkeep_of(table))
            insert_only = False
            continue
        db.conn.execute("RELEASE put_run")
        break
    if insert_only:
        for search_index in searched:
            _index_new_rows(db, search_index, newest)
        if tracked:
            add_to_bucket_totals(db, _totals_of(entity, puts))


def delete_run(db: Database, table: str, ids: list[str], *, bulk: bool) -> None:
    """Delete the rows of a run of deletes."""
    cursor = db.conn.executemany(f'DELETE FROM "{table}" WHERE {ID_COLUMN} = ?', [(i,) for i in ids])
    if bulk and cursor.rowcount > 0:
        # A row sent earlier in this load went away: its totals and search entry need its
        # old values, which are gone now.
        mark_stale(db, *_upkeep_of(table))


def _upkeep_of(table: str) -> list[str]:
    """What a bulk load keeps up for `table` as it goes (bulk_load parts)."""
    return [TOTALS, *(search_part(index.name) for index in SEARCHED_TABLES.get(table, ()))]


def _max_rowid(db: Database, table: str) -> int:
    return db.conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]


def _index_new_rows(db: Database, search_index: SearchIndex, newest_before: int | None) -> None:
    # What the search index's insert trigger does row by row, for the rows this run added
    # (rowids past the newest one before it: nothing else writes meanwhile), read from the
    # index's source: the table, or the view that folds its values (an infix index).
    columns = ", ".join(f'"{c}"' for c in _indexed_columns(db, search_index.name))
    rowid = search_index.source_rowid
    db.conn.execute(
        f'INSERT INTO "{search_index.name}" (rowid, {columns}) '
        f'SELECT {rowid}, {columns} FROM "{search_index.source}" WHERE {rowid} > ?',
        [newest_before or 0],
    )


def _indexed_columns(db: Database, search_index: str) -> tuple[str, ...]:
    return tuple(r[1] for r in db.conn.execute(f'PRAGMA table_info("{search_index}")'))


def _totals_of(entity: str, puts: Sequence[Any]) -> dict[str, tuple[int, int]]:
    """(records, checksum) per bucket of rows just inserted, as the totals triggers count them."""
    # shared.protocol.record_checksum, inlined: CRC-32 of 'entity|id|version', its
    # 'entity|' part computed once and carried on from.
    seed = crc32(f"{entity}|".encode())
    # Rows of version 0 count nowhere (the server's never are).
    counted = puts if min(map(_VERSION, puts)) > 0 else [c for c in puts if c.version > 0]
    checksums = [crc32(f"{c.id}|{c.version}".encode(), seed) for c in counted]
    buckets = set(map(_BUCKET, counted))
    if len(buckets) == 1:  # the common case: one bucket a run
        return {buckets.pop(): (len(checksums), sum(checksums))}
    found: dict[str, tuple[int, int]] = {}
    for change, checksum in zip(counted, checksums):  # stock of several warehouses, say
        records, total = found.get(change.bucket, (0, 0))
        found[change.bucket] = (records + 1, total + checksum)
    return found


_BUCKET = attrgetter("bucket")
_VERSION = attrgetter("version")


Statement = tuple[int, list[Any]]
"""An INSERT of some rows: how many, and their values one row after the other."""


def _plain_statements(
    db: Database, entity: str, fields: tuple[str, ...], puts: Sequence[Any], tracked: bool
) -> list[Statement] | None:
    """The statements of a run of puts if every value may bind as it is, else None (check them)."""
    if not _binds_as_sent(entity, fields):
        return None
    take = _getter(fields)
    statements: list[Statement] = []
    start = 0
    try:
        for count in statement_sizes(len(puts), _rows_per_statement(db, len(fields) + 2 + tracked)):
            # Each statement's values straight into one list: no tuple a row kept, no second pass.
            values: list[Any] = []
            add = values.extend
            if tracked:
                for c in puts[start : start + count]:
                    add((c.id, *take(c.data), c.version, c.bucket))
            else:
                for c in puts[start : start + count]:
                    add((c.id, *take(c.data), c.version))
            statements.append((count, values))
            start += count
    except KeyError:  # a field this server did not send: the checked path stores NULL
        return None
    return statements


def _checked_statements(db: Database, fields: tuple[str, ...], puts: Sequence[Any], tracked: bool) -> list[Statement]:
    rows = [_row(fields, c) for c in puts]
    if not tracked:
        rows = [r[:-1] for r in rows]
    statements: list[Statement] = []
    start = 0
    for count in statement_sizes(len(rows), _rows_per_statement(db, len(fields) + 2 + tracked)):
        statements.append((count, list(chain.from_iterable(rows[start : start + count]))))
        start += count
    return statements


@functools.cache
def _binds_as_sent(entity: str, fields: tuple[str, ...]) -> bool:
    """Whether none of these fields of `entity` is stored as JSON text (False without a model)."""
    model = MODELS_BY_ENTITY.get(entity)
    if model is None or not fields:
        return False
    nested = {name for name, info in model.model_fields.items() if field_kind(info.annotation) == "json"}
    return nested.isdisjoint(fields)


@functools.cache
def _getter(fields: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(fields) == 1:
        name = fields[0]
        return lambda data: (data[name],)
    return itemgetter(*fields)


def _row(fields: tuple[str, ...], change: Any) -> tuple[Any, ...]:
    # The checked path: a missing field stores NULL, nested values JSON text; no
    # Python-level loop over the columns (id, version and bucket are never nested).
    row = (change.id, *map(change.data.get, fields), change.version, change.bucket)
    if _NESTED.isdisjoint(map(type, row)):
        return row
    return tuple(map(stored_value, row))


_NESTED = frozenset((dict, list))


# One INSERT of a few hundred rows costs about a third less than executemany of the same
# rows (no Python step, bind and reset a row). Its statement is prepared once per row
# count, so a run is cut into chunks of the largest size, then of powers of two: a
# handful of cached statements, whatever the lengths of the runs.
def statement_sizes(rows: int, largest: int) -> list[int]:
    """Rows per statement for a run of `rows`: `largest` (a power of two) while it fits,
    then the binary digits of what is left, biggest first."""
    sizes = [largest] * (rows // largest)
    left = rows % largest
    while left:
        size = 1 << (left.bit_length() - 1)
        sizes.append(size)
        left -= size
    return sizes


# Rows of one statement, at most (and no more bound values than SQLite takes): from 512
# on, bigger statements gained nothing measurable, and each cached one holds its program,
# about 1.3 KiB a row of 13 columns.
_MOST_ROWS = 512


# SQLite's bound on values in one statement since 3.32, for a driver without getlimit (sqlcipher3).
_DEFAULT_VARIABLE_LIMIT = 32766


def _rows_per_statement(db: Database, width: int) -> int:
    getlimit = getattr(db.conn, "getlimit", None)
    variables = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else _DEFAULT_VARIABLE_LIMIT
    bound = max(1, min(variables // width, _MOST_ROWS))
    return 1 << (bound.bit_length() - 1)


@functools.cache
def _write_sql(table: str, fields: tuple[str, ...], tracked: bool, insert_only: bool, count: int) -> str:
    columns = (ID_COLUMN, *fields, VERSION_COLUMN, *((BUCKET_COLUMN,) if tracked else ()))
    names = ", ".join(f'"{c}"' for c in columns)
    marks = f"({', '.join('?' for _ in columns)})"
    sql = f'INSERT INTO "{table}" ({names}) VALUES {", ".join([marks] * count)}'
    if insert_only:
        return sql
    # ON CONFLICT DO UPDATE, not INSERT OR REPLACE: the row keeps its rowid, so the search
    # index's update trigger runs (and only when an indexed column changed). Within one
    # statement, a later row of the same id updates the earlier one, as a later statement would.
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns[1:])
    return f"{sql} ON CONFLICT({ID_COLUMN}) DO UPDATE SET {updates}"


__all__ = ["SYNC_COLUMNS", "delete_run", "put_run"]
