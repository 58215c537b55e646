"""Units of work the routes open around a service call (the repository's transactions)."""

from sync_server.repository.database import (
    Connection,
    DatabaseError,
    Engine,
    check_connection,
    one_read,
    read_transaction,
    snapshot_transaction,
    write_transaction,
)

__all__ = [
    "Connection",
    "DatabaseError",
    "Engine",
    "check_connection",
    "one_read",
    "read_transaction",
    "snapshot_transaction",
    "write_transaction",
]
