"""The search indexes (words and infix) stay exactly in step with their tables, row by row or
rebuilt in bulk."""

from client.store import apply_pull_page, open_user_store, reset_reference_data
from client.store.bulk_load import BULK_PAGE_MIN
from tests.client.factories import (
    app_before,
    assert_search_index_consistent,
    delete,
    make_customer,
    make_product,
    page,
    put,
)


def _matches(store, text: str) -> list[str]:
    with store.read() as db:
        sql = (
            "SELECT c.code FROM customers_fts JOIN customers c ON c.rowid = customers_fts.rowid "
            "WHERE customers_fts MATCH ? ORDER BY c.code"
        )
        return [r[0] for r in db.execute(sql, [text])]


def _infix_matches(store, table: str, text: str) -> list[str]:
    with store.read() as db:
        sql = (
            f"SELECT t.id FROM {table}_infix JOIN {table} t ON t.rowid = {table}_infix.rowid "
            f"WHERE {table}_infix MATCH ? ORDER BY t.id"
        )
        return [r[0] for r in db.execute(sql, [f'"{text}"'])]


def _is_deferred(store) -> bool:
    with store.read() as db:
        return db.execute("SELECT 1 FROM sync_state WHERE key = 'search_index_deferred'").fetchone() is not None


def _bulk_pages(count: int, size: int = BULK_PAGE_MIN) -> list:
    """A first sync of `count` pages: customers, then a rename and a delete in the last page."""
    pages, seq = [], 0
    for _page in range(count):
        changes = []
        for _ in range(size):
            seq += 1
            changes.append(put(make_customer(f"K{seq:05d}", legal_name=f"Cliente {seq:05d}"), seq))
        pages.append(changes)
    pages[-1] += [
        put(make_customer("K00001", legal_name="Hidráulica Guadarrama"), seq + 1, version=2),
        delete(make_customer("K00002"), seq + 2),
    ]
    return [page(c, has_more=i < count - 1) for i, c in enumerate(pages)]


def test_row_by_row_upkeep_after_puts_updates_and_deletes(store):
    apply_pull_page(
        store,
        page([put(make_customer("C1"), 1), put(make_customer("C2"), 2), put(make_product("P1"), 3, bucket="catalog")]),
    )
    apply_pull_page(
        store,
        page(
            [
                put(make_customer("C1", legal_name="Bombas Norte"), 4, version=2),
                delete(make_customer("C2"), 5),
                put(make_product("P1", description="Latón"), 6, version=2, bucket="catalog"),
            ]
        ),
    )
    assert not _is_deferred(store)
    assert_search_index_consistent(store)
    assert _matches(store, "bombas") == ["C1"] and _matches(store, "penalara") == []
    assert _infix_matches(store, "customers", "ombas") == ["C1"]
    assert _infix_matches(store, "customers", "enalar") == []


def test_a_first_sync_keeps_the_index_as_pages_arrive_and_ends_exactly_in_step(store):
    pages = _bulk_pages(3)
    apply_pull_page(store, pages[0])
    # The triggers are down, the index is kept run by run: searchable before caught up.
    assert _is_deferred(store) and len(_matches(store, "cliente")) == BULK_PAGE_MIN
    assert len(_infix_matches(store, "customers", "iente 0")) == BULK_PAGE_MIN
    assert_search_index_consistent(store)
    for p in pages[1:]:  # the last page renames one and deletes one: rebuilt from the table
        apply_pull_page(store, p)
    assert not _is_deferred(store)
    assert_search_index_consistent(store)
    assert _matches(store, "guadarrama") == ["K00001"]
    assert _infix_matches(store, "customers", "draulica") == ["K00001"]  # folded: "Hidráulica"
    assert len(_matches(store, "cliente")) == 3 * BULK_PAGE_MIN - 2


def test_a_first_sync_killed_half_way_is_searchable_on_reopen_and_ends_right(tmp_path):
    pages = _bulk_pages(3)
    store = open_user_store(tmp_path, "ana.garcia")
    apply_pull_page(store, pages[0])
    store.close()  # the process dies here; the seller may now work offline

    resumed = open_user_store(tmp_path, "ana.garcia")
    assert not _is_deferred(resumed)
    assert_search_index_consistent(resumed)
    assert len(_matches(resumed, "cliente")) == BULK_PAGE_MIN  # what arrived is searchable
    for p in pages[1:]:
        apply_pull_page(resumed, p)
    assert_search_index_consistent(resumed)
    assert _matches(resumed, "guadarrama") == ["K00001"]
    resumed.close()


def test_an_incremental_sync_keeps_row_by_row_upkeep(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    big = _bulk_pages(2)
    for p in big:  # cursor > 0: never deferred, even for big pages
        apply_pull_page(store, page([c.model_copy(update={"seq": c.seq + 1}) for c in p.changes], has_more=p.has_more))
        assert not _is_deferred(store)
    assert_search_index_consistent(store)


def test_a_reset_empties_the_index_and_the_next_pull_rebuilds_it(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1), put(make_product("P1"), 2, bucket="catalog")]))
    reset_reference_data(store)
    assert_search_index_consistent(store)
    assert _matches(store, "penalara") == []
    apply_pull_page(store, page([put(make_customer("C7"), 1)]))
    assert_search_index_consistent(store)
    assert _matches(store, "penalara") == ["C7"]


def test_a_device_of_the_previous_version_gets_its_rows_in_the_infix_indexes(tmp_path):
    with app_before("m0013"):
        old = open_user_store(tmp_path, "ana.garcia")
        apply_pull_page(
            old,
            page([put(make_customer("C1", legal_name="Hermanos Calara"), 1), put(make_product("P-00487"), 2)]),
        )
        old.close()
    store = open_user_store(tmp_path, "ana.garcia")  # m0013 runs here
    assert _infix_matches(store, "customers", "alara") == ["C1"]
    assert _infix_matches(store, "products", "487") == ["P-00487"]
    apply_pull_page(store, page([put(make_customer("C1", legal_name="Hermanos Peñalara"), 3, version=2)]))
    assert _infix_matches(store, "customers", "enalar") == ["C1"]  # the triggers keep it from here
    assert_search_index_consistent(store)
    store.close()
