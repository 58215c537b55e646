"""PostgreSQL pool: a connection idle a while is pinged (and replaced if dead) before it is
lent out; one returned moments ago is lent without a round trip."""

import pytest
import sqlalchemy as sa

from sync_server.repository import database
from tests.postgres import drop_schema, new_schema, postgres_base_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg():
    engine, schema, admin = new_schema(postgres_base_url())
    yield engine, admin
    engine.dispose()
    drop_schema(admin, schema)
    admin.dispose()


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(admin: sa.Engine, pid: int) -> None:
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()


def _pings(engine: sa.Engine) -> list[int]:
    pings: list[int] = []
    real = engine.dialect.do_ping

    def counting(dbapi_conn):
        pings.append(1)
        return real(dbapi_conn)

    engine.dialect.do_ping = counting  # type: ignore[method-assign]
    return pings


def test_a_connection_idle_past_the_limit_is_pinged_and_a_dead_one_replaced(pg, monkeypatch):
    engine, admin = pg
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    pings = _pings(engine)
    first = _backend_pid(engine)
    _terminate(admin, first)  # as a restarted database or a firewall would
    assert _backend_pid(engine) != first  # no error: the dead connection was replaced
    assert pings


def test_a_connection_returned_moments_ago_is_lent_without_a_ping(pg, monkeypatch):
    engine, _admin = pg
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    pings = _pings(engine)
    first = _backend_pid(engine)
    for _ in range(5):
        assert _backend_pid(engine) == first
    assert pings == []
