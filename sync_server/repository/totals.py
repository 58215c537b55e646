"""Per-bucket totals (count, checksum) kept in step with `records` in the same transaction."""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, insert, select, update

from shared.protocol import CHECKSUM_MODULUS
from sync_server.repository.changelog import lock_changelog
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
        """Write the accumulated deltas (serialised with other change-log writers)."""
        buckets = [b for b in self.count if self.count[b] or self.checksum[b] % CHECKSUM_MODULUS]
        if not buckets:
            return
        # Taken before reading: concurrent writers of one bucket must not both insert its row.
        lock_changelog(conn)
        existing = set(conn.execute(select(bucket_totals.c.bucket).where(bucket_totals.c.bucket.in_(buckets)))
                       .scalars())
        new = [b for b in buckets if b not in existing]
        if new:
            conn.execute(insert(bucket_totals), [{"bucket": b, "count": 0, "checksum": 0} for b in new])
        conn.execute(
            update(bucket_totals).where(bucket_totals.c.bucket == bindparam("b")).values(
                count=bucket_totals.c.count + bindparam("dc"),
                checksum=(bucket_totals.c.checksum + bindparam("ds")) % CHECKSUM_MODULUS,
            ),
            # Deltas are sent reduced modulo 2**32 so the SQL only ever adds non-negatives.
            [{"b": b, "dc": self.count[b], "ds": self.checksum[b] % CHECKSUM_MODULUS} for b in buckets],
        )
        self.count.clear()
        self.checksum.clear()


def read_totals(conn: Connection, buckets: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(count, checksum) of each named bucket that has ever held a record."""
    query = select(bucket_totals.c.bucket, bucket_totals.c.count, bucket_totals.c.checksum).where(
        bucket_totals.c.bucket.in_(list(buckets)))
    return {b: (int(c), int(s)) for b, c, s in conn.execute(query)}


__all__ = ["TotalsDelta", "read_totals"]
