"""The change log: append in the writer's transaction, read by `seq` for pulls.

On PostgreSQL, sequence values are handed out when rows are inserted, not when their
transactions commit: a reader could see seq 9 committed while seq 8 is still in flight,
move its cursor to 9, and never see 8. So every seq is handed out under one
transaction-scoped advisory lock, held until the commit: change-log writers commit in
`seq` order (SQLite's single writer gives the same guarantee by itself). Two ways:

- `append_changes` takes the lock at the transaction's first append (an import, a
  compaction, an approval decision: writers that are rare, or long anyway);
- `append_at_commit` (a push's mutations, via `pending.held_back`) inserts placeholder seqs;
  a deferred trigger (migration 0010) takes the lock and gives the real seqs inside the
  commit, so the lock is never held across a round trip to the server process.

Every writer takes its locks in one order, so none waits for another crosswise: bucket
totals rows first (a push's upsert; an immediate writer locks the whole totals table, see
`lock_changelog`), then the advisory lock.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Integer,
    LargeBinary,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
    text,
)

from sync_server.repository.json_rows import json_params, json_rows
from sync_server.repository.tables import changes


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change to append: a put carries the record's JSON data, a delete carries none."""

    bucket: str
    entity: str
    entity_id: str
    op: str
    version: int
    data: dict[str, Any] | None


def canonical_json(data: dict[str, Any]) -> str:
    """The one JSON text of a record: sorted keys, no spaces, UTF-8 kept as is.

    NaN and infinities raise ValueError: JSON has no words for them, and a change log line
    that holds one is a page no device can read.
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


CHANGELOG_LOCK_KEY = 7_340_112_947
"""pg_advisory_xact_lock key serialising change-log writers (any stable 64-bit number)."""


_LOCK_STATEMENT = text("SELECT pg_advisory_xact_lock(:key)")
_TOTALS_LOCK_STATEMENT = text("LOCK TABLE bucket_totals IN SHARE ROW EXCLUSIVE MODE")
_LOCKED_IN = "terreno_changelog_locked_in"


def lock_changelog(conn: Connection) -> None:
    """Make this transaction the only change-log writer until it ends (PostgreSQL only).

    First the bucket totals table (so that a push holding totals rows and waiting for the
    advisory lock at its commit is never waited for by a writer that holds the advisory
    lock), then the advisory lock. Asked again in the same (innermost) transaction, it
    costs nothing. A savepoint rolled back releases locks taken inside it, so the lock is
    remembered per savepoint, not per outer transaction.
    """
    if conn.dialect.name != "postgresql":
        return
    current = conn.get_nested_transaction() or conn.get_transaction()
    if current is not None and conn.info.get(_LOCKED_IN) is current:
        return
    conn.execute(_TOTALS_LOCK_STATEMENT)
    conn.execute(_LOCK_STATEMENT, {"key": CHANGELOG_LOCK_KEY})
    # The transaction object itself is kept (not its id): a later one can never look the same.
    conn.info[_LOCKED_IN] = current


PENDING_KEY = "terreno_pending_writes"
"""Where `pending.held_back` keeps a transaction's change-log writes until its end."""


def append_changes(conn: Connection, rows: Iterable[ChangeRow], batch_size: int = 5000) -> int:
    """Append changes in order (their `seq` follows insertion order); returns how many.

    Inside `pending.held_back(conn)` they are only noted, and written when it ends.
    """
    pending = conn.info.get(PENDING_KEY)
    if pending is not None:
        return pending.add_changes(list(rows))
    lock_changelog(conn)
    now = datetime.now(UTC)
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(_values(row, now))
        if len(batch) >= batch_size:
            conn.execute(_INSERT_CHANGES, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(_INSERT_CHANGES, batch)
        count += len(batch)
    return count


def _values(row: ChangeRow, now: datetime) -> dict[str, Any]:
    """A change's row of the change log (its seq aside), written at `now`."""
    return {
        "bucket": row.bucket,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "op": row.op,
        "version": row.version,
        "data": None if row.data is None else canonical_json(row.data),
        "created_at": now,
    }


def append_at_commit(conn: Connection, rows: list[ChangeRow], totals: tuple[Insert, Any] | None = None) -> int:
    """Append changes whose seqs are given when the transaction commits (PostgreSQL), in order;
    `totals`, the bucket totals' upsert and its parameters (`TotalsDelta.upsert`), is run first.

    Each row is inserted with a placeholder seq (negative, unique, read by nobody); the
    deferred trigger of migration 0010 takes the change-log lock inside the commit and gives
    the rows their seqs in insertion order. On PostgreSQL the totals and the changes go in
    one statement (the totals in a data-modifying WITH: each statement costs the server
    process about what two cost on SQLite), the changes read from one JSON array in their order
    (`json_rows`: one shape, compiled once); the totals rows stay locked before the
    change-log lock, as every writer takes them. On SQLite, a plain `append_changes`.
    """
    if conn.dialect.name != "postgresql" or not rows:
        if totals is not None:
            conn.execute(*totals)
        return append_changes(conn, rows) if conn.dialect.name != "postgresql" else 0
    now = datetime.now(UTC)
    params: dict[str, Any] = {
        "change_created_at": now,
        **json_params("change", CHANGE_COLUMNS, [_values(r, now) for r in rows]),
    }
    if totals is None:
        conn.execute(_CHANGES_FROM_JSON, params)
    else:
        upsert, totals_params = totals
        conn.execute(_changes_after(upsert), {**params, **totals_params})
    return len(rows)


@cache
def _changes_after(upsert: Insert) -> Insert:
    """The change log's insert with `upsert` run first in a WITH; one statement object per
    upsert (there is one, `totals._UPSERT_FROM_JSON`), so its cache key is computed once."""
    return _CHANGES_FROM_JSON.add_cte(upsert.cte("totals"))


_INSERT_CHANGES = insert(changes)
"""Built once (as every statement a push runs): see `_changes_after`."""


CHANGE_COLUMNS = (
    changes.c.bucket,
    changes.c.entity,
    changes.c.entity_id,
    changes.c.op,
    changes.c.version,
    changes.c.data,
)
"""A change as devices read it, its seq aside (`read_changes`, the quarantine's scan)."""
_FROM_JSON = json_rows("change", CHANGE_COLUMNS)
_CHANGES_FROM_JSON = insert(changes).from_select(
    [c.name for c in CHANGE_COLUMNS] + ["created_at", "seq"],
    select(
        *_FROM_JSON.c,
        bindparam("change_created_at", type_=changes.c.created_at.type),
        -func.nextval("change_placeholders"),
    ),
)
"""PostgreSQL: changes with placeholder seqs, in the array's order (`json_params("change", …)`)."""


def read_changes(conn: Connection, buckets: Sequence[str], after_seq: int, limit: int) -> list[Any]:
    """Changes in `buckets` with seq > after_seq, oldest first, at most `limit`."""
    query = (
        select(changes.c.seq, *CHANGE_COLUMNS)
        .where(changes.c.seq > after_seq, changes.c.bucket.in_(list(buckets)))
        .order_by(changes.c.seq)
        .limit(limit)
    )
    return list(conn.execute(query).all())  # one fetchall: about 0.6 µs a row less than row-by-row fetches


_LINE = itemgetter(1)
_CHANGE_LINE = '{"seq":%s,"bucket":%s,"entity":%s,"id":%s,"op":%s,"version":%s,"data":%s}'
"""A change as a pull page carries it (`shared.protocol.Change`'s fields, in order)."""


def read_change_lines(
    conn: Connection, buckets: Sequence[str], after_seq: int, limit: int, max_bytes: int | None = None
) -> list[tuple[int, bytes]]:
    """As `read_changes`, each change as (seq, its JSON as a pull page carries it, UTF-8).

    A first sync reads every change in scope, so this is the server's hot loop. The
    database writes each line (its format function, its own JSON string quoting, the
    stored `data` spliced in unparsed) and the rows come off the driver's cursor as plain
    tuples: building result rows and formatting in Python cost about 2.5 µs a change,
    this about 1.6 on the reference set (bench/sync_breakdown.py). The lines come as bytes,
    ready for the response body, not as text to decode and encode again. With `max_bytes`,
    reading stops after the line that takes the total past it, and after the second line
    at least (the caller can tell that more follow): a page of unusually large records
    stays a bounded size.
    """
    query = _lines_query(conn.dialect.name == "postgresql")
    result = conn.execute(query, {"buckets": list(buckets), "after_seq": after_seq, "limit": limit})
    try:
        cursor = result.cursor  # the driver's tuples, not Row objects (no per-row processing needed)
        if max_bytes is None:
            return list(cursor.fetchall())
        lines: list[tuple[int, bytes]] = []
        size = 0
        while chunk := cursor.fetchmany(1000):
            chunk_size = sum(map(len, map(_LINE, chunk)))  # in C: this is the server's hot loop
            if size + chunk_size <= max_bytes:
                lines += chunk
                size += chunk_size
                continue
            for seq, line in chunk:  # the chunk that crosses the bound: line by line
                lines.append((seq, line))
                size += len(line)
                if size > max_bytes and len(lines) >= 2:
                    return lines
        return lines
    finally:
        result.close()


@cache
def _lines_query(postgres: bool) -> Select:
    """`read_change_lines`' query (parameters `buckets`, `after_seq`, `limit`), built once
    per backend: every pull runs it."""
    c = changes.c

    def quoted(column: ColumnElement) -> ColumnElement:
        # A JSON string literal of a text column (escapes as JSON requires, UTF-8 kept).
        return cast(func.to_json(column), Text) if postgres else func.json_quote(column)

    formatter = func.format if postgres else func.printf  # both read %s as "the value as text"
    line = formatter(
        literal(_CHANGE_LINE),
        c.seq,
        quoted(c.bucket),
        quoted(c.entity),
        quoted(c.entity_id),
        quoted(c.op),
        c.version,
        func.coalesce(c.data, literal("null")),
    )
    # The page's seqs first, then their lines: with several buckets the database merges
    # their index ranges through a sorter, and sorting bare seqs instead of formatted lines
    # halves the cost of a page (a demo seller's 7 buckets, bench/data's scale-10 import).
    page = (
        select(c.seq)
        .where(c.seq > bindparam("after_seq"), c.bucket.in_(bindparam("buckets", expanding=True)))
        .order_by(c.seq)
        .limit(bindparam("limit", type_=Integer))
    )
    # convert_to, not a cast: PostgreSQL's text-to-bytea cast reads backslashes as escapes.
    utf8 = func.convert_to(line, literal("UTF8")) if postgres else cast(line, LargeBinary)
    return select(c.seq, utf8).where(c.seq.in_(page)).order_by(c.seq)


def count_changes(conn: Connection, buckets: Sequence[str], after_seq: int) -> int:
    """How many changes in `buckets` follow `after_seq` (for sync progress)."""
    query = (
        select(func.count()).select_from(changes).where(changes.c.seq > after_seq, changes.c.bucket.in_(list(buckets)))
    )
    return int(conn.execute(query).scalar_one())


def last_seq(conn: Connection) -> int:
    """Highest seq written so far (0 on an empty log)."""
    return int(conn.execute(select(func.coalesce(func.max(changes.c.seq), 0))).scalar_one())


def latest_put_data(conn: Connection, entity: str, entity_id: str) -> str | None:
    """The stored JSON of a record's latest put in the log, or None."""
    return conn.execute(
        select(changes.c.data)
        .where(changes.c.entity == entity, changes.c.entity_id == entity_id, changes.c.op == "put")
        .order_by(changes.c.seq.desc())
        .limit(1)
    ).scalar()


def was_in_bucket(conn: Connection, entity: str, entity_id: str, bucket: str) -> bool:
    """Whether the log still holds a change of the record in `bucket` (a put, or the delete
    that moved it out)."""
    found = conn.execute(
        select(
            exists().where(
                and_(changes.c.entity == entity, changes.c.entity_id == entity_id, changes.c.bucket == bucket)
            )
        )
    ).scalar()
    return bool(found)


__all__ = [
    "CHANGELOG_LOCK_KEY",
    "PENDING_KEY",
    "ChangeRow",
    "CHANGE_COLUMNS",
    "append_at_commit",
    "append_changes",
    "lock_changelog",
    "canonical_json",
    "count_changes",
    "last_seq",
    "read_change_lines",
    "read_changes",
]
