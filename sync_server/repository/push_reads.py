"""What a push reads before it writes an authored record, in one statement.

A visit, an observation, a claim or a lost sale needs its customer's seller (the scope
check) and the record's stored state (where it is, its version). Asked one after the
other they are two round trips for every such mutation; on PostgreSQL each round trip
costs the server more CPU than SQLite spends on the whole statement (bench/README.md, "A
device round's cost").
"""

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, literal_column, select

from sync_server.repository.records import StoredState
from sync_server.repository.tables import ENTITY_TABLES, records

_customers = ENTITY_TABLES["customer"]


@dataclass(frozen=True, slots=True)
class CustomerAndState:
    """A customer's seller and a record's stored state, read together."""

    customer_exists: bool
    seller_login: str | None
    """The customer's seller (None: unassigned, or no such customer)."""
    state: StoredState | None
    """The record's bucket, version and digest (None: not stored yet)."""


def customer_and_state(conn: Connection, customer_code: str, entity: str, record_id: str) -> CustomerAndState:
    """Whether `customer_code` exists and whose it is, and the stored state of `entity` `record_id`."""
    row = conn.execute(_CUSTOMER_AND_STATE, {"code": customer_code, "entity": entity, "entity_id": record_id}).one()
    state = StoredState(row.bucket, row.version, row.digest) if row.version is not None else None
    return CustomerAndState(row.customer_code is not None, row.seller_login, state)


_one = select(literal_column("1").label("one")).subquery()
_CUSTOMER_AND_STATE = select(
    _customers.c.code.label("customer_code"),
    _customers.c.seller_login,
    records.c.bucket,
    records.c.version,
    records.c.digest,
).select_from(
    _one.outerjoin(_customers, _customers.c.code == bindparam("code")).outerjoin(
        records, (records.c.entity == bindparam("entity")) & (records.c.entity_id == bindparam("entity_id"))
    )
)
"""Built once (see records._STORED_STATE). One row always: two outer joins on a row of
one, each matching at most one row by its key."""


__all__ = ["CustomerAndState", "customer_and_state"]
