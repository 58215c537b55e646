"""A pull's head read in one statement agrees with the epoch, the floor, the last seq, the
device's last mutation id and the warehouses read one by one."""

from datetime import UTC, datetime, timedelta

import pytest

from sync_server.repository import ledger
from sync_server.repository.changelog import ChangeRow, append_changes, last_seq
from sync_server.repository.compaction import compact, min_valid_cursor
from sync_server.repository.database import ensure_epoch, read_transaction, write_transaction
from sync_server.repository.directory import warehouse_codes
from sync_server.repository.identity import register_device
from sync_server.repository.pull_head import pull_head
from tests.sync_server.factories import make_user

DEVICE = "device-a"


def _head_and_singles(engine, client_id: str = DEVICE):
    with read_transaction(engine) as conn:
        singles = (
            ensure_epoch(conn),
            min_valid_cursor(conn),
            last_seq(conn),
            ledger.last_mutation_id(conn, client_id),
            sorted(warehouse_codes(conn)),
        )
        return pull_head(conn, client_id), singles


def _as_tuple(head):
    return (head.epoch, head.floor, head.last_seq, head.last_mutation_id, sorted(head.warehouses))


@pytest.fixture
def device(engine):
    with write_transaction(engine) as conn:
        make_user(conn, "ana.ruiz", warehouse="MAD")
        make_user(conn, "luis.gil", warehouse="BCN")
        register_device(conn, DEVICE, "ana.ruiz", "Tablet", 1, "A1", datetime.now(UTC))
        assert ledger.claim_mutation(conn, DEVICE, 1) and ledger.claim_mutation(conn, DEVICE, 2)
    return DEVICE


def test_the_head_of_a_database_with_nothing_in_it(engine):
    head, singles = _head_and_singles(engine)
    assert _as_tuple(head) == singles
    assert head.epoch and (head.floor, head.last_seq, head.last_mutation_id, head.warehouses) == (0, 0, None, [])


def test_the_head_after_writes_and_a_compaction_that_raised_the_floor(engine, device):
    with write_transaction(engine) as conn:
        append_changes(conn, [ChangeRow("catalog", "product", f"P{n}", "put", 1, {"sku": f"P{n}"}) for n in range(3)])
        append_changes(conn, [ChangeRow("catalog", "product", "P0", "delete", 2, None)])
        append_changes(conn, [ChangeRow("catalog", "product", "P1", "put", 2, {"sku": "P1"})])
    with write_transaction(engine) as conn:
        compact(conn, datetime.now(UTC) + timedelta(days=1), timedelta(0))
    head, singles = _head_and_singles(engine, device)
    assert _as_tuple(head) == singles
    assert head.floor > 0  # the delete was dropped: the floor rose
    assert head.last_mutation_id == 2
    assert sorted(head.warehouses) == ["BCN", "MAD"]


def test_a_device_the_server_does_not_know_reads_none(engine, device):
    head, _ = _head_and_singles(engine, "someone-else")
    assert head.last_mutation_id is None
    assert sorted(head.warehouses) == ["BCN", "MAD"]


def test_a_database_without_an_epoch_yet_reads_none(engine):
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("DELETE FROM server_meta WHERE key = 'epoch'")
    with read_transaction(engine) as conn:
        assert pull_head(conn, DEVICE).epoch is None
