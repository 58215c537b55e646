"""The tests' empty databases (copies of a migrated SQLite file, a replayed PostgreSQL
migration) are the schema a real migration makes, each with an epoch of its own."""

import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from shared.models import Stock
from shared.protocol import CATALOG_BUCKET
from sync_server.repository.database import check_schema, ensure_epoch, make_engine, migrate
from sync_server.repository.records import put_record
from tests.postgres import drop_schema, new_schema, postgres_base_url


def _shape(engine: sa.Engine) -> dict[str, object]:
    inspector = sa.inspect(engine)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(str(sorted(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            sorted(str(fk["referred_table"]) for fk in inspector.get_foreign_keys(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


@pytest.fixture
def migrated_for_real(database_url, tmp_path):
    """A database of the same backend migrated by Alembic, next to the fixture's copy."""
    if database_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{(tmp_path / 'real.db').as_posix()}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    engine, schema, admin = new_schema(postgres_base_url())
    migrate(engine)
    yield engine
    engine.dispose()
    drop_schema(admin, schema)
    admin.dispose()


def test_an_empty_test_database_is_what_the_migration_makes(database_url, migrated_for_real):
    copy = make_engine(database_url)
    try:
        check_schema(copy)
        assert _shape(copy) == _shape(migrated_for_real)
        with copy.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables}
        assert {t: n for t, n in counts.items() if n} == {"alembic_version": 1, "server_meta": 1}
    finally:
        copy.dispose()


def test_each_test_database_has_an_epoch_of_its_own(request, database_url):
    """A copy never shares the template's epoch, nor another copy's: devices treat an epoch
    change as a replaced database, and some tests rely on that."""
    if database_url.startswith("sqlite"):
        other = make_engine(f"sqlite:///{request.getfixturevalue('sqlite_template').as_posix()}")
    else:
        other, schema, admin = new_schema(postgres_base_url())
        request.getfixturevalue("postgres_recipe").apply(other)
    copy = make_engine(database_url)
    try:
        with copy.begin() as a, other.begin() as b:
            mine, theirs = ensure_epoch(a), ensure_epoch(b)
        assert uuid.UUID(hex=mine) != uuid.UUID(hex=theirs)
    finally:
        copy.dispose()
        other.dispose()
        if not database_url.startswith("sqlite"):
            drop_schema(admin, schema)
            admin.dispose()


@pytest.mark.postgres
def test_a_schema_given_back_is_handed_out_again_as_a_fresh_migration(postgres_schemas, request):
    """The pool empties a used schema: no rows but the migration's, sequences from the
    start, a new epoch; and a test that changed the schema's shape gets it dropped."""
    url, kept = postgres_schemas.take()
    used = make_engine(url)
    with used.begin() as conn:
        put_record(
            conn,
            Stock(sku="S1", warehouse_code="MAD", on_hand=Decimal(5), reserved=Decimal(0), damaged=Decimal(0)),
            CATALOG_BUCKET,
        )
        first_epoch = ensure_epoch(conn)
    with used.connect() as conn:
        first_seq = conn.exec_driver_sql("SELECT max(seq) FROM changes").scalar_one()
    used.dispose()
    postgres_schemas.give_back(kept)

    again, kept_again = postgres_schemas.take()
    assert kept_again.schema == kept.schema
    engine = make_engine(again)
    try:
        with engine.begin() as conn:
            counts = {
                t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                for t in sa.inspect(conn).get_table_names()
            }
            assert {t: n for t, n in counts.items() if n} == {"alembic_version": 1, "server_meta": 1}
            assert ensure_epoch(conn) != first_epoch
            put_record(
                conn,
                Stock(sku="S1", warehouse_code="MAD", on_hand=Decimal(5), reserved=Decimal(0), damaged=Decimal(0)),
                CATALOG_BUCKET,
            )
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT max(seq) FROM changes").scalar_one() == first_seq
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE stock ADD COLUMN scratch TEXT")
    finally:
        engine.dispose()
    postgres_schemas.give_back(kept_again)
    assert kept.schema not in {k.schema for k in postgres_schemas.free}
    with postgres_schemas.admin.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": kept.schema}
            ).scalar_one()
            == 0
        )


def _device_schema(store) -> tuple[list[tuple], list[str]]:
    from client.store.migrations import migrations

    with store.read() as db:
        objects = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        return objects, [m.name for m in migrations.applied(db)]


def test_a_device_store_from_the_template_is_the_one_migrations_make(tmp_path):
    from client.store import open_user_store
    from tests.store_template import made_the_real_way

    copied = open_user_store(tmp_path / "copied", "ana.garcia")
    with made_the_real_way():
        migrated = open_user_store(tmp_path / "migrated", "ana.garcia")
    try:
        assert _device_schema(copied) == _device_schema(migrated)
        assert len(_device_schema(copied)[1]) > 20  # every step, not an empty file twice
    finally:
        copied.close()
        migrated.close()
