"""The device schema: migrations are idempotent and every model field has its column."""

import sqlite3

import pytest

from client.store import FIELD_TABLES, REFERENCE_TABLES, apply_pull_page, open_user_store, read_state, user_db_path
from client.store.migrations import migrations
from client.store.schema import BUCKET_COLUMN, ID_COLUMN, VERSION_COLUMN, field_kind, sql_type
from shared.models import MODELS_BY_ENTITY, REFERENCE_MODELS, Stock
from shared.protocol import Change
from tests.client.factories import app_before, make_customer, page, put, table_rows


def _columns(store, table: str) -> dict[str, str]:
    with store.read() as db:
        return {r[1]: r[2] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()}


def test_every_reference_model_has_a_table():
    assert {m.ENTITY for m in REFERENCE_MODELS} == set(REFERENCE_TABLES)


STORED_MODELS = [*REFERENCE_MODELS, *(MODELS_BY_ENTITY[e] for e in FIELD_TABLES)]
TABLES = {**REFERENCE_TABLES, **FIELD_TABLES}


@pytest.mark.parametrize("model", STORED_MODELS, ids=lambda m: m.ENTITY)
def test_every_model_field_has_a_column_of_the_right_type(store, model):
    # Fails when a field is added to a shared model without a new client migration.
    columns = _columns(store, TABLES[model.ENTITY])
    expected = {name: sql_type(field_kind(info.annotation)) for name, info in model.model_fields.items()}
    expected.setdefault(ID_COLUMN, "TEXT")
    expected[VERSION_COLUMN] = "INTEGER"
    expected[BUCKET_COLUMN] = "TEXT"
    assert columns == expected


def test_migrations_are_idempotent_and_keep_data(tmp_path):
    store = open_user_store(tmp_path, "ana.garcia")
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    with store.read() as db:
        applied = [m.name for m in migrations.applied(db)]
    store.close()

    again = open_user_store(tmp_path, "ana.garcia")
    with again.read() as db:
        assert [m.name for m in migrations.applied(db)] == applied
        assert migrations.pending(db) == []
    with again.write() as db:
        migrations.apply(db)  # a third run inside a transaction: still nothing to do
    assert [r["id"] for r in table_rows(again, "customers")] == ["C1"]
    again.close()
    # Every declared step ran, in the order of their numbers (names never change once shipped).
    declared = [m.name for m in migrations._migrations]
    assert applied == declared == sorted(declared)
    assert applied[:5] == [
        "m0001_reference_tables",
        "m0002_sync_state_and_outbox",
        "m0003_search_indexes",
        "m0004_field_data_and_sync_issues",
        "m0005_quotes_policies_attachments",
    ]


def test_a_device_of_the_previous_version_gains_the_field_tables_and_resyncs(tmp_path):
    # A device on m0003 pulled visits it had no table for; opening with m0004 fetches them again.
    path = user_db_path(tmp_path, "ana.garcia")
    with app_before("m0004"):  # what a device on m0003 has
        old = open_user_store(tmp_path, "ana.garcia")
        visit = {"id": "0191f7a2-0000-7000-8000-0000000000a1", "customer_code": "C1", "seller_login": "ana.garcia"}
        apply_pull_page(
            old,
            page(
                [
                    put(make_customer("C1"), 1),
                    Change(
                        seq=2,
                        bucket="activity:ana.garcia",
                        entity="visit",
                        id=visit["id"],
                        op="put",
                        version=1,
                        data=visit,
                    ),
                ]
            ),
        )
        old.close()
    store = open_user_store(tmp_path, "ana.garcia")
    with store.read() as db:
        state = read_state(db)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    store.close()
    assert {"visits", "opportunities", "sync_issues"} <= tables and path.exists()
    assert (state.cursor, state.ignored_entities) == (0, frozenset())  # pulls again, visits included


def test_a_failing_migration_leaves_nothing_behind(tmp_path):
    open_user_store(tmp_path, "ana.garcia").close()

    @migrations()
    def m9999_broken(db):
        db.execute("CREATE TABLE half_done (x TEXT)")
        raise RuntimeError("power cut")

    try:
        with pytest.raises(RuntimeError, match="power cut"):
            open_user_store(tmp_path, "ana.garcia")
    finally:
        migrations._migrations.remove(next(m for m in migrations._migrations if m.name == "m9999_broken"))
    conn = sqlite3.connect(user_db_path(tmp_path, "ana.garcia"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    recorded = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "half_done" not in tables
    assert "m9999_broken" not in recorded


def test_the_database_is_in_wal_mode(store):
    with store.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("login", ["../etc", "Ana", "a/b", "x", ""])
def test_a_login_that_is_not_a_safe_file_name_is_refused(tmp_path, login):
    with pytest.raises(ValueError):
        open_user_store(tmp_path, login)


def test_a_device_of_the_previous_version_loses_the_unread_stock_index_and_keeps_its_stock(tmp_path):
    with app_before("m0010"):
        old = open_user_store(tmp_path, "ana.garcia")
        apply_pull_page(
            old,
            page(
                [
                    put(
                        Stock(sku="P1", warehouse_code="W01", on_hand="5", reserved="0", damaged="0"),
                        1,
                        bucket="stock:W01",
                    )
                ]
            ),
        )
        with old.read() as db:
            assert _indexes(db, "stock") == {"ix_stock_sku", "ix_stock_warehouse_code"}
        old.close()
    store = open_user_store(tmp_path, "ana.garcia")
    with store.read() as db:
        assert _indexes(db, "stock") == {"ix_stock_sku"}
        plan = " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM stock WHERE sku IN ('P1', 'P2')"))
    assert "ix_stock_sku" in plan
    assert [r["on_hand"] for r in table_rows(store, "stock")] == ["5"]
    store.close()


def _indexes(db, table: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
        )
    }
