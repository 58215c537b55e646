"""Pulled pages applied both ways: on a first sync (the search index rebuilt once, when the
device is caught up) and on a caught-up device (the index kept row by row by triggers).

Every row lands and every product is found by its words either way. How fast each path is
belongs to `make bench-sync` (bench/sync_breakdown.py), not to a test.
"""

from client.store import apply_pull_page, open_user_store
from shared.protocol import Change, PullResponse
from tests.client.factories import make_product

ROWS = 6_000
PAGE = 2_000
"""Three pages: the first sync's index is rebuilt only after the last."""


def _pages(rows: int, first_seq: int = 1) -> list[PullResponse]:
    template = make_product("X").to_data()
    changes = [
        Change(
            seq=first_seq + i,
            bucket="catalog",
            entity="product",
            id=f"SKU-{i:06d}",
            op="put",
            version=1,
            data={
                **template,
                "sku": f"SKU-{i:06d}",
                "name": f"Tornillo hexagonal M{i % 30} x {i % 100} mm",
                "replacement_cost": f"{i % 1000}.2500",
            },
        )
        for i in range(rows)
    ]
    return [
        PullResponse(
            changes=changes[i : i + PAGE],
            cursor=changes[min(i + PAGE, rows) - 1].seq,
            has_more=i + PAGE < rows,
            last_mutation_id=0,
            epoch="e",
        )
        for i in range(0, rows, PAGE)
    ]


def _apply(store, pages) -> None:
    for page in pages:
        apply_pull_page(store, page)


def test_a_first_sync_and_a_caught_up_device_both_find_every_product_by_its_words(tmp_path):
    bulk_store = open_user_store(tmp_path, "bulk")
    _apply(bulk_store, _pages(ROWS))
    with bulk_store.read() as db:
        assert db.execute("SELECT count(*) FROM products").fetchone()[0] == ROWS
        hits = db.execute("SELECT count(*) FROM products_fts WHERE products_fts MATCH '\"m29\"*'").fetchone()[0]
    bulk_store.close()
    assert hits == ROWS // 30

    # The same rows arriving after the device is caught up (row-by-row triggers).
    live_store = open_user_store(tmp_path, "live")
    apply_pull_page(live_store, PullResponse(changes=[], cursor=1, has_more=False, last_mutation_id=0, epoch="e"))
    _apply(live_store, _pages(ROWS, first_seq=2))
    with live_store.read() as db:
        assert db.execute("SELECT count(*) FROM products").fetchone()[0] == ROWS
        hits = db.execute("SELECT count(*) FROM products_fts WHERE products_fts MATCH '\"m29\"*'").fetchone()[0]
    live_store.close()
    assert hits == ROWS // 30
