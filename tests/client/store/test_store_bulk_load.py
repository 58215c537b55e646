"""A first sync stands indexes and upkeep triggers down, and always gets them back exactly."""

import pytest

from client.store import Store, apply_pull_page, open_user_store, user_db_path
from client.store.bucket_totals import read_bucket_totals, rebuild_bucket_totals
from tests.client.store.test_store_search_index import _bulk_pages


def _schema(store) -> set[tuple[str, str, str]]:
    with store.read() as db:
        return set(db.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                              "AND sql IS NOT NULL").fetchall())


def _totals_from_rows(store) -> dict:
    with store.write() as db:
        kept = read_bucket_totals(db)
        rebuild_bucket_totals(db)
        rebuilt = read_bucket_totals(db)
    assert rebuilt, "the bulk pages put rows in buckets"
    return {"kept": kept, "rebuilt": rebuilt}


@pytest.fixture
def full_schema(tmp_path):
    fresh = open_user_store(tmp_path / "fresh", "ana.garcia")
    yield _schema(fresh)
    fresh.close()


def test_the_bulk_pages_run_without_secondary_indexes_and_upkeep_triggers(store, full_schema):
    pages = _bulk_pages(3)
    apply_pull_page(store, pages[0])
    during = _schema(store)
    gone = full_schema - during
    assert {kind for kind, _, _ in gone} == {"index", "trigger"}
    assert ("index", "ix_customers_seller_login") in {(kind, name) for kind, name, _ in gone}
    assert all("search_index_deferred" in sql for kind, _, sql in gone if kind == "trigger")
    assert during <= full_schema  # nothing new appears, nothing is altered

    for p in pages[1:]:
        apply_pull_page(store, p)
    assert _schema(store) == full_schema
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"]


def test_a_kill_mid_bulk_load_gives_the_full_schema_back_on_reopen(tmp_path, full_schema):
    pages = _bulk_pages(3)
    store = open_user_store(tmp_path / "device", "ana.garcia")
    apply_pull_page(store, pages[0])
    assert _schema(store) != full_schema
    store.close()  # killed here

    migrating = Store(user_db_path(tmp_path / "device", "ana.garcia"))  # what migrations run against
    assert _schema(migrating) == full_schema
    migrating.close()
    resumed = open_user_store(tmp_path / "device", "ana.garcia")
    assert _schema(resumed) == full_schema
    for p in pages[1:]:  # the rest arrives row by row, triggers keeping the totals
        apply_pull_page(resumed, p)
    assert _schema(resumed) == full_schema
    totals = _totals_from_rows(resumed)
    assert totals["kept"] == totals["rebuilt"]
    resumed.close()
