"""Database errors classified by type and code: transient, a data error, or neither."""

import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sync_server.repository.errors import is_data_error, is_transient


class _PgError(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(orig: BaseException, invalidated: bool = False) -> DBAPIError:
    return DBAPIError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "sqlstate, transient, data",
    [
        ("08006", True, False),  # connection failure
        ("40001", True, False),  # serialization failure
        ("40P01", True, False),  # deadlock
        ("55P03", True, False),  # lock not available
        ("57014", True, False),  # statement timeout
        ("57P01", True, False),  # admin shutdown
        ("53300", True, False),  # too many connections
        ("22021", False, True),  # a NUL or bad byte in text
        ("22003", False, True),  # numeric value out of range
        ("22008", False, True),  # datetime field overflow
        ("23505", False, False),  # unique violation: neither (a conflict the caller handles)
        ("42P01", False, False),  # undefined table: a server bug
    ],
)
def test_postgresql_errors_by_sqlstate(sqlstate, transient, data):
    error = _wrapped(_PgError(sqlstate))
    assert (is_transient(error), is_data_error(error)) == (transient, data)


def test_a_lost_connection_is_transient_whatever_its_code():
    assert is_transient(_wrapped(_PgError("22021"), invalidated=True))


@pytest.mark.parametrize(
    "code, transient",
    [
        (sqlite3.SQLITE_BUSY, True),
        (sqlite3.SQLITE_LOCKED, True),
        (sqlite3.SQLITE_CONSTRAINT, False),
        (sqlite3.SQLITE_CORRUPT, False),
    ],
)
def test_sqlite_errors_by_code(code, transient):
    orig = sqlite3.OperationalError("x")
    orig.sqlite_errorcode = code
    assert is_transient(_wrapped(orig)) == transient


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_real_nul_in_text_is_a_data_error_on_postgresql(engine):
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(sa.text("SELECT CAST(:v AS text)"), {"v": "a\x00b"})
    assert is_data_error(caught.value) and not is_transient(caught.value)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_real_numeric_overflow_is_a_data_error_on_postgresql(engine):
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(sa.text("SELECT CAST(:v AS numeric(24, 10))"), {"v": "1e40"})
    assert is_data_error(caught.value)
