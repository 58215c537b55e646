"""Apply rate of pulled pages: 100k product puts, printed next to raw SQLite on this machine.

A measurement, not a timed assertion (see TESTING.md): run with `-s` to read it. Only the
result is asserted. Two paths: a first sync (search index rebuilt once when caught up) and
a caught-up device (index kept row by row by triggers).
"""

import sqlite3
import time

from client.store import apply_pull_page, open_user_store
from shared.protocol import Change, PullResponse
from tests.client.factories import make_product

ROWS = 100_000
PAGE = 2_000


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


def _raw_insert_rate(path, pages) -> float:
    # Baseline: the same rows and page transactions into a plain table, no index, no FTS.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE p (id TEXT PRIMARY KEY, sku, name, description, category_code, unit, tax_class, "
        "currency, replacement_cost, active, _version)"
    )
    fields = (
        "sku",
        "name",
        "description",
        "category_code",
        "unit",
        "tax_class",
        "currency",
        "replacement_cost",
        "active",
    )
    started = time.perf_counter()
    for page in pages:
        with conn:
            conn.executemany(
                "INSERT INTO p VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(c.id, *(c.data[f] for f in fields), c.version) for c in page.changes],
            )
    elapsed = time.perf_counter() - started
    conn.close()
    return sum(len(p.changes) for p in pages) / elapsed


def _apply_rate(store, pages) -> float:
    started = time.perf_counter()
    for page in pages:
        apply_pull_page(store, page)
    return sum(len(p.changes) for p in pages) / (time.perf_counter() - started)


def test_apply_rate_of_100k_product_puts(tmp_path):
    first_sync = _pages(ROWS)
    raw = _raw_insert_rate(tmp_path / "raw.db", first_sync)

    bulk_store = open_user_store(tmp_path, "bulk")
    bulk = _apply_rate(bulk_store, first_sync)
    with bulk_store.read() as db:
        assert db.execute("SELECT count(*) FROM products").fetchone()[0] == ROWS
        hits = db.execute("SELECT count(*) FROM products_fts WHERE products_fts MATCH '\"m29\"*'").fetchone()[0]
    bulk_store.close()
    assert hits == ROWS // 30

    # Steady state: the same rows arriving after the device is caught up (row-by-row triggers).
    live_store = open_user_store(tmp_path, "live")
    apply_pull_page(live_store, PullResponse(changes=[], cursor=1, has_more=False, last_mutation_id=0, epoch="e"))
    live = _apply_rate(live_store, _pages(ROWS // 5, first_seq=2))
    live_store.close()

    print(
        f"\napply_pull_page, {ROWS:,} product puts in pages of {PAGE}: first sync {bulk:,.0f} rows/s "
        f"(search index rebuilt once); caught-up device {live:,.0f} rows/s (index kept row by row, "
        f"{ROWS // 5:,} rows); raw SQLite insert baseline {raw:,.0f} rows/s"
    )
