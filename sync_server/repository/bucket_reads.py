"""A bucket's live records, read in (entity, id) order: the pages of a bucket snapshot, with
which a device repairs one bucket instead of syncing everything again."""

from typing import Any

from sqlalchemy import Connection, select, tuple_

from sync_server.repository.records import LATEST_PUT
from sync_server.repository.tables import changes, records


def bucket_records(conn: Connection, bucket: str, after: tuple[str, str] | None, limit: int) -> list[Any]:
    """Live records of `bucket` after (entity, id), in that order, with their data: at most `limit`."""
    query = (
        select(records.c.entity, records.c.entity_id, records.c.version, changes.c.data)
        .join(changes, LATEST_PUT)
        .where(records.c.bucket == bucket)
        .order_by(records.c.entity, records.c.entity_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(tuple_(records.c.entity, records.c.entity_id) > tuple_(*after))
    return list(conn.execute(query))


__all__ = ["bucket_records"]
