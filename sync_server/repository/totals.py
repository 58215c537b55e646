"""Per-bucket totals (count, checksum) kept in step with `records` in the same transaction."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared.protocol import CHECKSUM_MODULUS
from sync_server.repository.changelog import PENDING_KEY, lock_changelog
from sync_server.repository.json_rows import json_params, json_rows
from sync_server.repository.tables import bucket_totals


class TotalsDelta:
    """Accumulates count and checksum changes per bucket, then applies them at once."""

    def __init__(self) -> None:
        self.count: dict[str, int] = defaultdict(int)
        self.checksum: dict[str, int] = defaultdict(int)

    def add(self, bucket: str, checksum: int) -> None:
        """A live record entered `bucket`."""
        self.count[bucket] += 1
        self.checksum[bucket] += checksum

    def remove(self, bucket: str, checksum: int) -> None:
        """A live record left `bucket` (deleted, moved, or replaced by a newer version)."""
        self.count[bucket] -= 1
        self.checksum[bucket] -= checksum

    def apply(self, conn: Connection) -> None:
        """Write the accumulated deltas (serialised with other change-log writers).

        Inside `pending.held_back(conn)` they are only noted, and written when it ends
        (`upsert`, with the change log: the change-log lock left to the commit, see changelog.py).
        """
        pending = conn.info.get(PENDING_KEY)
        if pending is not None:
            pending.add_totals(self)
            self.count.clear()
            self.checksum.clear()
            return
        deltas = self._deltas()
        if not deltas:
            return
        lock_changelog(conn)
        conn.execute(_upsert(conn), deltas)
        self.count.clear()
        self.checksum.clear()

    def upsert(self, conn: Connection) -> tuple[Insert, Any] | None:
        """The accumulated deltas as one statement and its parameters, for the caller to run,
        or None when there is nothing to add; the deltas are then forgotten. On PostgreSQL
        the rows are one JSON array (`json_rows`): one statement of one shape, compiled once."""
        deltas = self._deltas()
        self.count.clear()
        self.checksum.clear()
        if not deltas:
            return None
        if conn.dialect.name == "postgresql":
            return _UPSERT_FROM_JSON, json_params("total", _COLUMNS, deltas)
        return _upsert(conn), deltas

    def _deltas(self) -> list[dict[str, Any]]:
        # Sorted: two writers that add to the same buckets lock their rows in one order.
        buckets = sorted(b for b in self.count if self.count[b] or self.checksum[b] % CHECKSUM_MODULUS)
        # Deltas are sent reduced modulo 2**32 so the SQL only ever adds non-negatives.
        return [{"bucket": b, "count": self.count[b], "checksum": self.checksum[b] % CHECKSUM_MODULUS} for b in buckets]


def _upsert(conn: Connection):
    """INSERT a bucket's totals, or add them to the row it has (one statement either way)."""
    return _POSTGRES_UPSERT if conn.dialect.name == "postgresql" else _SQLITE_UPSERT


def _on_conflict_add(statement):
    return statement.on_conflict_do_update(
        index_elements=[bucket_totals.c.bucket],
        set_={
            "count": bucket_totals.c.count + statement.excluded.count,
            "checksum": (bucket_totals.c.checksum + statement.excluded.checksum) % CHECKSUM_MODULUS,
        },
    )


_POSTGRES_UPSERT = _on_conflict_add(postgresql_insert(bucket_totals))
_SQLITE_UPSERT = _on_conflict_add(sqlite_insert(bucket_totals))
"""Built once: a statement object made anew has its cache key computed at every execution."""

_COLUMNS = [bucket_totals.c.bucket, bucket_totals.c.count, bucket_totals.c.checksum]
_FROM_JSON = json_rows("total", _COLUMNS)
_UPSERT_FROM_JSON = _on_conflict_add(
    postgresql_insert(bucket_totals).from_select([c.name for c in _COLUMNS], select(*_FROM_JSON.c))
)
"""PostgreSQL: every bucket's delta in one statement (parameters: `json_params("total", …)`)."""


def read_totals(conn: Connection, buckets: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(count, checksum) of each named bucket that has ever held a record."""
    return {b: (int(c), int(s)) for b, c, s in conn.execute(_READ_TOTALS, {"buckets": list(buckets)})}


_READ_TOTALS = select(*_COLUMNS).where(bucket_totals.c.bucket.in_(bindparam("buckets", expanding=True)))
"""Built once: every caught-up pull asks it (see records._STORED_STATE)."""


__all__ = ["TotalsDelta", "read_totals"]
