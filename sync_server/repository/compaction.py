"""Change-log compaction and tombstone retention (DESIGN §4.9).

Superseded puts (a later change to the same record in the same bucket exists) can go at
any time: a device behind them still receives the later change. Tombstones are kept for
the retention period, which must be longer than the longest offline period allowed;
once one is dropped, a device whose cursor is older could miss a delete, so the server
remembers the highest dropped seq and answers such a cursor with 410 (replacement sync).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update
from sqlalchemy.orm import aliased

from sync_server.repository.changelog import lock_changelog
from sync_server.repository.tables import changes, server_meta

MIN_CURSOR_KEY = "min_valid_cursor"


@dataclass(frozen=True)
class CompactionReport:
    """How many change-log rows a compaction removed, and the new oldest valid cursor."""

    superseded: int
    tombstones: int
    min_valid_cursor: int


def min_valid_cursor(conn: Connection) -> int:
    """The oldest cursor a device may resume from (0 when nothing was dropped yet)."""
    value = conn.execute(select(server_meta.c.value).where(server_meta.c.key == MIN_CURSOR_KEY)).scalar()
    return int(value) if value else 0


def compact(conn: Connection, now: datetime, retention: timedelta) -> CompactionReport:
    """Drop superseded puts, and tombstones older than `retention`; raise the cursor floor."""
    lock_changelog(conn)
    # The newest change always stays: SQLite hands out the highest rowid + 1, so dropping it
    # would give its seq again to the next change, which devices past it would never see.
    newest = conn.execute(select(func.max(changes.c.seq))).scalar() or 0
    later = aliased(changes)
    superseded = conn.execute(
        delete(changes).where(
            changes.c.op == "put",
            changes.c.seq < newest,
            exists().where(
                and_(
                    later.c.entity == changes.c.entity,
                    later.c.entity_id == changes.c.entity_id,
                    later.c.bucket == changes.c.bucket,
                    later.c.seq > changes.c.seq,
                )
            ),
        )
    ).rowcount
    cutoff = now - retention
    old = and_(changes.c.op == "delete", changes.c.created_at < cutoff, changes.c.seq < newest)
    highest = conn.execute(select(func.max(changes.c.seq)).where(old)).scalar()
    tombstones = conn.execute(delete(changes).where(old)).rowcount if highest is not None else 0
    floor = min_valid_cursor(conn)
    if highest is not None and highest > floor:
        floor = int(highest)
        done = conn.execute(update(server_meta).where(server_meta.c.key == MIN_CURSOR_KEY).values(value=str(floor)))
        if done.rowcount == 0:
            conn.execute(insert(server_meta).values(key=MIN_CURSOR_KEY, value=str(floor)))
    return CompactionReport(superseded=superseded, tombstones=tombstones, min_valid_cursor=floor)


__all__ = ["MIN_CURSOR_KEY", "CompactionReport", "compact", "min_valid_cursor"]
