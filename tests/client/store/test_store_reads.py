"""Store.read: a read inside a read joins it; reads of other threads wait their turn."""

import threading

from client.store import read_state, save_state


def test_a_nested_read_on_the_same_thread_joins_the_open_one(store):
    done = threading.Event()

    def nested():
        with store.read() as outer, store.read() as inner:
            assert inner is outer
            read_state(inner)
        done.set()

    worker = threading.Thread(target=nested, daemon=True)
    worker.start()
    assert done.wait(10), "a nested read hung"


def test_a_nested_read_sees_the_same_snapshot_as_the_outer_one(store):
    with store.write() as db:
        save_state(db, cursor=5)
    with store.read() as outer:
        assert read_state(outer).cursor == 5
        with store.write() as db:  # the writer moves on meanwhile
            save_state(db, cursor=9)
        with store.read() as inner:
            assert read_state(inner).cursor == 5
    with store.read() as after:
        assert read_state(after).cursor == 9


def test_another_threads_read_waits_for_the_open_one(store):
    entered, release, other_read = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with store.read():
            entered.set()
            release.wait(10)

    def reader():
        with store.read():
            other_read.set()

    first = threading.Thread(target=holder, daemon=True)
    first.start()
    assert entered.wait(10)
    second = threading.Thread(target=reader, daemon=True)
    second.start()
    assert not other_read.wait(0.2)  # still waiting while the first read is open
    release.set()
    assert other_read.wait(10)
