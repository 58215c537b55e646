"""What a pull page reads before its changes, in one statement.

The epoch, the cursor floor and the last seq (to judge the device's cursor), the device's
last mutation id (for the page's answer) and the warehouses (stock buckets are part of
every scope). A pull asked these in three statements. On PostgreSQL each round trip costs
the server more CPU than SQLite spends on the whole statement (bench/README.md, "A device
round's cost").
"""

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, select

from sync_server.repository.compaction import MIN_CURSOR_KEY
from sync_server.repository.database import EPOCH_KEY
from sync_server.repository.tables import ENTITY_TABLES, changes, devices, server_meta

_warehouses = ENTITY_TABLES["warehouse"]
_SEPARATOR = "|"
"""Between warehouse codes: a code never holds one (`shared.models.types.Code`)."""


@dataclass(frozen=True)
class PullHead:
    """What a pull checks its cursor against, and what every page answers with."""

    epoch: str | None
    """The server epoch (None on a database that has none yet)."""
    floor: int
    """`compaction.min_valid_cursor`."""
    last_seq: int
    """The highest seq written so far (0 on an empty log)."""
    last_mutation_id: int | None
    """The device's last processed mutation id (None: the server does not know the device)."""
    warehouses: list[str]
    """Every warehouse's code."""


def pull_head(conn: Connection, client_id: str) -> PullHead:
    """The pull's head for device `client_id`, in one round trip."""
    epoch, floor, last_seq, last_id, warehouses = conn.execute(_PULL_HEAD, {"client_id": client_id}).one()
    return PullHead(
        epoch=epoch,
        floor=int(floor) if floor else 0,
        last_seq=int(last_seq),
        last_mutation_id=None if last_id is None else int(last_id),
        warehouses=warehouses.split(_SEPARATOR) if warehouses else [],
    )


def _meta(key: str):
    return select(server_meta.c.value).where(server_meta.c.key == key).scalar_subquery()


_PULL_HEAD = select(
    _meta(EPOCH_KEY),
    _meta(MIN_CURSOR_KEY),
    select(func.coalesce(func.max(changes.c.seq), 0)).scalar_subquery(),
    select(devices.c.last_mutation_id).where(devices.c.client_id == bindparam("client_id")).scalar_subquery(),
    select(func.aggregate_strings(_warehouses.c.code, _SEPARATOR)).scalar_subquery(),
)
"""Built once: every pull page asks it (see records._STORED_STATE)."""


__all__ = ["PullHead", "pull_head"]
