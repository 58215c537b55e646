"""order_status.csv: an optional file. Present it is complete; absent it keeps what was imported."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from shared.errors import ImportFailed
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES_BY_NAME
from sync_server.repository.tables import ENTITY_TABLES, records
from tests.importer.conftest import ORDER_ID, REJECTED_ORDER_ID, Rows, make_rows, write_csv, write_export

CONFIRMED = f"{ORDER_ID}|confirmed"
DISPATCHED = f"{ORDER_ID}|dispatched"
REJECTED = f"{REJECTED_ORDER_ID}|rejected"


def _statuses(engine) -> dict[str, str]:
    """Stored order statuses: record id → bucket."""
    with engine.connect() as conn:
        return {
            r.entity_id: r.bucket
            for r in conn.execute(
                sa.select(records.c.entity_id, records.c.bucket).where(records.c.entity == "order_status")
            )
        }


def _without_order_status(directory, rows: Rows):
    write_export(directory, rows)
    (directory / "order_status.csv").unlink()
    return directory


def test_the_statuses_land_in_their_customers_portfolio(engine, export_dir, rows):
    report = import_export(engine, write_export(export_dir, rows))

    assert report.entities["order_status"].inserted == 3
    assert _statuses(engine) == {
        CONFIRMED: "portfolio:ana.garcia",
        DISPATCHED: "portfolio:ana.garcia",
        REJECTED: "portfolio:luis.pena",
    }
    with engine.connect() as conn:
        dispatched = conn.execute(
            sa.select(ENTITY_TABLES["order_status"]).where(ENTITY_TABLES["order_status"].c.status == "dispatched")
        ).one()
        line = conn.execute(
            sa.select(ENTITY_TABLES["invoice_line"].c.order_id).where(
                ENTITY_TABLES["invoice_line"].c.invoice_number == "F-2025-0002"
            )
        ).scalar_one()
    assert (dispatched.erp_order, dispatched.quantity, dispatched.reason) == ("4500123", Decimal(1), "")
    assert line == ORDER_ID


def test_an_export_without_the_file_imports_and_has_no_statuses(engine, export_dir, rows):
    report = import_export(engine, _without_order_status(export_dir, rows))

    assert report.entities["order_status"].inserted == 0
    assert _statuses(engine) == {}


def test_leaving_the_file_out_later_keeps_the_imported_statuses(engine, tmp_path):
    rows = make_rows()
    rows["order_status.csv"][1]["quantity"] = "2.50"  # kept as written, not as NUMERIC pads it
    import_export(engine, write_export(tmp_path / "monday", rows))

    report = import_export(engine, _without_order_status(tmp_path / "tuesday", make_rows()))

    summary = report.entities["order_status"]
    assert (summary.deleted, summary.unchanged, report.changes) == (0, 3, 0)
    assert set(_statuses(engine)) == {CONFIRMED, DISPATCHED, REJECTED}


def test_a_header_only_file_deletes_every_status(engine, tmp_path):
    import_export(engine, write_export(tmp_path / "monday", make_rows()))
    rows = make_rows()
    rows["order_status.csv"] = []

    report = import_export(engine, write_export(tmp_path / "tuesday", rows))

    assert report.entities["order_status"].deleted == 3
    assert _statuses(engine) == {}


def test_kept_statuses_follow_their_customer_to_another_seller_or_away(engine, tmp_path):
    import_export(engine, write_export(tmp_path / "monday", make_rows()))
    rows = make_rows()
    rows["portfolio.csv"][0]["seller_login"] = "luis.pena"  # C-001: ana.garcia -> luis.pena
    # C-003 leaves the export, with everything that names it.
    rows["customers.csv"] = [c for c in rows["customers.csv"] if c["code"] != "C-003"]
    for name in ("portfolio.csv", "contacts.csv", "credit.csv", "price_lists.csv"):
        rows[name] = [r for r in rows[name] if r.get("customer_code") != "C-003"]
    gone = {i["number"] for i in rows["invoices.csv"] if i["customer_code"] == "C-003"}
    rows["invoices.csv"] = [i for i in rows["invoices.csv"] if i["number"] not in gone]
    rows["invoice_lines.csv"] = [i for i in rows["invoice_lines.csv"] if i["invoice_number"] not in gone]
    rows["payments.csv"] = [p for p in rows["payments.csv"] if p["customer_code"] != "C-003"]

    import_export(engine, _without_order_status(tmp_path / "tuesday", rows))

    assert _statuses(engine) == {CONFIRMED: "portfolio:luis.pena", DISPATCHED: "portfolio:luis.pena"}


def test_a_folder_named_like_the_optional_file_is_a_problem(engine, export_dir, rows):
    directory = _without_order_status(export_dir, rows)
    (directory / "order_status.csv").mkdir()

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, directory)

    assert failed.value.errors == ["order_status.csv: missing from the export folder"]


def test_invoice_lines_without_the_order_id_column_still_import(engine, export_dir, rows):
    write_export(export_dir, rows)
    columns = [c for c in FILES_BY_NAME["invoice_lines.csv"].columns() if c != "order_id"]
    write_csv(export_dir / "invoice_lines.csv", columns, rows["invoice_lines.csv"])

    report = import_export(engine, export_dir)

    assert report.entities["invoice_line"].inserted == 5
    with engine.connect() as conn:
        linked = conn.execute(
            sa.select(sa.func.count()).where(ENTITY_TABLES["invoice_line"].c.order_id.is_not(None))
        ).scalar_one()
    assert linked == 0


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"status": "shipped"},
            "order_status.csv:2: status: must be one of 'confirmed', 'rejected', 'reserved', 'dispatched' or 'delivered' (got 'shipped')",
        ),
        ({"customer_code": "C-999"}, "order_status.csv:2: customer_code: no customer 'C-999' in customers.csv"),
        (
            {"status": "rejected", "reason": ""},
            "order_status.csv:2: status, reason: a rejected order needs a reason (got status 'rejected', reason '')",
        ),
        ({"order_id": "4500123"}, "order_status.csv:2: order_id: "),
        ({"quantity": "0"}, "order_status.csv:2: quantity: must be greater than 0 (got '0')"),
        ({"status_date": "22/04/2025"}, "order_status.csv:2: status_date: must be a date written YYYY-MM-DD"),
    ],
    ids=["bad-status", "unknown-customer", "rejected-without-reason", "not-a-uuid", "zero-quantity", "bad-date"],
)
def test_a_bad_status_row_is_refused_and_nothing_is_written(engine, export_dir, rows, cells, expected):
    rows["order_status.csv"][0].update(cells)

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, write_export(export_dir, rows))

    assert len(failed.value.errors) == 1
    assert failed.value.errors[0].startswith(expected)
    assert _statuses(engine) == {}
