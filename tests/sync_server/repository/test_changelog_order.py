"""A pull never skips a change whose transaction commits after a higher seq was visible."""

import threading
import time

import pytest

from shared.models import Stock
from sync_server.repository.changelog import read_changes
from sync_server.repository.database import write_transaction
from sync_server.repository.pending import held_back
from sync_server.repository.records import put_record

# How a writer appends: at once (imports, approvals) or held back to its commit (pushes).
WAYS = ["immediate", "held back"]


def _put(conn, stock: Stock, way: str) -> None:
    if way == "held back":
        with held_back(conn):
            put_record(conn, stock, "stock:MAD")
    else:
        put_record(conn, stock, "stock:MAD")


def _stock(sku: str) -> Stock:
    return Stock(sku=sku, warehouse_code="MAD", on_hand="1", reserved="0", damaged="0")


@pytest.mark.parametrize("slow_way", WAYS)
@pytest.mark.parametrize("fast_way", WAYS)
def test_no_change_is_skipped_when_transactions_overlap(engine, slow_way, fast_way):
    slow_started, slow_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer():
        try:
            with write_transaction(engine) as conn:
                _put(conn, _stock("SLOW"), slow_way)
                slow_started.set()
                slow_may_commit.wait(10)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def fast_writer():
        try:
            with write_transaction(engine) as conn:
                _put(conn, _stock("FAST"), fast_way)
        except BaseException as exc:
            errors.append(exc)

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert slow_started.wait(10)
    fast = threading.Thread(target=fast_writer)
    fast.start()
    time.sleep(0.5)  # the fast writer commits now unless change-log writers are serialised

    seen, cursor = [], 0
    with engine.connect() as conn:
        for row in read_changes(conn, ["stock:MAD"], cursor, 100):
            seen.append(row.entity_id)
            cursor = row.seq
    slow_may_commit.set()
    slow.join(10)
    fast.join(10)
    assert not errors, errors
    with engine.connect() as conn:
        for row in read_changes(conn, ["stock:MAD"], cursor, 100):
            seen.append(row.entity_id)
    # Whatever the reader saw mid-way, resuming from its cursor yields both changes.
    assert sorted(seen) == ["FAST|MAD", "SLOW|MAD"]


@pytest.mark.parametrize("rounds", [3])
def test_many_overlapping_writers_lose_nothing(engine, rounds):
    """Ten writers at once, each appending at once or held back by turns, a reader
    advancing its cursor all along: every change arrives."""
    done = threading.Event()
    seen: list[str] = []

    def reader():
        cursor = 0
        while True:
            finished = done.is_set()
            with engine.connect() as conn:
                for row in read_changes(conn, ["stock:MAD"], cursor, 1000):
                    seen.append(row.entity_id)
                    cursor = row.seq
            if finished:
                return
            time.sleep(0.005)

    def writer(n: int):
        for r in range(rounds):
            with write_transaction(engine) as conn:
                _put(conn, _stock(f"S{n}-{r}"), WAYS[(n + r) % 2])
                time.sleep(0.01)  # keep transactions open long enough to overlap

    read = threading.Thread(target=reader)
    read.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(30)
    done.set()
    read.join(30)
    assert sorted(seen) == sorted(f"S{n}-{r}|MAD" for n in range(10) for r in range(rounds))
