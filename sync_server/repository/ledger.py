"""The mutation ledger and each device's last mutation id (push's exactly-once bookkeeping)."""

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from sync_server.repository.tables import devices, mutations


def claim_mutation(conn: Connection, client_id: str, mutation_id: int) -> bool:
    """Make `mutation_id` the device's last one if it is the next; whether it was.

    One UPDATE, which also locks the device row until the transaction ends (PostgreSQL: two
    server processes handling one device serialise here).
    """
    claimed = conn.execute(
        update(devices)
        .where(devices.c.client_id == client_id, devices.c.last_mutation_id == mutation_id - 1)
        .values(last_mutation_id=mutation_id, last_seen_at=datetime.now(UTC))
    ).rowcount
    return bool(claimed)


def last_mutation_id(conn: Connection, client_id: str) -> int | None:
    """The device's last processed mutation id, or None for a device the server does not know."""
    value = conn.execute(select(devices.c.last_mutation_id).where(devices.c.client_id == client_id)).scalar()
    return None if value is None else int(value)


def record_result(
    conn: Connection,
    client_id: str,
    mutation_id: int,
    name: str,
    status: str,
    code: str | None,
    detail: str | None,
    result_json: str,
) -> None:
    """Keep one processed mutation's result, so a retried push gets it back."""
    conn.execute(
        insert(mutations).values(
            client_id=client_id,
            mutation_id=mutation_id,
            name=name,
            status=status,
            code=code,
            detail=detail,
            result=result_json,
            processed_at=datetime.now(UTC),
        )
    )


def stored_result(conn: Connection, client_id: str, mutation_id: int) -> str | None:
    """The JSON result kept for a processed mutation (None: processed before results were kept)."""
    return conn.execute(
        select(mutations.c.result).where(mutations.c.client_id == client_id, mutations.c.mutation_id == mutation_id)
    ).scalar()


__all__ = ["claim_mutation", "last_mutation_id", "record_result", "stored_result"]
