"""Bucket snapshots: the current records of one bucket, for a device that must repair it."""

import json

from sqlalchemy import Connection, and_, select, tuple_

from shared.errors import OutOfScope, ValidationFailed
from shared.protocol import MAX_PULL_LIMIT, BucketRecord, BucketSnapshot
from sync_server.repository.tables import changes, records
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
    query = (
        select(records.c.entity, records.c.entity_id, records.c.version, changes.c.data)
        .join(
            changes,
            and_(
                changes.c.entity == records.c.entity,
                changes.c.entity_id == records.c.entity_id,
                changes.c.version == records.c.version,
                changes.c.bucket == records.c.bucket,
                changes.c.op == "put",
            ),
        )
        .where(records.c.bucket == bucket)
        .order_by(records.c.entity, records.c.entity_id)
        .limit(limit + 1)
    )
    if after:
        entity, _, record_id = after.partition("|")
        query = query.where(tuple_(records.c.entity, records.c.entity_id) > tuple_(entity, record_id))
    rows = list(conn.execute(query))
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [BucketRecord(entity=r.entity, id=r.entity_id, version=r.version, data=json.loads(r.data)) for r in rows]
    next_after = f"{rows[-1].entity}|{rows[-1].entity_id}" if has_more else None
    return BucketSnapshot(bucket=bucket, records=items, has_more=has_more, next_after=next_after)


__all__ = ["bucket_snapshot"]
