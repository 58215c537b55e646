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
