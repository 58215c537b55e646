"""The outbox: strictly increasing ids, atomic with the domain write, exact JSON args."""

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from client.store import (
    OutsideTransaction,
    count_pending,
    enqueue,
    open_user_store,
    pending_mutations,
    remove_acknowledged,
)
from shared.protocol import MutationName


def test_mutation_ids_strictly_increase_even_after_acknowledged_ones_are_removed(store, tmp_path):
    with store.write() as db:
        first = [enqueue(db, MutationName.RECORD_VISIT, {"n": i}) for i in range(3)]
        remove_acknowledged(db, first[-1])  # the outbox is empty now
    with store.write() as db:
        later = enqueue(db, "record_claim", {"n": 3})
    store.close()
    reopened = open_user_store(tmp_path / "device", "ana.garcia")
    with reopened.write() as db:
        after_restart = enqueue(db, "record_claim", {"n": 4})
    reopened.close()
    ids = [*first, later, after_restart]
    assert ids == sorted(set(ids)) and ids[0] >= 1
    assert later > first[-1]  # an id the server already processed is never handed out again


def test_enqueue_rolls_back_with_the_domain_write(store):
    with store.write() as db:
        db.execute("CREATE TABLE visits_demo (id TEXT PRIMARY KEY)")
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("INSERT INTO visits_demo VALUES ('v1')")
        enqueue(db, "record_visit", {"id": "v1"})
        raise RuntimeError("validation failed after both writes")
    with store.read() as db:
        assert count_pending(db) == 0
        assert db.execute("SELECT count(*) FROM visits_demo").fetchone()[0] == 0


def test_enqueue_commits_with_the_domain_write(store):
    with store.write() as db:
        db.execute("CREATE TABLE visits_demo (id TEXT PRIMARY KEY)")
    with store.write() as db:
        db.execute("INSERT INTO visits_demo VALUES ('v1')")
        enqueue(db, "record_visit", {"id": "v1"})
    with store.read() as db:
        assert count_pending(db) == 1
        assert db.execute("SELECT count(*) FROM visits_demo").fetchone()[0] == 1


def test_enqueue_outside_a_transaction_is_refused(store):
    with store.write() as db:
        pass
    with pytest.raises(OutsideTransaction):
        enqueue(db, "record_visit", {})


def test_an_unknown_mutation_name_is_refused(store):
    with pytest.raises(ValueError), store.write() as db:
        enqueue(db, "launch_rockets", {})


def test_args_keep_decimals_dates_and_uuids_exact(store):
    visit = UUID("0190a3c4-0000-7000-8000-000000000001")
    with store.write() as db:
        mid = enqueue(db, "save_quote", {"id": visit, "price": Decimal("12.3450"), "on": date(2026, 3, 1)})
    with store.read() as db:
        [mutation] = pending_mutations(db)
        [(created_at,)] = db.execute("SELECT created_at FROM outbox").fetchall()
    assert (mutation.id, mutation.name) == (mid, MutationName.SAVE_QUOTE)
    assert mutation.args == {"id": str(visit), "price": "12.3450", "on": "2026-03-01"}
    assert created_at.endswith("+00:00")


def test_pending_mutations_come_oldest_first_and_bounded(store):
    with store.write() as db:
        ids = [enqueue(db, "record_visit", {"n": i}) for i in range(5)]
    with store.read() as db:
        assert [m.id for m in pending_mutations(db, limit=3)] == ids[:3]
    with store.write() as db:
        assert remove_acknowledged(db, ids[1]) == 2
    with store.read() as db:
        assert [m.id for m in pending_mutations(db)] == ids[2:]
