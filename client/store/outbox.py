"""The outbox: local mutations waiting to be pushed (DESIGN §4.3).

A service writes its domain row and calls `enqueue` inside the same `Store.write()`
transaction, so either both are stored or neither is. `mutation_id` is the table's
AUTOINCREMENT key: strictly increasing per device and never reused, which is what lets the
server apply each mutation exactly once.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlite_utils import Database

from shared.protocol import MAX_PUSH_MUTATIONS, Mutation, MutationName


class OutsideTransaction(RuntimeError):
    """`enqueue` was called outside a write transaction, so it could not be atomic."""


def enqueue(db: Database, name: MutationName | str, args: Mapping[str, Any]) -> int:
    """Append a mutation in the caller's transaction; return its mutation_id."""
    if not db.conn.in_transaction:
        raise OutsideTransaction("enqueue must run inside Store.write(), with the domain write")
    mutation = MutationName(name)
    # Decimals and dates become strings, exactly as the server's models expect them.
    # allow_nan=False: a NaN or an infinity is refused here, when the seller records it, not
    # found by the server on every sync from then on.
    payload = json.dumps(to_jsonable_python(dict(args)), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    cursor = db.execute(
        "INSERT INTO outbox (name, args, created_at) VALUES (?, ?, ?)",
        [mutation.value, payload, datetime.now(UTC).isoformat()],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def pending_mutations(db: Database, limit: int = MAX_PUSH_MUTATIONS, up_to: int | None = None) -> list[Mutation]:
    """The oldest unacknowledged mutations, in id order, at most `limit` (and none above `up_to`)."""
    rows = db.execute(
        "SELECT mutation_id, name, args FROM outbox WHERE mutation_id <= ? ORDER BY mutation_id LIMIT ?",
        [up_to if up_to is not None else 2**63 - 1, limit],
    ).fetchall()
    return [Mutation(id=mid, name=name, args=json.loads(args)) for mid, name, args in rows]


def last_queued(db: Database) -> int:
    """The id of the newest mutation waiting to be pushed (0 when none is)."""
    return int(db.execute("SELECT coalesce(max(mutation_id), 0) FROM outbox").fetchone()[0])


def count_pending(db: Database) -> int:
    """How many mutations have not been acknowledged by the server yet."""
    return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def remove_acknowledged(db: Database, last_mutation_id: int) -> int:
    """Drop mutations the server has processed (id ≤ last_mutation_id); return how many."""
    return db.execute("DELETE FROM outbox WHERE mutation_id <= ?", [last_mutation_id]).rowcount


__all__ = ["OutsideTransaction", "count_pending", "enqueue", "last_queued", "pending_mutations", "remove_acknowledged"]
