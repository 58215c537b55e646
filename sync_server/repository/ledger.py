"""The mutation ledger and each device's last mutation id (push's exactly-once bookkeeping)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from sync_server.repository.json_rows import json_params, json_rows
from sync_server.repository.tables import devices, mutations


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One processed mutation's result, as the ledger keeps it."""

    mutation_id: int
    name: str
    status: str
    code: str | None
    detail: str | None
    result_json: str


def claim_mutation(conn: Connection, client_id: str, mutation_id: int) -> bool:
    """Make `mutation_id` the device's last one if it is the next; whether it was.

    One UPDATE, which also locks the device row until the transaction ends (PostgreSQL: two
    server processes handling one device serialise here).
    """
    return bool(conn.execute(_ADVANCE, _advance_params(client_id, mutation_id - 1, mutation_id)).rowcount)


def lock_device(conn: Connection, client_id: str) -> int | None:
    """The device's last processed mutation id, its row locked until the transaction ends
    (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the one
    writer's lock); None for a device the server does not know."""
    value = conn.execute(_LAST_ID_LOCKED, {"client_id": client_id}).scalar()
    return None if value is None else int(value)


def last_mutation_id(conn: Connection, client_id: str) -> int | None:
    """The device's last processed mutation id, or None for a device the server does not know."""
    value = conn.execute(_LAST_ID, {"client_id": client_id}).scalar()
    return None if value is None else int(value)


_LAST_ID = select(devices.c.last_mutation_id).where(devices.c.client_id == bindparam("client_id"))
_LAST_ID_LOCKED = _LAST_ID.with_for_update()
"""Built once: every push and every pull asks it (see records._STORED_STATE)."""


def record_results(conn: Connection, client_id: str, rows: list[LedgerRow]) -> None:
    """Keep several processed mutations' results at once (one statement)."""
    if rows:
        conn.execute(_INSERT_LEDGER, _ledger_values(client_id, rows))


def record_and_advance(conn: Connection, client_id: str, rows: list[LedgerRow], last: int) -> bool:
    """Keep the results of mutations `last + 1 …` and make the last of them the device's last
    one; whether it stood at `last` (nothing is written otherwise).

    On PostgreSQL one statement (the ledger rows in a data-modifying WITH): each statement
    costs the server process about as much as SQLite's two.
    """
    advance = _advance_params(client_id, last, last + len(rows))
    if conn.dialect.name == "postgresql":
        params = {"ledger_client_id": client_id, "ledger_processed_at": datetime.now(UTC)}
        params |= json_params("ledger", _JSON_COLUMNS, [_json_row(row) for row in rows])
        return bool(conn.execute(_ADVANCE_WITH_LEDGER, advance | params).rowcount)
    if not conn.execute(_ADVANCE, advance).rowcount:
        return False
    record_results(conn, client_id, rows)
    return True


_JSON_COLUMNS = [
    mutations.c.mutation_id,
    mutations.c.name,
    mutations.c.status,
    mutations.c.code,
    mutations.c.detail,
    mutations.c.result,
]
_FROM_JSON = json_rows("ledger", _JSON_COLUMNS)
_LEDGER_FROM_JSON = insert(mutations).from_select(
    ["client_id", *(c.name for c in _JSON_COLUMNS), "processed_at"],
    select(
        bindparam("ledger_client_id", type_=mutations.c.client_id.type),
        *_FROM_JSON.c,
        bindparam("ledger_processed_at", type_=mutations.c.processed_at.type),
    ),
)
"""PostgreSQL: one device's ledger rows from a JSON array (`json_params("ledger", …)`), one shape."""

# Built once, as every statement a push runs (see records._STORED_STATE): a statement object
# made anew has its cache key computed again at every execution.
_INSERT_LEDGER = insert(mutations)
_ADVANCE = (
    update(devices)
    .where(
        devices.c.client_id == bindparam("advance_client_id"),
        devices.c.last_mutation_id == bindparam("advance_from"),
    )
    .values(
        last_mutation_id=bindparam("advance_to", type_=devices.c.last_mutation_id.type),
        last_seen_at=bindparam("advance_seen_at", type_=devices.c.last_seen_at.type),
    )
)
"""The device's last mutation id moved from `advance_from` to `advance_to` (no row if it
stood elsewhere): what claims a mutation, or a run of them."""
_ADVANCE_WITH_LEDGER = _ADVANCE.add_cte(_LEDGER_FROM_JSON.cte("ledger_rows"))


def _advance_params(client_id: str, last: int, new_last: int) -> dict:
    return {
        "advance_client_id": client_id,
        "advance_from": last,
        "advance_to": new_last,
        "advance_seen_at": datetime.now(UTC),
    }


def _json_row(row: LedgerRow) -> dict:
    """A ledger row's own columns (the device's id and the time aside)."""
    return {
        "mutation_id": row.mutation_id,
        "name": row.name,
        "status": row.status,
        "code": row.code,
        "detail": row.detail,
        "result": row.result_json,
    }


def _ledger_values(client_id: str, rows: list[LedgerRow]) -> list[dict]:
    now = datetime.now(UTC)
    return [{"client_id": client_id, **_json_row(row), "processed_at": now} for row in rows]


def stored_results(conn: Connection, client_id: str, mutation_ids: list[int]) -> dict[int, str]:
    """The JSON results kept for processed mutations, by id (one query; ids processed before
    results were kept are missing)."""
    if not mutation_ids:
        return {}
    query = select(mutations.c.mutation_id, mutations.c.result).where(
        mutations.c.client_id == client_id, mutations.c.mutation_id.in_(mutation_ids)
    )
    return {int(mutation_id): result for mutation_id, result in conn.execute(query)}


def stored_result(conn: Connection, client_id: str, mutation_id: int) -> str | None:
    """The JSON result kept for a processed mutation (None: processed before results were kept)."""
    return conn.execute(
        select(mutations.c.result).where(mutations.c.client_id == client_id, mutations.c.mutation_id == mutation_id)
    ).scalar()


__all__ = [
    "LedgerRow",
    "claim_mutation",
    "last_mutation_id",
    "lock_device",
    "record_and_advance",
    "record_results",
    "stored_result",
    "stored_results",
]
