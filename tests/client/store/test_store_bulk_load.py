"""A first sync stands indexes and upkeep triggers down, and always gets them back exactly."""

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from client.store import Store, apply_pull_page, bulk_load, open_user_store, reset_reference_data, user_db_path
from client.store.bucket_totals import read_bucket_totals, rebuild_bucket_totals
from client.store.bulk_load import BULK_PAGE_MIN
from client.store.effects import record
from tests.client.factories import (
    assert_search_index_consistent,
    delete,
    make_customer,
    make_visit,
    page,
    put,
    table_rows,
)
from tests.client.store.test_store_search_index import _bulk_pages


def _schema(store) -> set[tuple[str, str, str]]:
    with store.read() as db:
        return set(
            db.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            ).fetchall()
        )


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


def _stale(store) -> list[str] | None:
    with store.read() as db:
        row = db.execute("SELECT value FROM sync_state WHERE key = 'bulk_load_stale'").fetchone()
    return None if row is None else json.loads(row[0])


def _customers_pages(sizes: list[int], extra_last: list | None = None) -> list:
    pages, seq = [], 0
    for size in sizes:
        changes = []
        for _ in range(size):
            seq += 1
            changes.append(put(make_customer(f"K{seq:05d}", legal_name=f"Cliente {seq:05d}"), seq))
        pages.append(changes)
    pages[-1] += [c.model_copy(update={"seq": seq + 1 + i}) for i, c in enumerate(extra_last or [])]
    return [page(c, has_more=i < len(pages) - 1) for i, c in enumerate(pages)]


def test_a_clean_bulk_load_keeps_totals_and_search_itself_and_rebuilds_nothing(store, monkeypatch):
    rebuilt: list[str] = []
    monkeypatch.setattr(bulk_load, "rebuild_bucket_totals", lambda db: rebuilt.append("totals"))
    pages = _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10])
    for p in pages:
        apply_pull_page(store, p)
        assert _stale(store) is None
    assert rebuilt == []
    monkeypatch.undo()
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"] and totals["kept"]["portfolio:ana.garcia"][0] == 2 * BULK_PAGE_MIN + 10
    assert_search_index_consistent(store)


@pytest.mark.parametrize(
    "late_change",
    [
        put(make_customer("K00003", legal_name="Bombas Norte"), 0, version=2),  # a second put of one record
        delete(make_customer("K00004"), 0),  # a delete of a row this load inserted
    ],
    ids=["second-put", "delete"],
)
def test_a_change_to_a_row_this_load_inserted_rebuilds_totals_and_search_at_the_end(store, late_change):
    pages = _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN], extra_last=[late_change])
    apply_pull_page(store, pages[0])
    assert _stale(store) is None
    apply_pull_page(store, pages[1])
    assert _stale(store) is None  # the load finished: the flags are gone with it
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"]
    assert_search_index_consistent(store)
    names = {r["id"]: r["legal_name"] for r in table_rows(store, "customers")}
    assert names.get("K00003") == ("Bombas Norte" if late_change.op == "put" else "Cliente 00003")
    assert ("K00004" in names) == (late_change.op == "put")


def test_the_parts_a_conflict_makes_stale_are_named_until_the_load_ends(store):
    first, second, last = _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10])
    again = put(make_customer("K00001", legal_name="Otra"), second.cursor + 1, version=2)
    apply_pull_page(store, first)
    apply_pull_page(store, page([*second.changes, again], has_more=True))
    assert _stale(store) == ["search:customers_fts", "search:customers_infix", "totals"]
    apply_pull_page(store, page([c.model_copy(update={"seq": c.seq + 1}) for c in last.changes]))
    assert _stale(store) is None
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"]
    assert_search_index_consistent(store)


def test_a_bulk_load_begun_by_an_older_app_finishes_with_both_rebuilt(store, monkeypatch):
    pages = _customers_pages([BULK_PAGE_MIN, 10])
    apply_pull_page(store, pages[0])
    with store.write() as db:  # what an app that did not keep them as it went leaves behind
        db.execute("DELETE FROM sync_state WHERE key = 'bulk_load_keeps_up'")
        db.execute("DELETE FROM bucket_totals")
        db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('delete-all')")
    apply_pull_page(store, pages[1])
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"]
    assert_search_index_consistent(store)
    assert len(table_rows(store, "customers")) == BULK_PAGE_MIN + 10


def test_a_replacement_sync_with_unsent_local_rows_ends_in_step(store):
    visit = make_visit("K00001")
    record(store, "record_visit", {"visit": visit.to_data()})
    reset_reference_data(store)  # the local visit is re-applied: a row the server then sends back
    pages = _customers_pages([BULK_PAGE_MIN, 10], extra_last=[put(visit, 0, bucket="activity:ana.garcia")])
    for p in pages:
        apply_pull_page(store, p)
    totals = _totals_from_rows(store)
    assert totals["kept"] == totals["rebuilt"] and totals["kept"]["activity:ana.garcia"][0] == 1
    assert_search_index_consistent(store)


def _writer_checkpoints_at(store) -> int:
    with store.write() as db:  # the writer's own connection setting
        return db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def _file_holds_every_page(store) -> bool:
    with store.read() as db:
        size = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    return store.path.stat().st_size >= size


def test_a_bulk_load_copies_the_wal_back_rarely_and_folds_it_in_the_background_at_the_end(store):
    pages = _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10])
    assert _writer_checkpoints_at(store) == bulk_load.DEFAULT_WAL_PAGES
    apply_pull_page(store, pages[0])
    apply_pull_page(store, pages[1])
    assert _writer_checkpoints_at(store) == bulk_load.BULK_WAL_BYTES // store.page_size
    assert not _file_holds_every_page(store)  # the new pages are still in the WAL only
    apply_pull_page(store, pages[2])
    store.wait_for_upkeep(timeout=30)
    assert _writer_checkpoints_at(store) == bulk_load.DEFAULT_WAL_PAGES
    assert _file_holds_every_page(store)
    assert len(table_rows(store, "customers")) == 2 * BULK_PAGE_MIN + 10


@pytest.fixture
def small_wal_bound(monkeypatch):
    """Outside a bulk load, the writer copies the WAL back past 10 pages (these loads are small)."""
    from client.store import changes, database

    for module in (bulk_load, changes, database):
        monkeypatch.setattr(module, "DEFAULT_WAL_PAGES", 10)


@pytest.fixture
def upkeep_not_started(monkeypatch):
    """After-load upkeep that is due but has not run yet (its thread not started)."""
    from client.store import upkeep

    monkeypatch.setattr(upkeep.AfterLoadUpkeep, "start", lambda self: self)


def test_the_writes_after_a_load_leave_the_wal_to_the_background_checkpoint(store, small_wal_bound, upkeep_not_started):
    for p in _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    # The page that ended the load, then a small sync round and a seller's write: none of
    # their commits copies the load's WAL back (that is the upkeep thread's work).
    apply_pull_page(store, page([put(make_customer("K90001"), 10_000)]))
    record(store, "record_visit", {"visit": make_visit("K90001").to_data()})
    assert _writer_checkpoints_at(store) == bulk_load.BULK_WAL_BYTES // store.page_size
    assert not _file_holds_every_page(store)


def test_once_the_upkeep_ends_the_writer_folds_the_wal_as_usual_again(store, small_wal_bound, monkeypatch):
    from client.store import upkeep

    def fails(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(upkeep.AfterLoadUpkeep, "_fold_wal", fails)  # it ends without folding anything
    for p in _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    store.wait_for_upkeep(timeout=30)
    assert _writer_checkpoints_at(store) == 10
    assert not _file_holds_every_page(store)
    record(store, "record_visit", {"visit": make_visit("K00001").to_data()})  # its commit folds the WAL itself
    assert _file_holds_every_page(store)


def _merge_would_work(store, index: str) -> bool:
    with store.write() as db:
        before = db.conn.total_changes
        db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('merge', 1000)")
        worked = db.conn.total_changes - before >= 2
    return worked


def test_after_a_bulk_load_the_search_index_is_merged_in_the_background(tmp_path):
    from tests.client.factories import make_product

    def products(start: int) -> list:
        return [
            put(make_product(f"P{i:05d}", name=f"Tornillo {i} hexagonal"), i + 1, bucket="catalog")
            for i in range(start, start + BULK_PAGE_MIN)
        ]

    loaded = open_user_store(tmp_path / "loaded", "ana.garcia")
    pages = [page(products(p * BULK_PAGE_MIN), has_more=p < 5) for p in range(6)]
    for p in pages[:-1]:
        apply_pull_page(loaded, p)
    assert loaded._upkeep is None  # no upkeep while the load goes on
    apply_pull_page(loaded, pages[-1])
    loaded.wait_for_upkeep(timeout=60)
    assert loaded._upkeep.merge_steps > 0  # a page a segment: there was merging to do
    assert not _merge_would_work(loaded, "products_fts")  # and none is left for the next write
    assert _crisis_bound(loaded, "products_fts") == 16  # FTS5's own again, the merge done
    assert_search_index_consistent(loaded)
    loaded.close()


def test_a_merge_cut_short_by_closing_goes_on_when_the_store_opens_again(tmp_path, monkeypatch):
    from client.store import upkeep
    from tests.client.factories import make_product

    products = [put(make_product(f"P{i:05d}"), i + 1, bucket="catalog") for i in range(6 * BULK_PAGE_MIN)]
    pages = [page(products[p * BULK_PAGE_MIN : (p + 1) * BULK_PAGE_MIN], has_more=p < 5) for p in range(6)]
    monkeypatch.setattr(upkeep.AfterLoadUpkeep, "start", lambda self: self)  # the app stops before it begins
    store = open_user_store(tmp_path, "ana.garcia")
    for p in pages:
        apply_pull_page(store, p)
    store.close()
    assert _merge_would_work_in(tmp_path)
    monkeypatch.undo()
    reopened = open_user_store(tmp_path, "ana.garcia")
    reopened.wait_for_upkeep(timeout=60)
    assert not _merge_would_work(reopened, "products_fts")
    with reopened.read() as db:
        assert not bulk_load.is_merge_due(db)
    reopened.close()
    again = open_user_store(tmp_path, "ana.garcia")
    assert again._upkeep is None  # nothing due: no upkeep thread on a plain open
    again.close()


def _merge_would_work_in(data_dir) -> bool:
    store = Store(user_db_path(data_dir, "ana.garcia"))
    try:
        return _merge_would_work(store, "products_fts")
    finally:
        store.close()


def test_the_wal_a_bulk_load_grew_is_cut_back_once_checkpointed(tmp_path, monkeypatch):
    from client.store import database

    monkeypatch.setattr(database, "_WAL_SIZE_LIMIT", 64 * 1024)
    store = open_user_store(tmp_path, "ana.garcia")
    wal = Path(f"{store.path}-wal")
    for p in _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    grown = wal.stat().st_size
    store.wait_for_upkeep(timeout=60)
    with store.write() as db:  # the next write starts the checkpointed WAL over, cut back to the limit
        db.execute("INSERT INTO sync_state (key, value) VALUES ('probe', '1')")
    assert grown > 1024 * 1024 and wal.stat().st_size <= 64 * 1024
    store.close()


def test_no_upkeep_starts_on_a_store_being_closed(tmp_path):
    store = open_user_store(tmp_path, "ana.garcia")
    store.close()
    store.start_upkeep_after_load()  # a page applied on another thread as the app signs out, say
    assert store._upkeep is None


def test_a_load_that_ends_while_the_last_ones_upkeep_runs_gets_a_pass_of_its_own(store, small_wal_bound, monkeypatch):
    from client.store import upkeep

    passes, release, real_run = [], threading.Event(), upkeep.AfterLoadUpkeep._run

    def run(self):
        passes.append(self)
        if len(passes) == 1:
            release.wait(30)  # the first pass is still going...
        real_run(self)

    monkeypatch.setattr(upkeep.AfterLoadUpkeep, "_run", run)
    for p in _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    store.start_upkeep_after_load()  # ...when another load ends
    release.set()
    store.wait_for_upkeep(timeout=30)
    assert len(passes) == 2
    assert _writer_checkpoints_at(store) == 10 and _file_holds_every_page(store)


def _crisis_bound(store, index: str) -> int | None:
    with store.read() as db:
        row = db.execute(f"SELECT v FROM {index}_config WHERE k = 'crisismerge'").fetchone()
    return None if row is None else int(row[0])


def test_fts5s_crisis_merge_waits_for_the_background_merge_not_the_end_of_the_load(store, upkeep_not_started):
    pages = _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10])
    assert _crisis_bound(store, "customers_fts") is None  # never set: FTS5's own 16
    apply_pull_page(store, pages[0])
    assert _crisis_bound(store, "customers_fts") == 64
    apply_pull_page(store, pages[1])
    apply_pull_page(store, pages[2])
    assert _crisis_bound(store, "customers_fts") == 64  # the load is over, its merge is not
    with store.write() as db:
        bulk_load.merge_done(db)
    assert _crisis_bound(store, "customers_fts") == 16


def test_a_load_begun_before_the_last_ones_merge_is_done_still_gets_fts5s_bound_back(store, upkeep_not_started):
    for p in _customers_pages([BULK_PAGE_MIN, BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    reset_reference_data(store)  # a replacement sync, before any merge ran
    for p in _customers_pages([BULK_PAGE_MIN, 10]):
        apply_pull_page(store, p)
    with store.write() as db:
        bulk_load.merge_done(db)
    assert _crisis_bound(store, "customers_fts") == 16 and _crisis_bound(store, "products_fts") == 16
