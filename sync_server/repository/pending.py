"""Change-log writes held back to the end of a transaction, so the change-log lock is short.

On PostgreSQL every change-log writer takes one advisory lock from its first append to its
commit (see changelog.py): while one push holds it, every other device's push waits. A
push used to take it half-way through its mutation and keep it through a dozen round trips
after (its ledger row, its device row, the savepoint, the commit); at 200 devices the lock
was busy 80 % of the time and a second server worker barely helped.

Inside `held_back(conn)`, `append_changes` and `TotalsDelta.apply` only note what they
would write; the block's end writes it all at once (lock, bucket totals, changes), right
before the commit. Records and typed rows are still written at once: only the change log
and its totals wait. A savepoint's share can be dropped with the savepoint
(`mark`/`drop_since`), and a handler that reads a record's data back in the same
transaction finds it with `held_back_put`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from sync_server.repository.changelog import PENDING_KEY, ChangeRow, append_at_commit
from sync_server.repository.totals import TotalsDelta


class PendingWrites:
    """What a transaction will append to the change log and add to the bucket totals."""

    def __init__(self) -> None:
        self.rows: list[ChangeRow] = []
        self.totals: list[TotalsDelta] = []

    def add_changes(self, rows: list[ChangeRow]) -> int:
        """Note changes to append (in order); returns how many."""
        self.rows.extend(rows)
        return len(rows)

    def add_totals(self, delta: TotalsDelta) -> None:
        """Note a totals delta (kept whole: a savepoint may drop it again)."""
        copy = TotalsDelta()
        for bucket in delta.count:
            copy.count[bucket] = delta.count[bucket]
            copy.checksum[bucket] = delta.checksum[bucket]
        self.totals.append(copy)

    def mark(self) -> tuple[int, int]:
        """Where the notes stand now (see `drop_since`)."""
        return len(self.rows), len(self.totals)

    def drop_since(self, mark: tuple[int, int]) -> None:
        """Forget what was noted after `mark` (its savepoint was rolled back)."""
        del self.rows[mark[0] :]
        del self.totals[mark[1] :]

    def write(self, conn: Connection) -> None:
        """Write everything noted: bucket totals, then the changes in order, their seqs given
        inside the commit (the change-log lock with them: see changelog.append_at_commit)."""
        merged = TotalsDelta()
        for delta in self.totals:
            for bucket in delta.count:
                merged.count[bucket] += delta.count[bucket]
                merged.checksum[bucket] += delta.checksum[bucket]
        rows, self.rows, self.totals = self.rows, [], []
        append_at_commit(conn, rows, totals=merged.upsert(conn))


@contextmanager
def held_back(conn: Connection) -> Iterator[PendingWrites]:
    """Hold change-log writes back until the block ends without an error, then write them."""
    if conn.info.get(PENDING_KEY) is not None:
        raise RuntimeError("change-log writes are already held back on this connection")
    pending = PendingWrites()
    conn.info[PENDING_KEY] = pending
    try:
        yield pending
    finally:
        del conn.info[PENDING_KEY]
    pending.write(conn)


def held_back_put(conn: Connection, entity: str, entity_id: str) -> dict[str, Any] | None:
    """The data of the last put of a record held back in this transaction, if any."""
    pending = conn.info.get(PENDING_KEY)
    if pending is None:
        return None
    for row in reversed(pending.rows):
        if row.entity == entity and row.entity_id == entity_id:
            return row.data if row.op == "put" else None
    return None


__all__ = ["PendingWrites", "held_back", "held_back_put"]
