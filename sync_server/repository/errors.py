"""What a database error means for the caller: try again later, or the input is wrong.

Only trouble that passes is transient: a lost connection, a serialization failure or a
deadlock, a lock or statement timeout, the server shutting down or short of resources,
SQLite's busy database. A data error (SQLSTATE class 22: a value out of range, a NUL in
text, a bad date) comes from the request and will fail the same way every time; told to
retry it, a device would resend it forever. Classified by driver error type and code only.
"""

import sqlite3

from sqlalchemy.exc import DataError, DBAPIError

_TRANSIENT_CLASSES = frozenset({"08", "40", "53", "57", "58"})
"""connection exception, transaction rollback (serialization, deadlock), insufficient
resources, operator intervention (shutdown, statement timeout), system error."""
_TRANSIENT_STATES = frozenset({"55P03", "55006"})
"""lock_not_available (lock timeout), object_in_use."""
_SQLITE_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def sqlstate(exc: DBAPIError) -> str | None:
    """The SQLSTATE the driver reported (PostgreSQL), or None."""
    return getattr(exc.orig, "sqlstate", None)


def is_transient(exc: DBAPIError) -> bool:
    """Whether the same statement may well succeed if tried again later."""
    if exc.connection_invalidated:
        return True
    state = sqlstate(exc)
    if state is not None:
        return state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_STATES
    if isinstance(exc.orig, sqlite3.Error):
        return getattr(exc.orig, "sqlite_errorcode", None) in _SQLITE_BUSY
    # A driver error with no code (psycopg's failed connection attempt): the connection.
    return exc.orig is None or type(exc.orig).__name__ == "OperationalError"


def is_data_error(exc: DBAPIError) -> bool:
    """Whether the database refused a value of the request (SQLSTATE class 22)."""
    state = sqlstate(exc)
    if state is not None:
        return state.startswith("22")
    # The DB-API's DataError: psycopg refuses a NUL in text itself, before sending it.
    return isinstance(exc, DataError)


__all__ = ["is_data_error", "is_transient", "sqlstate"]
