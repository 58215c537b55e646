"""Runs of puts written with multi-row statements: every row, in order, few statements."""

import json
import sqlite3

import pytest

from client.store import apply_pull_page, open_user_store, row_writes
from client.store.bucket_totals import read_bucket_totals, rebuild_bucket_totals
from client.store.bulk_load import BULK_PAGE_MIN
from client.store.row_writes import statement_sizes
from tests.client.factories import assert_search_index_consistent, make_product, page, put, table_rows


@pytest.mark.parametrize(
    ("rows", "largest", "sizes"),
    [
        (0, 8, []),
        (1, 8, [1]),
        (7, 8, [4, 2, 1]),
        (8, 8, [8]),
        (9, 8, [8, 1]),
        (29, 8, [8, 8, 8, 4, 1]),
        (1000, 512, [512, 256, 128, 64, 32, 8]),
    ],
)
def test_a_run_is_cut_into_the_largest_statements_then_powers_of_two(rows, largest, sizes):
    assert statement_sizes(rows, largest) == sizes


def test_every_run_length_needs_only_a_handful_of_statements():
    # Each row count is a statement of its own, prepared and cached: runs of any length up
    # to four of the largest use the largest and the powers of two below it, no more.
    used = {size for rows in range(1, 4 * 64 + 1) for size in statement_sizes(rows, 64)}
    assert used == {1, 2, 4, 8, 16, 32, 64}


@pytest.fixture
def small_statements(monkeypatch):
    """Statements of 8 rows at most, so that short runs cross several of them."""
    monkeypatch.setattr(row_writes, "_MOST_ROWS", 8)


def _products(count: int, start: int = 0, **kw) -> list:
    return [put(make_product(f"P{start + i:05d}", **kw), start + i + 1, bucket="catalog") for i in range(count)]


@pytest.mark.parametrize("count", [1, 7, 8, 9, 17, 31])
def test_a_run_across_several_statements_stores_every_row_as_sent(store, small_statements, count):
    changes = _products(count)
    apply_pull_page(store, page(changes))
    rows = table_rows(store, "products")
    assert [r["id"] for r in rows] == [c.id for c in changes]
    assert all(r["name"] == c.data["name"] and r["_version"] == 1 for r, c in zip(rows, changes))
    assert_search_index_consistent(store)


def test_a_later_put_of_a_row_in_the_same_statement_wins(store, small_statements):
    first = put(make_product("P1", name="Arandela plana"), 1, bucket="catalog")
    later = put(make_product("P1", name="Arandela grower"), 2, version=2, bucket="catalog")
    # Three rows go as statements of 2 and 1: both puts of P1 are in the first, with the
    # search and bucket-total triggers live (not a bulk load).
    apply_pull_page(store, page([first, later, put(make_product("P2"), 3, bucket="catalog")]))
    assert [(r["id"], r["name"], r["_version"]) for r in table_rows(store, "products")][0] == (
        "P1",
        "Arandela grower",
        2,
    )
    with store.read() as db:
        found = db.execute("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'grower'").fetchone()[0]
        gone = db.execute("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'plana'").fetchone()[0]
    assert (found, gone) == (1, 0)
    assert_search_index_consistent(store)
    with store.write() as db:
        kept = read_bucket_totals(db)
        rebuild_bucket_totals(db)
        assert read_bucket_totals(db) == kept and kept["catalog"][0] == 2


def test_a_value_that_cannot_bind_in_a_later_statement_undoes_the_earlier_ones(store, small_statements):
    changes = _products(25)
    odd = {**changes[20].data, "name": {"es": "Tornillo", "en": "Bolt"}}  # in the third statement of 8
    changes[20] = changes[20].model_copy(update={"data": odd})
    apply_pull_page(store, page(changes))
    rows = table_rows(store, "products")
    assert [r["id"] for r in rows] == [c.id for c in changes]  # each once, after the checked retry
    assert json.loads(rows[20]["name"]) == {"es": "Tornillo", "en": "Bolt"}


def test_a_lower_bound_on_bound_values_makes_smaller_statements(store):
    store._writer.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 40)  # 3 product rows of 13 values
    changes = _products(10)
    apply_pull_page(store, page(changes))
    with store.read() as db:
        stored = [r[0] for r in db.execute("SELECT id FROM products ORDER BY rowid")]
    assert stored == [c.id for c in changes]  # every row, in the order sent


def test_a_bulk_page_with_a_row_twice_in_one_statement_ends_in_step(tmp_path, small_statements):
    store = open_user_store(tmp_path / "bulk", "ana.garcia")
    try:
        changes = _products(BULK_PAGE_MIN)
        twice = put(make_product("P00003", name="Arandela grower"), BULK_PAGE_MIN + 1, version=2, bucket="catalog")
        apply_pull_page(store, page(changes[:4] + [twice] + changes[4:], has_more=True))
        apply_pull_page(store, page(_products(10, start=BULK_PAGE_MIN + 1), has_more=False))
        rows = {r["id"]: r for r in table_rows(store, "products")}
        assert len(rows) == BULK_PAGE_MIN + 10
        assert (rows["P00003"]["name"], rows["P00003"]["_version"]) == ("Arandela grower", 2)
        assert_search_index_consistent(store)
    finally:
        store.close()
