"""Re-importing a changed export writes only its differences, and moves records between buckets."""

import json
from decimal import Decimal

import sqlalchemy as sa

from sync_server.importer.run import import_export
from sync_server.repository.changelog import last_seq
from sync_server.repository.tables import ENTITY_TABLES, credentials, records
from tests.importer.conftest import ARGON2_HASH, ORDER_ID, REJECTED_ORDER_ID, make_rows, sku, write_export


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


def test_one_percent_changed_writes_exactly_those_changes(engine, tmp_path):
    rows = make_rows(products=200)
    assert len(rows["stock.csv"]) == 201
    import_export(engine, write_export(tmp_path / "monday", rows))
    seq = _seq(engine)

    rows["stock.csv"][10]["on_hand"] = "7.5"
    rows["stock.csv"][20]["reserved"] = "0"
    del rows["stock.csv"][30]
    rows["stock.csv"].append({"sku": sku(2), "warehouse_code": "SEV", "on_hand": "3", "reserved": "0", "damaged": "0"})
    report = import_export(engine, write_export(tmp_path / "tuesday", rows))

    stock = report.entities["stock"]
    assert (stock.inserted, stock.updated, stock.deleted, stock.unchanged) == (1, 2, 1, 198)
    assert report.changes == 4
    logged = _changes_after(engine, seq)
    assert [row[:5] for row in logged] == [
        ("stock", "P-002|SEV", "put", "stock:SEV", 1),
        ("stock", "P-011|MAD", "put", "stock:MAD", 2),
        ("stock", "P-021|MAD", "put", "stock:MAD", 2),
        ("stock", "P-031|MAD", "delete", "stock:MAD", 2),
    ]
    assert json.loads(logged[1][5])["on_hand"] == "7.5"
    assert logged[3][5] is None
    assert (report.first_seq, report.last_seq) == (seq + 1, seq + 4)
    with engine.connect() as conn:
        on_hand = {(r.sku, r.warehouse_code): r.on_hand for r in conn.execute(sa.select(ENTITY_TABLES["stock"]))}
    assert len(on_hand) == 201 and ("P-031", "MAD") not in on_hand
    assert on_hand[("P-011", "MAD")] == Decimal("7.5")


def test_reassigning_a_customer_moves_everything_of_it_to_the_new_portfolio(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "before", rows))
    seq = _seq(engine)

    rows["portfolio.csv"][0]["seller_login"] = "luis.pena"  # C-001: ana.garcia -> luis.pena
    report = import_export(engine, write_export(tmp_path / "after", rows))

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
    # The old portfolio forgets each record before the new one receives it.
    for entity, rid in moved:
        ops = [row[2] for row in logged if row[:2] == (entity, rid)]
        assert ops == ["delete", "put"]
    customer_put = next(row for row in logged if row[:3] == ("customer", "C-001", "put"))
    assert json.loads(customer_put[5])["seller_login"] == "luis.pena"
    assert report.updated == len(moved) and report.inserted == report.deleted == 0
    with engine.connect() as conn:
        buckets = {
            r.bucket for r in conn.execute(sa.select(records.c.bucket).where(records.c.bucket.like("portfolio:%")))
        }
    assert "portfolio:ana.garcia" in buckets  # C-002 stays with her


def test_unassigning_a_customer_moves_it_to_unassigned(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "before", rows))
    seq = _seq(engine)

    rows["portfolio.csv"] = [r for r in rows["portfolio.csv"] if r["customer_code"] != "C-003"]
    import_export(engine, write_export(tmp_path / "after", rows))

    assert sorted(row[:4] for row in _changes_after(engine, seq)) == [
        ("credit", "C-003", "delete", "portfolio:luis.pena"),
        ("credit", "C-003", "put", "unassigned"),
        ("customer", "C-003", "delete", "portfolio:luis.pena"),
        ("customer", "C-003", "put", "unassigned"),
        ("invoice", "F-2025-0004", "delete", "portfolio:luis.pena"),
        ("invoice", "F-2025-0004", "put", "unassigned"),
        ("order_status", f"{REJECTED_ORDER_ID}|rejected", "delete", "portfolio:luis.pena"),
        ("order_status", f"{REJECTED_ORDER_ID}|rejected", "put", "unassigned"),
    ]


def test_a_record_missing_from_the_export_is_deleted(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "before", rows))
    seq = _seq(engine)

    rows["fx_rates.csv"] = []  # the export is complete: an empty file means none left
    rows["users.csv"] = [u for u in rows["users.csv"] if u["login"] != "admin"]
    import_export(engine, write_export(tmp_path / "after", rows))

    assert sorted(row[:4] for row in _changes_after(engine, seq)) == [
        ("fx_rate", "2025-06-02|EUR|GBP", "delete", "catalog"),
        ("fx_rate", "2025-06-02|EUR|MXN", "delete", "catalog"),
        ("fx_rate", "2025-06-02|EUR|USD", "delete", "catalog"),
        ("user", "admin", "delete", "directory"),
    ]


def test_password_hashes_are_updated_kept_when_empty_and_kept_for_users_who_leave(engine, tmp_path):
    rows = make_rows()
    rows["users.csv"][4]["password_hash"] = ARGON2_HASH + "admin"
    import_export(engine, write_export(tmp_path / "before", rows))
    with engine.connect() as conn:
        before = {r.login: (r.password_hash, r.updated_at) for r in conn.execute(sa.select(credentials))}

    rows["users.csv"][0]["password_hash"] = ""  # ana: keep what the server has
    rows["users.csv"][3]["password_hash"] = ARGON2_HASH + "new"  # marta: changed
    rows["users.csv"][1]["password_hash"] = ARGON2_HASH + "luis"  # luis: first one
    del rows["users.csv"][4]  # admin leaves
    report = import_export(engine, write_export(tmp_path / "after", rows))

    with engine.connect() as conn:
        after = {r.login: (r.password_hash, r.updated_at) for r in conn.execute(sa.select(credentials))}
    assert report.passwords_set == 2
    assert after["ana.garcia"] == before["ana.garcia"]
    assert after["admin"] == before["admin"]
    assert after["marta.jefa"][0] == ARGON2_HASH + "new" and after["marta.jefa"][1] >= before["marta.jefa"][1]
    assert after["luis.pena"][0] == ARGON2_HASH + "luis"
