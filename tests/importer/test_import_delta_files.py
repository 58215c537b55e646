"""`import_delta`: a folder of changed rows and deletions, checked against the server, all or nothing."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared.errors import ImportFailed
from sync_server.importer.delta import import_delta
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES_BY_NAME
from sync_server.repository.changelog import last_seq
from sync_server.repository.tables import ENTITY_TABLES
from tests.importer.conftest import ORDER_ID, make_rows, sku, snapshot, write_csv, write_export

STOCK = FILES_BY_NAME["stock.csv"].columns()


def _changes_after(engine, seq: int) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT entity, entity_id, op, bucket, version, data FROM changes WHERE seq > :seq ORDER BY seq"),
            {"seq": seq},
        ).all()
    return [tuple(r) for r in rows]


def _seq(engine) -> int:
    with engine.connect() as conn:
        return last_seq(conn)


def _delta(directory: Path, files: dict[str, tuple[tuple[str, ...], list[dict[str, str]]]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in files.items():
        write_csv(directory / name, columns, rows)
    return directory


def _stock(n: int, warehouse: str, on_hand: str) -> dict[str, str]:
    return {"sku": sku(n), "warehouse_code": warehouse, "on_hand": on_hand, "reserved": "2", "damaged": "0.5"}


@pytest.fixture
def imported(engine, tmp_path):
    """The small export, imported in full: the server state a delta applies to."""
    import_export(engine, write_export(tmp_path / "full", make_rows()))
    return engine


def test_a_delta_changes_adds_and_deletes_exactly_its_rows(imported, tmp_path):
    engine = imported
    seq = _seq(engine)
    delta = _delta(
        tmp_path / "delta",
        {
            "stock.csv": (
                STOCK,
                [
                    _stock(1, "MAD", "7.5"),  # changed (was 10)
                    _stock(2, "MAD", "20"),  # unchanged: sent again, not written
                    _stock(2, "SEV", "3"),  # new
                ],
            ),
            "stock.deleted.csv": (("sku", "warehouse_code"), [{"sku": sku(3), "warehouse_code": "MAD"}]),
        },
    )

    report = import_delta(engine, delta)

    stock = report.entities["stock"]
    assert (stock.inserted, stock.updated, stock.deleted, stock.unchanged) == (1, 1, 1, 1)
    assert set(report.entities) == {"stock"}
    assert report.rows_read == 3
    assert [row[:5] for row in _changes_after(engine, seq)] == [
        ("stock", "P-002|SEV", "put", "stock:SEV", 1),
        ("stock", "P-001|MAD", "put", "stock:MAD", 2),
        ("stock", "P-003|MAD", "delete", "stock:MAD", 2),
    ]
    assert (report.first_seq, report.last_seq) == (seq + 1, seq + 3)
    with engine.connect() as conn:
        on_hand = {(r.sku, r.warehouse_code): r.on_hand for r in conn.execute(sa.select(ENTITY_TABLES["stock"]))}
    assert on_hand[(sku(1), "MAD")] == 7.5 and on_hand[(sku(2), "SEV")] == 3
    assert (sku(3), "MAD") not in on_hand
    assert (sku(4), "MAD") in on_hand  # not in the delta: kept


def test_a_delta_equal_to_the_server_writes_nothing_and_twice_is_once(imported, tmp_path):
    engine = imported
    delta = _delta(
        tmp_path / "delta",
        {
            "stock.csv": (STOCK, [_stock(1, "MAD", "7.5")]),
            "stock.deleted.csv": (("sku", "warehouse_code"), [{"sku": sku(3), "warehouse_code": "MAD"}]),
        },
    )
    import_delta(engine, delta)
    before = snapshot(engine)

    again = import_delta(engine, delta)  # a nightly run retried: the deletion finds nothing to delete

    assert again.changes == 0 and again.entities["stock"].unchanged == 1
    assert snapshot(engine) == before


def test_a_delta_moving_a_customer_moves_everything_of_it(imported, tmp_path):
    engine = imported
    seq = _seq(engine)
    delta = _delta(
        tmp_path / "delta",
        {
            "portfolio.csv": (
                ("customer_code", "seller_login"),
                [{"customer_code": "C-001", "seller_login": "luis.pena"}],
            )
        },
    )

    report = import_delta(engine, delta)

    # The same changes as a full import with that one portfolio row changed
    # (test_import_deltas.py::test_reassigning_a_customer_moves_everything_of_it_to_the_new_portfolio).
    moved = {
        ("customer", "C-001"),
        ("contact", "CT-1"),
        ("contact", "CT-2"),
        ("credit", "C-001"),
        ("invoice", "F-2025-0001"),
        ("invoice", "F-2025-0002"),
        ("invoice_line", "F-2025-0001|1"),
        ("invoice_line", "F-2025-0001|2"),
        ("invoice_line", "F-2025-0002|1"),
        ("payment", "PAY-1"),
        ("payment", "PAY-2"),
        ("order_status", f"{ORDER_ID}|confirmed"),
        ("order_status", f"{ORDER_ID}|dispatched"),
        ("price_list", "CLI-C-001"),
        ("price_list_item", "CLI-C-001|P-001|1"),
    }
    logged = _changes_after(engine, seq)
    assert sorted(row[:5] for row in logged) == sorted(
        [(entity, rid, "delete", "portfolio:ana.garcia", 2) for entity, rid in moved]
        + [(entity, rid, "put", "portfolio:luis.pena", 2) for entity, rid in moved]
    )
    customer_put = next(row for row in logged if row[:3] == ("customer", "C-001", "put"))
    assert json.loads(customer_put[5])["seller_login"] == "luis.pena"
    assert report.updated == len(moved) and report.inserted == report.deleted == 0


def test_an_unassignment_moves_the_customer_to_unassigned(imported, tmp_path):
    engine = imported
    delta = _delta(tmp_path / "delta", {"portfolio.deleted.csv": (("customer_code",), [{"customer_code": "C-003"}])})

    import_delta(engine, delta)

    with engine.connect() as conn:
        buckets = dict(
            conn.execute(sa.text("SELECT entity_id, bucket FROM records WHERE entity IN ('customer', 'credit')")).all()
        )
    assert buckets["C-003"] == "unassigned"


def test_references_are_checked_against_the_server(imported, tmp_path):
    engine = imported
    before = snapshot(engine)
    delta = _delta(
        tmp_path / "delta",
        {
            "stock.csv": (STOCK, [_stock(1, "BCN", "1"), _stock(99, "MAD", "1"), _stock(2, "VAL", "1")]),
            "products.deleted.csv": (("sku",), [{"sku": sku(5)}]),
            "incoming.csv": (
                FILES_BY_NAME["incoming.csv"].columns(),
                [
                    {
                        "lot": "L-9",
                        "sku": sku(5),
                        "warehouse_code": "MAD",
                        "quantity": "5",
                        "expected_date": "2025-07-01",
                    }
                ],
            ),
        },
    )

    with pytest.raises(ImportFailed) as failed:
        import_delta(engine, delta)

    # A stored record that still refers to a deleted one is found once every file is read.
    assert failed.value.errors == [
        "stock.csv:3: sku: no product 'P-099' in products.csv or on the server",
        "stock.csv:4: warehouse_code: no warehouse 'VAL' in warehouses.csv or on the server",
        "incoming.csv:2: sku: no product 'P-005' in products.csv or on the server",
        "products.deleted.csv:2: sku: 'P-005' is still used by substitutes.csv 'P-001|P-005' and 2 more; "
        "delete or change those rows in the same delta",
    ]
    assert snapshot(engine) == before


def test_a_bad_delta_is_refused_whole(imported, tmp_path):
    engine = imported
    before = snapshot(engine)
    credit = FILES_BY_NAME["credit.csv"].columns()
    delta = _delta(
        tmp_path / "delta",
        {
            "stock.csv": (STOCK, [_stock(1, "MAD", "7.5")]),
            "credit.csv": (credit, [{**make_rows()["credit.csv"][0], "overdue_invoices": "1e3"}]),
            "contacts.deleted.csv": (("id",), [{"id": "CT-1"}, {"id": "C T"}, {"id": "CT-1"}]),
        },
    )

    with pytest.raises(ImportFailed) as failed:
        import_delta(engine, delta)

    assert failed.value.errors == [
        "contacts.deleted.csv:3: id: must be a code without spaces or '|' (got 'C T')",
        "contacts.deleted.csv:4: id: duplicate 'CT-1' (first on line 2)",
        "credit.csv:2: overdue_invoices: must be a whole number (got '1e3')",
    ]
    assert failed.value.count == 3
    assert snapshot(engine) == before


def test_a_row_both_changed_and_deleted_is_refused(imported, tmp_path):
    engine = imported
    delta = _delta(
        tmp_path / "delta",
        {
            "stock.csv": (STOCK, [_stock(1, "MAD", "7.5")]),
            "stock.deleted.csv": (("sku", "warehouse_code"), [{"sku": sku(1), "warehouse_code": "MAD"}]),
        },
    )

    with pytest.raises(ImportFailed) as failed:
        import_delta(engine, delta)

    assert failed.value.errors == [
        "stock.deleted.csv:2: 'P-001|MAD' is also a row of stock.csv (line 2); a record is either changed or deleted"
    ]


def test_deleting_a_customer_with_everything_of_it_in_one_delta(imported, tmp_path):
    engine = imported
    seq = _seq(engine)
    delta = _delta(
        tmp_path / "delta",
        {
            "customers.deleted.csv": (("code",), [{"code": "C-005"}]),
            "portfolio.deleted.csv": (("customer_code",), [{"customer_code": "C-005"}]),
            "credit.deleted.csv": (("customer_code",), [{"customer_code": "C-005"}]),
        },
    )

    report = import_delta(engine, delta)

    assert sorted(row[:3] for row in _changes_after(engine, seq)) == [
        ("credit", "C-005", "delete"),
        ("customer", "C-005", "delete"),
    ]
    assert report.deleted == 2
