"""Per-bucket totals on the device: kept by triggers in step with the rows, like the server's."""

from client.store import apply_pull_page, record, reset_reference_data
from client.store.bucket_totals import read_bucket_totals, read_checkpoint, rebuild_bucket_totals
from client.store.bulk_load import BULK_PAGE_MIN
from shared.protocol import BucketChecksum, Checkpoint, MutationName, PullResponse, combine_checksums, record_checksum
from tests.client.factories import ACTIVITY, EPOCH, delete, make_customer, make_product, make_visit, page, put

PORTFOLIO = "portfolio:ana.garcia"


def expected(*records: tuple[str, str, int]) -> tuple[int, int]:
    """(records, checksum) the server would state for these (entity, id, version)."""
    return len(records), combine_checksums(record_checksum(*r) for r in records)


def totals(store) -> dict[str, tuple[int, int]]:
    with store.read() as db:
        return {b: t for b, t in read_bucket_totals(db).items() if t != (0, 0)}


def test_puts_updates_and_deletes_keep_the_totals_of_their_bucket(store):
    apply_pull_page(
        store,
        page([put(make_customer("C1"), 1), put(make_customer("C2"), 2), put(make_product("P1"), 3, bucket="catalog")]),
    )
    apply_pull_page(
        store, page([put(make_customer("C1", city="Bilbao"), 4, version=2), delete(make_customer("C2"), 5)])
    )
    assert totals(store) == {PORTFOLIO: expected(("customer", "C1", 2)), "catalog": expected(("product", "P1", 1))}


def test_a_row_moved_to_another_bucket_leaves_the_first(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    # What a manager sees when C1 moves from ana to bob: a delete in one bucket, a put in the other.
    apply_pull_page(
        store,
        page(
            [
                delete(make_customer("C1"), 2),
                put(make_customer("C1", seller_login="bob"), 3, version=2, bucket="portfolio:bob"),
            ]
        ),
    )
    assert totals(store) == {"portfolio:bob": expected(("customer", "C1", 2))}


def test_rows_recorded_here_count_only_once_the_server_sends_them_back(store):
    visit = make_visit()
    record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    assert totals(store) == {}
    apply_pull_page(store, page([put(visit, 1, bucket=ACTIVITY)]))
    assert totals(store) == {ACTIVITY: expected(("visit", str(visit.id), 1))}
    # A pending edit of a pulled row keeps the server's version: the totals do not move.
    record(store, MutationName.RECORD_VISIT, {"visit": {**visit.to_data(), "notes": "otra nota"}})
    assert totals(store) == {ACTIVITY: expected(("visit", str(visit.id), 1))}


def test_a_row_changed_behind_the_stores_back_shows_in_the_totals(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1), put(make_customer("C2"), 2)]))
    with store.write() as db:
        db.execute("DELETE FROM customers WHERE id = 'C2'")
        db.execute("UPDATE customers SET _version = 7 WHERE id = 'C1'")
    assert totals(store) == {PORTFOLIO: expected(("customer", "C1", 7))}


def test_a_bulk_first_sync_rebuilds_the_same_totals_the_triggers_keep(store):
    customers = [put(make_customer(f"K{i:05d}"), i + 1) for i in range(BULK_PAGE_MIN * 2)]
    half = len(customers) // 2
    apply_pull_page(store, page(customers[:half], has_more=True))
    apply_pull_page(store, page(customers[half:]))
    bulk = totals(store)
    with store.write() as db:
        rebuild_bucket_totals(db)
    assert totals(store) == bulk == {PORTFOLIO: expected(*(("customer", c.id, 1) for c in customers))}


def test_the_caught_up_pages_checkpoint_is_kept_with_the_page_and_forgotten_by_a_reset(store):
    checkpoint = Checkpoint(seq=1, buckets=[BucketChecksum(bucket=PORTFOLIO, count=1, checksum=5)])
    apply_pull_page(
        store,
        PullResponse(
            changes=[put(make_customer("C1"), 1)],
            cursor=1,
            has_more=False,
            last_mutation_id=0,
            epoch=EPOCH,
            checkpoint=checkpoint,
        ),
    )
    with store.read() as db:
        assert read_checkpoint(db) == checkpoint
    reset_reference_data(store)
    with store.read() as db:
        assert read_checkpoint(db) is None
    assert totals(store) == {}  # rows forgotten; rebuilt when the replacement sync catches up


def test_a_rebuild_reads_a_big_bucket_in_slices_and_counts_every_row(store, monkeypatch):
    from client.store import bucket_totals

    rows = [put(make_customer(f"C{i:03d}"), i + 1) for i in range(50)]
    rows += [put(make_product(f"P{i:03d}"), 51 + i, bucket="catalog") for i in range(23)]
    apply_pull_page(store, page(rows))
    kept = totals(store)
    monkeypatch.setattr(bucket_totals, "_SLICE", 7)  # 50 and 23 rows: slices of 7 and a rest
    with store.write() as db:
        rebuild_bucket_totals(db)
    assert (
        totals(store)
        == kept
        == {
            PORTFOLIO: expected(*(("customer", c.id, 1) for c in rows[:50])),
            "catalog": expected(*(("product", p.id, 1) for p in rows[50:])),
        }
    )
