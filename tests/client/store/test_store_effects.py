"""Local effects: row + outbox in one transaction; pending edits survive pulls (DESIGN §4.3, §4.7)."""

import json

import pytest

from client.store import (
    apply_pull_page,
    count_pending,
    enqueue,
    pending_mutations,
    reapply_pending,
    record,
    remove_acknowledged,
    reset_reference_data,
)
from client.store import effects as effects_module
from shared.errors import ValidationFailed
from shared.protocol import MutationName
from tests.client.factories import ACTIVITY, make_customer, make_opportunity, make_visit, page, put, table_rows


def _rows(store, table):
    return {r["id"]: r for r in table_rows(store, table)}


def _save_opportunity(store, edited, base_version, base):
    return record(
        store,
        MutationName.SAVE_OPPORTUNITY,
        {"opportunity": edited.to_data(), "base_version": base_version, "base": base},
    )


def test_record_writes_the_row_and_its_mutation_together(store):
    visit = make_visit(location={"latitude": 40.4, "longitude": -3.7})
    mutation_id = record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    [row] = table_rows(store, "visits")
    assert row["notes"] == "Revisar stock de EPIs" and row["_version"] == 0  # not from the server yet
    assert json.loads(row["location"]) == {"accuracy_m": None, "latitude": 40.4, "longitude": -3.7}
    with store.read() as db:
        [mutation] = pending_mutations(db)
    assert (mutation.id, mutation.name, mutation.args) == (mutation_id, "record_visit", {"visit": visit.to_data()})


def test_a_failure_after_the_row_leaves_neither_row_nor_mutation(store, monkeypatch):
    def disk_full(*_a, **_kw):
        raise OSError("disk full")

    monkeypatch.setattr(effects_module, "enqueue", disk_full)  # the row is written, then the outbox fails
    with pytest.raises(OSError):
        record(store, MutationName.RECORD_VISIT, {"visit": make_visit().to_data()})
    monkeypatch.undo()
    assert table_rows(store, "visits") == []
    with store.read() as db:
        assert count_pending(db) == 0


def test_invalid_args_write_nothing(store):
    with pytest.raises(ValidationFailed, match="customer_code"):
        record(store, MutationName.RECORD_VISIT, {"visit": {**make_visit().to_data(), "customer_code": ""}})
    with pytest.raises(ValidationFailed, match="invalid quote: id: Field required"):
        record(store, MutationName.SAVE_QUOTE, {"quote": {}})
    with pytest.raises(ValueError, match="no_such_mutation"):
        record(store, "no_such_mutation", {})
    assert table_rows(store, "visits") == []
    with store.read() as db:
        assert count_pending(db) == 0


def test_a_pending_edit_is_not_clobbered_by_an_older_server_version(store):
    server_v2 = make_opportunity(title="Renovación EPIs", version=2)
    apply_pull_page(store, page([put(make_customer("C1"), 1), put(server_v2, 2, version=2, bucket=ACTIVITY)]))
    # Offline, the seller moves it to proposal (edit based on version 2).
    _save_opportunity(store, server_v2.model_copy(update={"stage": "proposal"}), 2, {"stage": "qualified"})

    # A pull brings version 3 from someone else (stage untouched, value raised) — older than
    # the seller's edit, which the server has not seen yet.
    server_v3 = server_v2.model_copy(update={"value": "15000.00", "version": 3})
    apply_pull_page(store, page([put(server_v3, 3, version=3, bucket=ACTIVITY)]))
    [row] = table_rows(store, "opportunities")
    assert (row["stage"], row["value"], row["_version"]) == ("proposal", "15000.00", 3)

    # The server acknowledges the edit and the pull brings the merged version 4: server state.
    with store.write() as db:
        remove_acknowledged(db, 1)
    server_v4 = server_v3.model_copy(update={"stage": "negotiation", "version": 4})
    apply_pull_page(store, page([put(server_v4, 4, version=4, bucket=ACTIVITY)]))
    [row] = table_rows(store, "opportunities")
    assert (row["stage"], row["value"], row["_version"]) == ("negotiation", "15000.00", 4)


def test_a_pending_visit_survives_the_server_echo_of_an_older_state(store):
    visit = make_visit()
    record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    completed = visit.model_copy(update={"checked_out_at": visit.checked_in_at, "outcome": "quote"})
    record(store, MutationName.RECORD_VISIT, {"visit": completed.to_data()})
    # The server applied the check-in only; its echo must not undo the pending check-out.
    apply_pull_page(store, page([put(visit, 1, bucket=ACTIVITY)]))
    row = _rows(store, "visits")[str(visit.id)]
    assert (row["outcome"], row["checked_out_at"], row["_version"]) == ("quote", "2026-06-30T09:30:00Z", 1)


def test_rows_without_pending_mutations_take_the_server_state(store):
    mine, other = make_visit(), make_visit()
    record(store, MutationName.RECORD_VISIT, {"visit": mine.to_data()})
    apply_pull_page(store, page([put(other.model_copy(update={"notes": "from the server"}), 1, bucket=ACTIVITY)]))
    rows = _rows(store, "visits")
    assert rows[str(other.id)]["notes"] == "from the server"
    assert rows[str(mine.id)]["notes"] == "Revisar stock de EPIs" and rows[str(mine.id)]["_version"] == 0


def test_a_replacement_sync_keeps_pending_rows_visible(store):
    visit = make_visit()
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    reset_reference_data(store)
    assert table_rows(store, "customers") == []
    assert list(_rows(store, "visits")) == [str(visit.id)]


def test_a_stored_mutation_that_no_longer_parses_does_not_block_pulls(store):
    good = make_visit()
    with store.write() as db:
        enqueue(db, MutationName.RECORD_VISIT, {"visit": {"id": str(good.id), "customer_code": ""}})
    record(store, MutationName.RECORD_VISIT, {"visit": good.to_data()})
    apply_pull_page(store, page([put(good.model_copy(update={"notes": "server"}), 1, bucket=ACTIVITY)]))
    assert _rows(store, "visits")[str(good.id)]["notes"] == "Revisar stock de EPIs"


def test_reapplying_is_idempotent(store):
    opportunity = make_opportunity()
    _save_opportunity(store, opportunity, None, {})
    record(store, MutationName.RECORD_VISIT, {"visit": make_visit().to_data()})
    before = (table_rows(store, "opportunities"), table_rows(store, "visits"))
    with store.write() as db:
        assert reapply_pending(db) == 2
        assert reapply_pending(db) == 2
    assert (table_rows(store, "opportunities"), table_rows(store, "visits")) == before
