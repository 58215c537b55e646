"""A valid export lands whole: typed rows, the sync index with buckets, the change log, credentials."""

from datetime import UTC
from decimal import Decimal

import pytest
import sqlalchemy as sa

from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES
from sync_server.repository.changelog import last_seq
from sync_server.repository.tables import ENTITY_TABLES, changes, credentials, records
from tests.importer.conftest import ARGON2_HASH, count_rows, edit_lines, write_csv, write_export


def _buckets(engine) -> dict[tuple[str, str], str]:
    with engine.connect() as conn:
        return {(r.entity, r.entity_id): r.bucket for r in conn.execute(sa.select(records))}


def test_a_valid_export_is_imported_whole(engine, export_dir, rows):
    report = import_export(engine, write_export(export_dir, rows))

    synced = [spec for spec in FILES if spec.entity]
    assert {e: s.inserted for e, s in report.entities.items()} == {s.entity: len(rows[s.filename]) for s in synced}
    assert (report.updated, report.deleted, report.unchanged) == (0, 0, 0)
    assert report.rows_read == sum(len(r) for r in rows.values())
    total = sum(len(rows[s.filename]) for s in synced)
    assert (report.first_seq, report.last_seq) == (1, total)
    counts = count_rows(engine)
    assert counts["customers"] == 5 and counts["stock"] == 6 and counts["invoice_lines"] == 5
    assert counts["price_list_items"] == 5 and counts["users"] == 5
    assert counts["records"] == counts["changes"] == total


@pytest.mark.parametrize(
    ("entity", "entity_id", "bucket"),
    [
        ("customer", "C-001", "portfolio:ana.garcia"),
        ("customer", "C-004", "unassigned"),
        ("contact", "CT-4", "unassigned"),
        ("credit", "C-005", "portfolio:jordi.puig"),
        ("invoice", "F-2025-0004", "portfolio:luis.pena"),
        ("invoice_line", "F-2025-0003|1", "portfolio:ana.garcia"),
        ("payment", "PAY-2", "portfolio:ana.garcia"),
        ("stock", "P-001|BCN", "stock:BCN"),
        ("incoming_lot", "LOT-2025-001", "stock:MAD"),
        ("price_list", "BASE", "catalog"),
        ("price_list", "SEG-OEM", "catalog"),
        ("price_list", "CLI-C-001", "portfolio:ana.garcia"),
        ("price_list_item", "CLI-C-001|P-001|1", "portfolio:ana.garcia"),
        ("price_list_item", "CLI-C-004|P-004|1", "unassigned"),
        ("price_list_item", "BASE|P-001|100", "catalog"),
        ("product", "P-002", "catalog"),
        ("price_floor", "category|HERR", "catalog"),
        ("fx_rate", "2025-06-02|EUR|USD", "catalog"),
        ("user", "marta.jefa", "directory"),
        ("team", "NORESTE", "directory"),
    ],
)
def test_each_record_lands_in_its_bucket(engine, export_dir, entity, entity_id, bucket):
    import_export(engine, write_export(export_dir))
    assert _buckets(engine)[(entity, entity_id)] == bucket
    with engine.connect() as conn:
        logged = conn.execute(
            sa.select(changes.c.bucket, changes.c.op).where(
                changes.c.entity == entity, changes.c.entity_id == entity_id
            )
        ).all()
    assert [tuple(r) for r in logged] == [(bucket, "put")]


def test_cells_become_typed_values_and_empty_cells_take_defaults(engine, export_dir):
    import_export(engine, write_export(export_dir))
    with engine.connect() as conn:
        customers = {r.code: r for r in conn.execute(sa.select(ENTITY_TABLES["customer"]))}
        products = {r.sku: r for r in conn.execute(sa.select(ENTITY_TABLES["product"]))}
        payments = {r.id: r for r in conn.execute(sa.select(ENTITY_TABLES["payment"]))}
        items = {
            (r.price_list_code, r.min_quantity): r.unit_price
            for r in conn.execute(sa.select(ENTITY_TABLES["price_list_item"]))
        }
    assert customers["C-001"].seller_login == "ana.garcia"
    assert customers["C-004"].seller_login is None
    assert customers["C-002"].legal_name == "Construcciones Ibáñez e Hijos S.A."
    assert (customers["C-002"].trade_name, customers["C-002"].country) == ("", "ES")
    assert products["P-004"].active is False and products["P-001"].active is True
    assert payments["PAY-2"].invoice_number is None
    assert items[("BASE", Decimal("1"))] == Decimal("0.4500")


def test_password_hashes_go_to_credentials_not_to_users(engine, export_dir):
    import_export(engine, write_export(export_dir))
    with engine.connect() as conn:
        stored = {r.login: r for r in conn.execute(sa.select(credentials))}
        user_data = conn.execute(sa.select(changes.c.data).where(changes.c.entity == "user")).scalars().all()
    assert {login: r.password_hash for login, r in stored.items()} == {
        "ana.garcia": ARGON2_HASH,
        "marta.jefa": ARGON2_HASH + "m",
    }
    assert stored["ana.garcia"].updated_at.tzinfo == UTC
    assert all("argon2" not in data for data in user_data)


def test_reimporting_the_same_export_changes_nothing(engine, export_dir):
    write_export(export_dir)
    import_export(engine, export_dir)
    with engine.connect() as conn:
        seq = last_seq(conn)

    report = import_export(engine, export_dir)

    assert report.changes == 0 and report.unchanged == seq
    assert (report.first_seq, report.last_seq, report.passwords_set) == (None, None, 0)
    with engine.connect() as conn:
        assert last_seq(conn) == seq


def test_the_format_allows_bom_crlf_any_column_order_blank_lines_and_quoted_newlines(engine, export_dir, rows):
    rows["customers.csv"][0]["address"] = "Calle Mayor 12\nBajo, puerta «B»"
    write_export(export_dir, rows)
    stock = export_dir / "stock.csv"
    stock.write_bytes(b"\xef\xbb\xbf" + stock.read_bytes().replace(b"\n", b"\r\n"))
    edit_lines(export_dir / "categories.csv", lambda lines: [lines[0], "", *lines[1:], "", ""])
    write_csv(export_dir / "teams.csv", ["name", "code"], rows["teams.csv"])
    columns = [c for c in FILES[2].columns() if c != "password_hash"]  # optional in older exports
    write_csv(export_dir / "users.csv", columns, rows["users.csv"])

    report = import_export(engine, export_dir)

    assert report.entities["stock"].inserted == 6 and report.entities["category"].inserted == 5
    assert report.passwords_set == 0
    with engine.connect() as conn:
        address = conn.execute(
            sa.select(ENTITY_TABLES["customer"].c.address).where(ENTITY_TABLES["customer"].c.code == "C-001")
        ).scalar_one()
        teams = {r.code: r.name for r in conn.execute(sa.select(ENTITY_TABLES["team"]))}
    assert address == "Calle Mayor 12\nBajo, puerta «B»"
    assert teams["NORESTE"] == "Equipo Noreste · Cataluña y Aragón"


def test_the_report_summary_is_readable(engine, export_dir):
    report = import_export(engine, write_export(export_dir))
    summary = report.summary()
    assert summary.startswith("Imported 83 rows in ")
    assert "79 inserted, 0 updated, 0 deleted, 0 unchanged; change log seq 1–79; 2 password(s) set." in summary
    assert "  customer                  5          0          0          0" in summary
