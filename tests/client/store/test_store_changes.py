"""apply_pull_page: puts, deletes, updates, one transaction with the cursor, idempotence."""

import json

import pytest

from client.store import (
    apply_pull_page,
    count_pending,
    enqueue,
    open_user_store,
    read_state,
    reset_reference_data,
    row_writes,
    save_state,
    schema,
)
from client.store import changes as changes_module
from shared.errors import StaleCursor
from shared.protocol import Change
from tests.client.factories import (
    delete,
    make_credit,
    make_customer,
    make_product,
    page,
    put,
    seq_changes,
    table_rows,
)


def _state(store):
    with store.read() as db:
        return read_state(db)


def test_puts_store_every_field_as_sent_with_the_version(store):
    customer = make_customer("C1", trade_name="Peñalara", seller_login=None)
    credit = make_credit("C1", blocked=True, block_reason="impago", open_balance="-12.5000")
    apply_pull_page(store, page([put(customer, 1, version=3), put(credit, 2)], last_mutation_id=7))

    [row] = table_rows(store, "customers")
    assert row == {"id": "C1", **customer.to_data(), "_version": 3, "_bucket": "portfolio:ana.garcia"}
    [credit_row] = table_rows(store, "credit")
    # Decimals stay the exact text of the change log; bools become 0/1.
    assert (credit_row["open_balance"], credit_row["blocked"], credit_row["prepayment_required"]) == ("-12.5000", 1, 0)
    state = _state(store)
    assert (state.cursor, state.epoch, state.last_mutation_id) == (2, "epoch-1", 7)


def test_an_update_replaces_the_row_and_a_delete_removes_it(store):
    apply_pull_page(store, page(seq_changes([make_customer("C1"), make_customer("C2")])))
    apply_pull_page(
        store, page([put(make_customer("C1", city="Bilbao"), 3, version=2), delete(make_customer("C2"), 4)])
    )
    assert [(r["id"], r["city"], r["_version"]) for r in table_rows(store, "customers")] == [("C1", "Bilbao", 2)]
    assert _state(store).cursor == 4


def test_changes_apply_in_order_within_a_page(store):
    c1 = make_customer("C1")
    apply_pull_page(
        store,
        page(
            [
                put(c1, 1),
                delete(c1, 2),
                put(make_customer("C1", city="Vigo"), 3, version=3),
                put(make_product("P1"), 4, bucket="catalog"),
                delete(c1, 5, version=4),
            ]
        ),
    )
    assert table_rows(store, "customers") == []
    assert [r["sku"] for r in table_rows(store, "products")] == ["P1"]


def test_applying_the_same_page_twice_changes_nothing(store):
    first = page(seq_changes([make_customer("C1"), make_customer("C2")]))
    second = page([put(make_customer("C1", city="Bilbao"), 3, version=2)])
    apply_pull_page(store, first)
    apply_pull_page(store, second)
    before = (table_rows(store, "customers"), _state(store))
    again = apply_pull_page(store, first)  # an old page arriving late must not undo the update
    assert (again.applied, again.skipped) == (0, 2)
    assert apply_pull_page(store, second).applied == 0
    assert (table_rows(store, "customers"), _state(store)) == before


def test_unknown_entities_are_skipped_and_remembered(store):
    future = Change(
        seq=2, bucket="activity:ana.garcia", entity="hologram", id="h1", op="put", version=1, data={"anything": [1, 2]}
    )
    result = apply_pull_page(
        store,
        page(
            [
                put(make_customer("C1"), 1),
                future,
                Change(seq=3, bucket="x", entity="hologram", id="h1", op="delete", version=2),
            ]
        ),
    )
    assert (result.applied, result.skipped, result.cursor) == (1, 2, 3)
    assert _state(store).ignored_entities == {"hologram"}


def test_a_put_without_data_is_skipped_not_fatal(store):
    broken = Change(seq=1, bucket="catalog", entity="product", id="P9", op="put", version=1, data=None)
    result = apply_pull_page(store, page([broken, put(make_product("P1"), 2, bucket="catalog")]))
    assert (result.applied, result.skipped) == (1, 1)
    assert [r["id"] for r in table_rows(store, "products")] == ["P1"]


def test_unknown_fields_are_ignored_and_missing_ones_stored_as_null(store):
    data = {**make_customer("C1").to_data(), "loyalty_tier": "gold"}
    del data["city"]
    apply_pull_page(
        store, page([Change(seq=1, bucket="b", entity="customer", id="C1", op="put", version=1, data=data)])
    )
    [row] = table_rows(store, "customers")
    assert row["city"] is None and "loyalty_tier" not in row


def test_a_nested_value_where_a_scalar_belongs_is_stored_as_json_with_the_rest_of_its_run(store):
    # A product has no nested field: its rows go to SQLite as they are, and a dict SQLite
    # cannot bind sends the run through the checked path, which stores it as JSON text.
    odd = {**make_product("P2").to_data(), "name": {"en": "Bolt", "es": "Tornillo"}}
    apply_pull_page(
        store,
        page(
            [
                put(make_product("P1"), 1, bucket="catalog"),
                Change(seq=2, bucket="catalog", entity="product", id="P2", op="put", version=1, data=odd),
                put(make_product("P3"), 3, bucket="catalog"),
            ]
        ),
    )
    rows = {r["id"]: r for r in table_rows(store, "products")}
    assert sorted(rows) == ["P1", "P2", "P3"]
    assert json.loads(rows["P2"]["name"]) == {"en": "Bolt", "es": "Tornillo"}
    assert rows["P1"]["name"] == make_product("P1").name and rows["P3"]["_version"] == 1


@pytest.mark.parametrize(
    "records",
    [
        [make_product(f"P{i}", active=i % 2 == 0) for i in range(6)],
        [make_customer(f"C{i}", trade_name="" if i % 2 else f"Trade {i}") for i in range(6)],
        [make_credit(f"C{i}", blocked=i == 3, block_reason="overdue" if i == 3 else "") for i in range(6)],
    ],
    ids=["products", "customers", "credit"],
)
def test_rows_taken_as_sent_equal_rows_checked_value_by_value(tmp_path, monkeypatch, records):
    fast = open_user_store(tmp_path / "fast", "ana.garcia")
    checked = open_user_store(tmp_path / "checked", "ana.garcia")
    changes = seq_changes(records)
    apply_pull_page(fast, page(changes))
    monkeypatch.setattr(row_writes, "_binds_as_sent", lambda entity, fields: False)
    apply_pull_page(checked, page(changes))
    table = schema.ENTITY_TABLES[records[0].ENTITY]
    assert table_rows(fast, table) == table_rows(checked, table) and len(table_rows(fast, table)) == 6
    fast.close()
    checked.close()


def test_a_failure_mid_page_leaves_neither_rows_nor_cursor(store):
    apply_pull_page(store, page([put(make_customer("C0"), 1)]))
    with store.write() as db:
        # A real SQLite failure on the 3rd change of the page (after two rows were written).
        db.execute(
            "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.products WHEN new.sku = 'BOOM' "
            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    doomed = page(
        [
            put(make_customer("C1"), 2),
            put(make_customer("C2"), 3),
            put(make_product("BOOM"), 4, bucket="catalog"),
            put(make_customer("C3"), 5),
        ]
    )
    with pytest.raises(Exception, match="disk on fire"):
        apply_pull_page(store, doomed)
    assert [r["id"] for r in table_rows(store, "customers")] == ["C0"]
    assert _state(store).cursor == 1


def test_a_crash_between_rows_and_cursor_keeps_neither(store, monkeypatch):
    def crash(*_a, **_kw):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(changes_module, "save_state", crash)
    with pytest.raises(KeyboardInterrupt):
        apply_pull_page(store, page(seq_changes([make_customer("C1"), make_customer("C2")])))
    monkeypatch.undo()
    assert table_rows(store, "customers") == []
    assert _state(store).cursor == 0


def test_a_different_epoch_after_data_was_applied_is_a_stale_cursor(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    with pytest.raises(StaleCursor):
        apply_pull_page(store, page([put(make_customer("C2"), 2)], epoch="restored-server"))
    assert [r["id"] for r in table_rows(store, "customers")] == ["C1"]


def test_reset_forgets_rows_and_cursor_but_keeps_identity_and_outbox(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1)]))
    with store.write() as db:
        save_state(db, token="t", login="ana.garcia")
        enqueue(db, "record_visit", {"id": "v1"})
    reset_reference_data(store)
    state = _state(store)
    assert table_rows(store, "customers") == []
    assert (state.cursor, state.epoch, state.token, state.login) == (0, None, "t", "ana.garcia")
    with store.read() as db:
        assert count_pending(db) == 1


def _add_hologram_table(store, monkeypatch):
    with store.write() as db:
        db.execute("CREATE TABLE holograms (id TEXT PRIMARY KEY, tags TEXT, _version INTEGER NOT NULL)")
    monkeypatch.setitem(schema.ENTITY_TABLES, "hologram", "holograms")


def test_nested_values_are_stored_as_json(store, monkeypatch):
    # No reference entity has nested fields yet; the rule must hold for the field data to come.
    _add_hologram_table(store, monkeypatch)
    apply_pull_page(
        store,
        page(
            [Change(seq=1, bucket="b", entity="hologram", id="h1", op="put", version=1, data={"tags": ["a", {"b": 1}]})]
        ),
    )
    [row] = table_rows(store, "holograms")
    assert json.loads(row["tags"]) == ["a", {"b": 1}]


def test_a_new_table_for_a_skipped_entity_forces_a_full_resync(tmp_path, monkeypatch):
    store = open_user_store(tmp_path, "ana.garcia")
    hologram = Change(seq=2, bucket="b", entity="hologram", id="h1", op="put", version=1, data={"tags": []})
    apply_pull_page(store, page([put(make_customer("C1"), 1), hologram]))
    _add_hologram_table(store, monkeypatch)  # what a later migration of a newer app version does
    store.close()

    reopened = open_user_store(tmp_path, "ana.garcia")
    state = _state(reopened)
    assert (state.cursor, state.ignored_entities) == (0, frozenset())
    assert table_rows(reopened, "customers") == []  # pulled again from 0, with the holograms this time
    reopened.close()


def test_an_empty_page_still_records_the_servers_last_mutation_id(store):
    apply_pull_page(store, page([put(make_customer("C1"), 1)], last_mutation_id=3))
    apply_pull_page(store, page([], cursor=1, last_mutation_id=5))  # a rejected push made no change
    state = _state(store)
    assert (state.cursor, state.last_mutation_id) == (1, 5)
