"""held_back: change-log writes of a transaction written at its end, all or nothing."""

import pytest
import sqlalchemy as sa

from shared.models import Stock
from shared.protocol import combine_checksums, record_checksum
from sync_server.repository.changelog import read_changes
from sync_server.repository.database import write_transaction
from sync_server.repository.pending import held_back, held_back_put
from sync_server.repository.records import put_record
from sync_server.repository.tables import bucket_totals, changes, records
from sync_server.repository.totals import read_totals


def _stock(sku: str, on_hand: str = "1") -> Stock:
    return Stock(sku=sku, warehouse_code="MAD", on_hand=on_hand, reserved="0", damaged="0")


def _change_count(conn) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(changes)).scalar_one()


def test_changes_and_totals_wait_for_the_end_of_the_block_and_then_come_in_order(engine):
    with write_transaction(engine) as conn:
        with held_back(conn):
            put_record(conn, _stock("A"), "stock:MAD")
            put_record(conn, _stock("A", "2"), "stock:MAD")
            put_record(conn, _stock("B"), "stock:MAD")
            assert _change_count(conn) == 0
            assert conn.execute(sa.select(sa.func.count()).select_from(bucket_totals)).scalar_one() == 0
            assert held_back_put(conn, "stock", "A|MAD")["on_hand"] == "2"
        assert _change_count(conn) == 3
    with engine.connect() as conn:
        rows = read_changes(conn, ["stock:MAD"], 0, 10)
        totals = read_totals(conn, ["stock:MAD"])
        live = conn.execute(sa.select(records.c.entity_id, records.c.version)).all()
    assert [(r.entity_id, r.version) for r in rows] == [("A|MAD", 1), ("A|MAD", 2), ("B|MAD", 1)]
    assert rows[0].seq < rows[1].seq < rows[2].seq
    expected = combine_checksums(record_checksum("stock", rid, version) for rid, version in live)
    assert totals == {"stock:MAD": (2, expected)}


def test_a_savepoint_rolled_back_drops_its_share(engine):
    with write_transaction(engine) as conn, held_back(conn) as pending:
        put_record(conn, _stock("A"), "stock:MAD")
        mark = pending.mark()
        savepoint = conn.begin_nested()
        put_record(conn, _stock("B"), "stock:MAD")
        savepoint.rollback()
        pending.drop_since(mark)
    with engine.connect() as conn:
        assert [r.entity_id for r in read_changes(conn, ["stock:MAD"], 0, 10)] == ["A|MAD"]
        assert read_totals(conn, ["stock:MAD"])["stock:MAD"][0] == 1


def test_an_error_in_the_block_writes_nothing(engine):
    with pytest.raises(ZeroDivisionError), write_transaction(engine) as conn, held_back(conn):
        put_record(conn, _stock("A"), "stock:MAD")
        raise ZeroDivisionError
    with engine.connect() as conn:
        assert _change_count(conn) == 0
    with write_transaction(engine) as conn:  # the connection holds nothing back any more
        put_record(conn, _stock("C"), "stock:MAD")
        assert _change_count(conn) == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.postgres
def test_on_postgresql_the_change_log_lock_and_the_seqs_come_inside_the_commit(engine):
    def advisory_locks(conn) -> int:
        return conn.execute(
            sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        ).scalar_one()

    with write_transaction(engine) as conn:
        put_record(conn, _stock("Z"), "stock:MAD")  # an immediate writer before: seq 1
    with write_transaction(engine) as conn:
        with held_back(conn):
            put_record(conn, _stock("A"), "stock:MAD")
            put_record(conn, _stock("B"), "stock:MAD")
        assert advisory_locks(conn) == 0
        placeholders = conn.execute(sa.select(changes.c.seq).where(changes.c.seq < 0)).scalars().all()
        assert len(placeholders) == 2
    with engine.connect() as conn:
        rows = read_changes(conn, ["stock:MAD"], 0, 10)
        assert conn.execute(sa.select(sa.func.count()).select_from(changes).where(changes.c.seq < 0)).scalar() == 0
    assert [r.entity_id for r in rows] == ["Z|MAD", "A|MAD", "B|MAD"]
    assert rows[0].seq < rows[1].seq < rows[2].seq


@pytest.mark.parametrize("count", [5, 1003], ids=["one_statement", "more_than_one_statement_takes"])
def test_changes_of_many_records_in_two_buckets_keep_their_order_and_totals(engine, count):
    # PostgreSQL writes the totals and up to 1,000 changes in one statement, more after them.
    written = []
    with write_transaction(engine) as conn, held_back(conn):
        for n in range(count):
            bucket = "stock:MAD" if n % 3 else "stock:BCN"
            put_record(conn, _stock(f"S{n:04d}"), bucket)
            written.append((bucket, f"S{n:04d}|MAD"))
        put_record(conn, _stock("S0001", "7"), "stock:MAD")  # an update, last
        written.append(("stock:MAD", "S0001|MAD"))
    with engine.connect() as conn:
        rows = conn.execute(sa.select(changes.c.seq, changes.c.bucket, changes.c.entity_id).order_by(changes.c.seq))
        logged = [(r.bucket, r.entity_id) for r in rows]
        totals = read_totals(conn, ["stock:MAD", "stock:BCN"])
        live = conn.execute(sa.select(records.c.bucket, records.c.entity_id, records.c.version)).all()
    assert logged == written
    for bucket in ("stock:MAD", "stock:BCN"):
        mine = [(rid, version) for b, rid, version in live if b == bucket]
        expected = combine_checksums(record_checksum("stock", rid, version) for rid, version in mine)
        assert totals[bucket] == (len(mine), expected)
