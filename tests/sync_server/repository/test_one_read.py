"""`one_read`: the sign-in check before every push is one statement; on PostgreSQL it runs
without a transaction around it (a BEGIN and a COMMIT would be two round trips more)."""

import pytest
import sqlalchemy as sa

from sync_server.repository.database import one_read

_STARTED = sa.text("SELECT transaction_timestamp()")


@pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_each_statement_is_its_own_transaction(engine):
    with one_read(engine) as conn:
        first = conn.execute(_STARTED).scalar()
        second = conn.execute(_STARTED).scalar()
    assert second > first  # in one transaction both would be its start


@pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_pooled_connection_goes_back_to_transactions(engine):
    with one_read(engine) as conn:
        conn.execute(_STARTED)
    with engine.connect() as conn:
        first = conn.execute(_STARTED).scalar()
        second = conn.execute(_STARTED).scalar()
    assert second == first


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_it_reads_in_a_transaction(engine):
    with one_read(engine) as conn:
        assert conn.in_transaction()
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
