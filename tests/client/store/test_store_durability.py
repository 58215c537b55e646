"""Only pulled pages may skip waiting for the disk; everything else commits with FULL sync."""

import pytest

from client.store import apply_pull_page
from tests.client.factories import make_customer, page, put

FULL, NORMAL = 2, 1


def _sync_level(db) -> int:
    return db.execute("PRAGMA synchronous").fetchone()[0]


@pytest.mark.parametrize("durable, inside", [(True, FULL), (False, NORMAL)])
def test_a_write_runs_at_its_level_and_leaves_full_behind(store, durable, inside):
    with store.write(durable=durable) as db:
        assert _sync_level(db) == inside
    with store.write() as db:
        assert _sync_level(db) == FULL


def test_a_failed_fast_write_still_leaves_full_behind(store):
    with pytest.raises(RuntimeError), store.write(durable=False):
        raise RuntimeError("boom")
    with store.write() as db:
        assert _sync_level(db) == FULL


def test_a_pull_page_commits_without_waiting_for_the_disk(store, monkeypatch):
    seen = []
    original = store.write

    def spy(*args, **kwargs):
        seen.append(kwargs.get("durable", True))
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "write", spy)
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    assert seen == [False]


def test_a_new_device_database_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    import sqlite3

    from client.store import open_user_store, user_db_path
    from client.store.database import PAGE_SIZE

    fresh = open_user_store(tmp_path / "new", "ana.garcia")
    with fresh.read() as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE != 4096
    fresh.close()

    old_path = user_db_path(tmp_path / "old", "ana.garcia")
    old_path.parent.mkdir(parents=True)
    made = sqlite3.connect(old_path)  # a device database made before, with SQLite's default pages
    made.execute("PRAGMA page_size=4096")
    made.execute("PRAGMA journal_mode=WAL")
    made.execute("CREATE TABLE kept (x)")
    made.close()
    old = open_user_store(tmp_path / "old", "ana.garcia")  # migrated to the full schema, pages kept
    with old.read() as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert db.execute("SELECT count(*) FROM customers").fetchone() == (0,)
    old.close()
