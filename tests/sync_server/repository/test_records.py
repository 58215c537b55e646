"""The synced-record writer: only differences reach the change log, on both backends."""

from decimal import Decimal

import sqlalchemy as sa

from shared.models import Customer, Stock
from sync_server.repository.changelog import last_seq, read_changes
from sync_server.repository.records import Desired, put_record, sync_entity
from sync_server.repository.tables import ENTITY_TABLES


def make_stock(sku: str, warehouse: str = "MAD", on_hand: str = "5") -> Desired:
    return Desired(
        Stock(sku=sku, warehouse_code=warehouse, on_hand=on_hand, reserved="0", damaged="0"), f"stock:{warehouse}"
    )


def make_customer(code: str = "C1", seller: str | None = "ana", **kw) -> Customer:
    fields = dict(
        code=code,
        legal_name="Suministros Peñalara S.L.",
        tax_id=f"B{code}",
        segment="oem",
        payment_terms="NET30",
        currency="EUR",
        seller_login=seller,
    )
    return Customer(**{**fields, **kw})


def test_first_sync_inserts_every_row_with_version_one(engine):
    with engine.begin() as conn:
        summary = sync_entity(conn, "stock", [make_stock("A"), make_stock("B", "BCN")])
    assert (summary.inserted, summary.updated, summary.deleted) == (2, 0, 0)
    with engine.connect() as conn:
        rows = read_changes(conn, ["stock:MAD", "stock:BCN"], 0, 100)
    assert [(r.entity_id, r.op, r.version) for r in rows] == [("A|MAD", "put", 1), ("B|BCN", "put", 1)]


def test_resync_writes_only_differences(engine):
    with engine.begin() as conn:
        sync_entity(conn, "stock", [make_stock("A"), make_stock("B"), make_stock("C")])
        before = last_seq(conn)
    with engine.begin() as conn:
        summary = sync_entity(conn, "stock", [make_stock("A"), make_stock("B", on_hand="7.5"), make_stock("D")])
    assert (summary.inserted, summary.updated, summary.deleted, summary.unchanged) == (1, 1, 1, 1)
    with engine.connect() as conn:
        rows = read_changes(conn, ["stock:MAD"], before, 100)
        stored = {r.sku: r.on_hand for r in conn.execute(sa.select(ENTITY_TABLES["stock"]))}
    assert sorted((r.entity_id, r.op, r.version) for r in rows) == [
        ("B|MAD", "put", 2),
        ("C|MAD", "delete", 2),
        ("D|MAD", "put", 1),
    ]
    assert stored == {"A": Decimal("5"), "B": Decimal("7.5"), "D": Decimal("5")}


def test_moving_a_record_deletes_it_from_the_old_bucket(engine):
    with engine.begin() as conn:
        put_record(conn, make_customer(seller="ana"), "portfolio:ana")
        version = put_record(conn, make_customer(seller="bob"), "portfolio:bob")
    assert version == 2
    with engine.connect() as conn:
        ana = read_changes(conn, ["portfolio:ana"], 0, 10)
        bob = read_changes(conn, ["portfolio:bob"], 0, 10)
    assert [(r.op, r.version) for r in ana] == [("put", 1), ("delete", 2)]
    assert [(r.op, r.version) for r in bob] == [("put", 2)]


def test_putting_an_unchanged_record_writes_nothing(engine):
    with engine.begin() as conn:
        put_record(conn, make_customer(), "portfolio:ana")
        seq = last_seq(conn)
        assert put_record(conn, make_customer(), "portfolio:ana") == 1
        assert last_seq(conn) == seq


def test_failed_transaction_leaves_no_change_behind(engine):
    try:
        with engine.begin() as conn:
            sync_entity(conn, "stock", [make_stock("A")])
            raise RuntimeError("crash mid-import")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert last_seq(conn) == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["stock"])).scalar() == 0


def _aggregate(conn) -> dict[str, tuple[int, int]]:
    from sync_server.repository.tables import records

    query = sa.select(records.c.bucket, sa.func.count(), sa.func.sum(records.c.checksum)).group_by(records.c.bucket)
    return {b: (int(c), int(s) % 2**32) for b, c, s in conn.execute(query)}


def test_bucket_totals_follow_inserts_updates_moves_and_deletes(engine):
    from sync_server.repository.totals import read_totals

    with engine.begin() as conn:
        sync_entity(conn, "stock", [make_stock("A"), make_stock("B"), make_stock("C", "BCN")])
        put_record(conn, make_customer("C1", seller="ana"), "portfolio:ana")
        put_record(conn, make_customer("C2", seller="ana"), "portfolio:ana")
    with engine.begin() as conn:
        sync_entity(conn, "stock", [make_stock("A", on_hand="9"), make_stock("D", "BCN")])  # update, delete, insert
        put_record(conn, make_customer("C1", seller="bob"), "portfolio:bob")  # move
    with engine.connect() as conn:
        expected = _aggregate(conn)
        totals = read_totals(conn, ["stock:MAD", "stock:BCN", "portfolio:ana", "portfolio:bob"])
    assert {b: t for b, t in totals.items() if t[0]} == expected
    assert totals["stock:MAD"][0] == 1 and totals["portfolio:ana"][0] == 1 and totals["portfolio:bob"][0] == 1
