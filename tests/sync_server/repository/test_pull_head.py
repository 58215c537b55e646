"""A pull's bounds read in one statement agree with the epoch, the floor and the last seq
read one by one."""

from datetime import UTC, datetime, timedelta

from sync_server.repository.changelog import ChangeRow, append_changes, last_seq
from sync_server.repository.compaction import compact, log_bounds, min_valid_cursor
from sync_server.repository.database import ensure_epoch, read_transaction, write_transaction


def _bounds_and_singles(engine):
    with read_transaction(engine) as conn:
        return log_bounds(conn), (ensure_epoch(conn), min_valid_cursor(conn), last_seq(conn))


def test_bounds_of_an_empty_log(engine):
    bounds, (epoch, floor, last) = _bounds_and_singles(engine)
    assert (bounds.epoch, bounds.floor, bounds.last_seq) == (epoch, 0, 0)
    assert epoch and floor == 0 and last == 0


def test_bounds_after_writes_and_a_compaction_that_raised_the_floor(engine):
    with write_transaction(engine) as conn:
        append_changes(
            conn, [ChangeRow("catalog", "warehouse", f"W{n}", "put", 1, {"code": f"W{n}"}) for n in range(3)]
        )
        append_changes(conn, [ChangeRow("catalog", "warehouse", "W0", "delete", 2, None)])
        append_changes(conn, [ChangeRow("catalog", "warehouse", "W1", "put", 2, {"code": "W1"})])
    with write_transaction(engine) as conn:
        compact(conn, datetime.now(UTC) + timedelta(days=1), timedelta(0))
    bounds, (epoch, floor, last) = _bounds_and_singles(engine)
    assert floor > 0  # the delete was dropped: the floor rose
    assert (bounds.epoch, bounds.floor, bounds.last_seq) == (epoch, floor, last)
    assert last >= 5


def test_a_database_without_an_epoch_yet_reads_none(engine):
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("DELETE FROM server_meta WHERE key = 'epoch'")
    with read_transaction(engine) as conn:
        assert log_bounds(conn).epoch is None
