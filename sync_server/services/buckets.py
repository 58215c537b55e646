"""Bucket snapshots: the current records of one bucket, for a device that must repair it."""

import json

from shared.errors import OutOfScope, ValidationFailed
from shared.protocol import MAX_PULL_LIMIT, BucketRecord, BucketSnapshot
from sync_server.repository.bucket_reads import bucket_records
from sync_server.repository.database import Connection
from sync_server.services.auth import Principal
from sync_server.services.scope import buckets_for


def bucket_snapshot(
    conn: Connection, principal: Principal, bucket: str, after: str | None, limit: int
) -> BucketSnapshot:
    """One page of `bucket`'s live records after `after` ('entity|id'), in (entity, id) order."""
    if bucket not in buckets_for(conn, principal):
        raise OutOfScope(f"bucket {bucket!r} is not yours to read")
    if limit < 1 or limit > MAX_PULL_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PULL_LIMIT}")
    after_key = None
    if after:
        entity, _, record_id = after.partition("|")
        after_key = (entity, record_id)
    rows = bucket_records(conn, bucket, after_key, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [BucketRecord(entity=r.entity, id=r.entity_id, version=r.version, data=json.loads(r.data)) for r in rows]
    next_after = f"{rows[-1].entity}|{rows[-1].entity_id}" if has_more else None
    return BucketSnapshot(bucket=bucket, records=items, has_more=has_more, next_after=next_after)


__all__ = ["bucket_snapshot"]
