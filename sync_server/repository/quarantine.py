"""Reading the whole change log in slices, and setting changes aside in `quarantined_changes`."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from sync_server.repository.changelog import CHANGE_COLUMNS, lock_changelog
from sync_server.repository.tables import changes, quarantined_changes, records


def changes_in_slices(conn: Connection, size: int = 5000) -> Iterator[list[Any]]:
    """Every change of the log in seq order, `size` at a time (never the whole log in memory)."""
    after = 0
    query = select(changes.c.seq, *CHANGE_COLUMNS, changes.c.created_at)
    while True:
        rows = conn.execute(query.where(changes.c.seq > after).order_by(changes.c.seq).limit(size)).all()
        if not rows:
            return
        yield list(rows)
        after = rows[-1].seq


def is_current_state(conn: Connection, entity: str, entity_id: str, bucket: str, version: int) -> bool:
    """Whether this put is what `records` holds now for the record."""
    found = conn.execute(
        select(records.c.bucket, records.c.version).where(records.c.entity == entity, records.c.entity_id == entity_id)
    ).first()
    return found is not None and (found.bucket, found.version) == (bucket, version)


def quarantine_change(conn: Connection, change: Any, reason: str) -> None:
    """Move one change out of the log into `quarantined_changes`, kept as it was."""
    lock_changelog(conn)
    conn.execute(
        insert(quarantined_changes).values(
            seq=change.seq,
            bucket=change.bucket,
            entity=change.entity,
            entity_id=change.entity_id,
            op=change.op,
            version=change.version,
            data=change.data,
            created_at=change.created_at,
            reason=reason,
            quarantined_at=datetime.now(UTC),
        )
    )
    conn.execute(delete(changes).where(changes.c.seq == change.seq))


def quarantined_count(conn: Connection) -> int:
    """How many changes were set aside so far."""
    return conn.execute(select(func.count()).select_from(quarantined_changes)).scalar_one()


__all__ = ["changes_in_slices", "is_current_state", "quarantine_change", "quarantined_count"]
