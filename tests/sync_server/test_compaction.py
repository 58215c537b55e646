"""Compaction keeps every device correct: superseded puts go, old deletes go with a 410."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from shared.models import Stock
from sync_server.repository.changelog import read_changes
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record, sync_entity
from sync_server.repository.tables import changes
from sync_server.services.compaction import compact, min_valid_cursor
from tests.sync_server.factories import make_customer, make_user, sign_in


def _stock(sku: str, on_hand: str = "1") -> Stock:
    return Stock(sku=sku, warehouse_code="MAD", on_hand=on_hand, reserved="0", damaged="0")


def test_superseded_puts_go_and_the_latest_state_stays(engine):
    with write_transaction(engine) as conn:
        for qty in ("1", "2", "3"):
            put_record(conn, _stock("A", qty), "stock:MAD")
        put_record(conn, _stock("B"), "stock:MAD")
    with write_transaction(engine) as conn:
        report = compact(conn, datetime.now(timezone.utc), timedelta(days=90))
    assert report.superseded == 2 and report.tombstones == 0 and report.min_valid_cursor == 0
    with engine.connect() as conn:
        rows = read_changes(conn, ["stock:MAD"], 0, 10)
    assert [(r.entity_id, r.version) for r in rows] == [("A|MAD", 3), ("B|MAD", 1)]


def test_old_deletes_go_and_raise_the_cursor_floor(engine):
    with write_transaction(engine) as conn:
        sync_entity(conn, "stock", [])
        put_record(conn, _stock("A"), "stock:MAD")
    with write_transaction(engine) as conn:
        from sync_server.repository.records import Desired

        sync_entity(conn, "stock", [Desired(_stock("B"), "stock:MAD")])  # deletes A
    with engine.connect() as conn:
        delete_seq = conn.execute(sa.select(changes.c.seq).where(changes.c.op == "delete")).scalar_one()
    later = datetime.now(timezone.utc) + timedelta(days=91)
    with write_transaction(engine) as conn:
        kept = compact(conn, datetime.now(timezone.utc), timedelta(days=90))
        assert kept.tombstones == 0
        report = compact(conn, later, timedelta(days=90))
    assert report.tombstones == 1 and report.min_valid_cursor == delete_seq
    with engine.connect() as conn:
        assert min_valid_cursor(conn) == delete_seq


def test_a_cursor_older_than_retention_gets_410(client, seed, app):
    seed(lambda c: (make_user(c, "ana.garcia"), make_customer(c, "C1", "ana.garcia"),
                    make_customer(c, "C2", "ana.garcia")))
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/v1/sync/pull", params={"limit": 1}, headers=headers).json()
    seed(lambda c: make_customer(c, "C2", None))  # moves away: a delete in ana's bucket
    with write_transaction(app.state.engine) as conn:
        compact(conn, datetime.now(timezone.utc) + timedelta(days=365), timedelta(days=90))
    stale = client.get("/v1/sync/pull", params={"cursor": first["cursor"]}, headers=headers)
    assert stale.status_code == 410 and stale.json()["code"] == "stale_cursor"
    fresh = client.get("/v1/sync/pull", params={"cursor": 0}, headers=headers)
    assert fresh.status_code == 200
    ids = {c["id"] for c in fresh.json()["changes"] if c["entity"] == "customer"}
    assert ids == {"C1"}
