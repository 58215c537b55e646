"""sync_state round-trips typed values; the write lock is held by one writer at a time."""

import threading
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from client.store import SyncState, read_state, save_state


def test_state_round_trips_typed_values(store):
    client_id = uuid4()
    expires = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    with store.write() as db:
        save_state(
            db,
            client_id=client_id,
            token="t",
            token_expires_at=expires,
            cursor=42,
            epoch="e",
            ignored_entities=frozenset({"b", "a"}),
            role="seller",
        )
    with store.read() as db:
        state = read_state(db)
    assert state == SyncState(
        client_id=client_id,
        token="t",
        token_expires_at=expires,
        cursor=42,
        epoch="e",
        ignored_entities=frozenset({"a", "b"}),
        role="seller",
    )


def test_none_removes_a_key_and_unknown_keys_are_refused(store):
    with store.write() as db:
        save_state(db, token="t")
        save_state(db, token=None)
        with pytest.raises(ValueError):
            save_state(db, favourite_colour="green")
    with store.read() as db:
        assert read_state(db).token is None


def test_naive_times_are_refused(store):
    with pytest.raises(ValueError), store.write() as db:
        save_state(db, last_success_at=datetime(2026, 1, 1))


def test_a_token_is_valid_only_before_it_expires():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert SyncState(token="t", token_expires_at=now + timedelta(seconds=1)).has_valid_token(now)
    assert not SyncState(token="t", token_expires_at=now).has_valid_token(now)
    assert not SyncState(token=None, token_expires_at=now + timedelta(days=1)).has_valid_token(now)


def test_writers_from_several_threads_never_interleave(store):
    # Each writer reads the cursor and writes it + 1; interleaving would lose increments.
    def bump():
        for _ in range(50):
            with store.write() as db:
                save_state(db, cursor=read_state(db).cursor + 1)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.read() as db:
        assert read_state(db).cursor == 200
