"""The Alembic migrations build exactly the tables the code declares, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sync_server.repository.database import ensure_epoch, migrate
from sync_server.repository.tables import metadata


def test_migrations_match_the_declared_tables(engine):
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_migrating_again_changes_nothing_and_keeps_the_epoch(engine):
    with engine.connect() as conn:
        epoch = ensure_epoch(conn)
    migrate(engine)
    with engine.connect() as conn:
        assert ensure_epoch(conn) == epoch
        assert set(metadata.tables) <= set(inspect(conn).get_table_names())
