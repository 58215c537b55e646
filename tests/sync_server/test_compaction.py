"""Compaction keeps every device correct: superseded puts go, old deletes go with a 410."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from shared.models import Stock
from sync_server.repository.changelog import read_changes
from sync_server.repository.compaction import compact, min_valid_cursor
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record, sync_entity
from sync_server.repository.tables import changes
from tests.sync_server.factories import make_customer, make_user, sign_in


def _stock(sku: str, on_hand: str = "1") -> Stock:
    return Stock(sku=sku, warehouse_code="MAD", on_hand=on_hand, reserved="0", damaged="0")


def test_superseded_puts_go_and_the_latest_state_stays(engine):
    with write_transaction(engine) as conn:
        for qty in ("1", "2", "3"):
            put_record(conn, _stock("A", qty), "stock:MAD")
        put_record(conn, _stock("B"), "stock:MAD")
    with write_transaction(engine) as conn:
        report = compact(conn, datetime.now(UTC), timedelta(days=90))
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
    with write_transaction(engine) as conn:
        put_record(conn, _stock("C"), "stock:MAD")  # the newest change always stays: not the delete
    with engine.connect() as conn:
        delete_seq = conn.execute(sa.select(changes.c.seq).where(changes.c.op == "delete")).scalar_one()
    later = datetime.now(UTC) + timedelta(days=91)
    with write_transaction(engine) as conn:
        kept = compact(conn, datetime.now(UTC), timedelta(days=90))
        assert kept.tombstones == 0
        report = compact(conn, later, timedelta(days=90))
    assert report.tombstones == 1 and report.min_valid_cursor == delete_seq
    with engine.connect() as conn:
        assert min_valid_cursor(conn) == delete_seq


def test_a_cursor_older_than_retention_gets_410(client, seed, app):
    seed(
        lambda c: (
            make_user(c, "ana.garcia"),
            make_customer(c, "C1", "ana.garcia"),
            make_customer(c, "C2", "ana.garcia"),
        )
    )
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/v1/sync/pull", params={"limit": 1}, headers=headers).json()
    seed(lambda c: make_customer(c, "C2", None))  # moves away: a delete in ana's bucket
    with write_transaction(app.state.engine) as conn:
        compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=90))
    stale = client.get("/v1/sync/pull", params={"cursor": first["cursor"]}, headers=headers)
    assert stale.status_code == 410 and stale.json()["code"] == "stale_cursor"
    fresh = client.get("/v1/sync/pull", params={"cursor": 0}, headers=headers)
    assert fresh.status_code == 200
    ids = {c["id"] for c in fresh.json()["changes"] if c["entity"] == "customer"}
    assert ids == {"C1"}


def _team_with_a_compacted_delete(seed, app) -> int:
    """Ana holds C1..C4; C2 moved away and its delete was compacted: returns the server's floor."""
    seed(
        lambda c: (
            make_user(c, "ana.garcia"),
            make_user(c, "bruno.diaz"),
            [make_customer(c, f"C{i}", "ana.garcia") for i in range(1, 5)],
        )
    )
    seed(lambda c: make_customer(c, "C2", "bruno.diaz"))  # a delete in ana's bucket
    seed(lambda c: make_customer(c, "C5", "ana.garcia"))  # and a change after it
    with write_transaction(app.state.engine) as conn:
        report = compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=90))
    assert report.tombstones == 1 and report.min_valid_cursor > 0
    return report.min_valid_cursor


def _first_sync(client, headers, protocol: int, limit: int = 1) -> tuple[list[dict], list[int]]:
    """Page from cursor 0 to the end as an app speaking `protocol` does; (changes, cursors)."""
    got, cursors, cursor, floor = [], [], 0, None
    while True:
        params = {"cursor": cursor, "limit": limit, "protocol_version": protocol}
        if floor is not None:
            params["floor"] = floor
        response = client.get("/v1/sync/pull", params=params, headers=headers)
        assert response.status_code == 200, (cursors, response.text)
        page = response.json()
        got += page["changes"]
        cursor, floor = page["cursor"], page.get("floor")
        cursors.append(cursor)
        if not page["has_more"]:
            return got, cursors


def test_a_first_sync_begun_after_a_compaction_pages_past_the_floor(client, seed, app):
    floor = _team_with_a_compacted_delete(seed, app)
    headers = {"Authorization": f"Bearer {sign_in(client, 'ana.garcia')['token']}"}
    got, cursors = _first_sync(client, headers, protocol=3)
    assert cursors[0] < floor < cursors[-1]  # pages below the floor were asked for and served
    customers = {c["id"] for c in got if c["entity"] == "customer" and c["op"] == "put"}
    assert customers == {"C1", "C3", "C4", "C5"}


def test_each_page_says_the_floor_only_to_an_app_that_speaks_protocol_3(client, seed, app):
    floor = _team_with_a_compacted_delete(seed, app)
    headers = {"Authorization": f"Bearer {sign_in(client, 'ana.garcia')['token']}"}
    new = client.get("/v1/sync/pull", params={"limit": 1, "protocol_version": 3}, headers=headers).json()
    old = client.get("/v1/sync/pull", params={"limit": 1, "protocol_version": 2}, headers=headers).json()
    assert new["floor"] == floor and "floor" not in old


def test_a_floor_that_is_not_the_servers_any_more_is_stale(client, seed, app):
    floor = _team_with_a_compacted_delete(seed, app)
    headers = {"Authorization": f"Bearer {sign_in(client, 'ana.garcia')['token']}"}
    below = {"cursor": 1, "limit": 1, "protocol_version": 3}
    for sent, status in [(None, 410), (floor - 1, 410), (floor, 200)]:
        params = below if sent is None else {**below, "floor": sent}
        assert client.get("/v1/sync/pull", params=params, headers=headers).status_code == status, sent


def test_a_compaction_in_the_middle_of_a_first_sync_sends_the_device_back_to_zero_once(client, seed, app):
    seed(
        lambda c: (
            make_user(c, "ana.garcia"),
            make_user(c, "bruno.diaz"),
            [make_customer(c, f"C{i}", "ana.garcia") for i in range(1, 5)],
        )
    )
    seed(lambda c: make_customer(c, "C2", "bruno.diaz"))
    headers = {"Authorization": f"Bearer {sign_in(client, 'ana.garcia')['token']}"}
    first = client.get("/v1/sync/pull", params={"limit": 1, "protocol_version": 3}, headers=headers).json()
    assert first["floor"] == 0
    # The device read C1's put; the delete of C2 (after its cursor) is now dropped.
    with write_transaction(app.state.engine) as conn:
        compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=90))
    stale = client.get(
        "/v1/sync/pull",
        params={"cursor": first["cursor"], "floor": first["floor"], "limit": 1, "protocol_version": 3},
        headers=headers,
    )
    assert stale.status_code == 410 and stale.json()["code"] == "stale_cursor"
    got, _ = _first_sync(client, headers, protocol=3)
    assert {c["id"] for c in got if c["entity"] == "customer"} == {"C1", "C3", "C4"}


def test_a_stream_begun_after_a_compaction_runs_past_the_floor(client, seed, app):
    from shared.pull_stream import FrameReader

    floor = _team_with_a_compacted_delete(seed, app)
    headers = {"Authorization": f"Bearer {sign_in(client, 'ana.garcia')['token']}"}
    response = client.get(
        "/v1/sync/pull/stream",
        params={"limit": 1, "protocol_version": 3},
        headers={**headers, "Accept-Encoding": "identity"},
    )
    assert response.status_code == 200
    import json

    pages = [json.loads(body) for body in FrameReader().feed(response.content)]
    assert pages[-1]["has_more"] is False and pages[-1]["cursor"] > floor
    assert {c["id"] for p in pages for c in p["changes"] if c["entity"] == "customer"} == {"C1", "C3", "C4", "C5"}


def test_a_visit_recorded_before_the_customer_moved_still_syncs_after_a_compaction(client, seed, app):
    import uuid

    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "bruno.diaz"), make_customer(c, "C1", "ana.garcia")))
    ana = sign_in(client, "ana.garcia")
    seed(lambda c: make_customer(c, "C1", "bruno.diaz"))  # moved while Ana was offline
    with write_transaction(app.state.engine) as conn:  # drops Ana's put of C1, superseded by its delete
        assert compact(conn, datetime.now(UTC), timedelta(days=90)).superseded > 0
    visit = {
        "id": str(uuid.uuid4()),
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "checked_in_at": datetime.now(UTC).isoformat(),
        "notes": "Pedido de guantes",
    }
    body = {
        "client_id": ana["client_id"],
        "protocol_version": 3,
        "schema_version": 1,
        "mutations": [{"id": 1, "name": "record_visit", "args": {"visit": visit}}],
    }
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {ana['token']}"})
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "applied", response.text


def test_a_seq_is_never_handed_out_twice_when_the_newest_change_is_an_old_delete(engine):
    from sync_server.repository.changelog import last_seq
    from sync_server.repository.records import Desired

    with write_transaction(engine) as conn:
        put_record(conn, _stock("A"), "stock:MAD")
        put_record(conn, _stock("B"), "stock:MAD")
    with write_transaction(engine) as conn:
        sync_entity(conn, "stock", [Desired(_stock("B"), "stock:MAD")])  # deletes A: the newest change
    with engine.connect() as conn:
        newest = last_seq(conn)
    with write_transaction(engine) as conn:
        compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=90))
    with write_transaction(engine) as conn:
        put_record(conn, _stock("C"), "stock:MAD")
    with engine.connect() as conn:
        after = [r.seq for r in read_changes(conn, ["stock:MAD"], newest, 10)]
    assert len(after) == 1 and after[0] > newest  # a device at `newest` still receives C
