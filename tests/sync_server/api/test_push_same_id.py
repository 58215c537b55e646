"""A create for an id that already exists (docs/sync-protocol.md §4, "The same id again")."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from sync_server.repository.tables import ENTITY_TABLES, changes, records
from tests.sync_server.factories import make_customer, make_user, sign_in


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "bruno.diaz")
    make_customer(conn, "C1", "ana.garcia")
    make_customer(conn, "C2", "bruno.diaz")


def _push(client, device, mutations):
    body = {"client_id": device["client_id"], "protocol_version": 3, "schema_version": 1, "mutations": mutations}
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device['token']}"})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def _visit(visit_id, seller="ana.garcia", customer="C1", **kw):
    return {
        "id": visit_id,
        "customer_code": customer,
        "seller_login": seller,
        "checked_in_at": "2026-06-01T09:00:00+00:00",
        **kw,
    }


def _state(app, visit_id):
    with app.state.engine.connect() as conn:
        version = conn.execute(sa.select(records.c.version).where(records.c.entity_id == visit_id)).scalar()
        puts = conn.execute(
            sa.select(sa.func.count()).select_from(changes).where(changes.c.entity_id == visit_id)
        ).scalar()
        row = conn.execute(sa.select(ENTITY_TABLES["visit"]).where(ENTITY_TABLES["visit"].c.id == visit_id)).first()
    return version, puts, row


def test_the_authors_later_put_replaces_the_visit_and_the_same_content_changes_nothing(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    vid = str(uuid.uuid4())
    # The later mutation carries an earlier device time: the mutation order decides, not the clock.
    out = (datetime(2026, 6, 1, 9, tzinfo=UTC) + timedelta(minutes=40)).isoformat()
    results = _push(
        client,
        ana,
        [
            {"id": 1, "name": "record_visit", "args": {"visit": _visit(vid, notes="primera")}},
            {"id": 2, "name": "record_visit", "args": {"visit": _visit(vid, notes="segunda", checked_out_at=out)}},
            {"id": 3, "name": "record_visit", "args": {"visit": _visit(vid, notes="segunda", checked_out_at=out)}},
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 3
    version, puts, row = _state(app, vid)
    assert (version, puts, row.notes) == (2, 2, "segunda")


def test_the_same_visit_id_from_another_seller_is_refused_and_the_authors_visit_stays(client, seed, app):
    seed(_seed)
    ana, bruno = sign_in(client, "ana.garcia"), sign_in(client, "bruno.diaz")
    vid = str(uuid.uuid4())
    assert (
        _push(client, ana, [{"id": 1, "name": "record_visit", "args": {"visit": _visit(vid, notes="de Ana")}}])[0][
            "status"
        ]
        == "applied"
    )
    refused = _push(
        client,
        bruno,
        [
            {
                "id": 1,
                "name": "record_visit",
                "args": {"visit": _visit(vid, seller="bruno.diaz", customer="C2", notes="de Bruno")},
            }
        ],
    )[0]
    assert (refused["status"], refused["code"]) == ("rejected", "out_of_scope")
    version, puts, row = _state(app, vid)
    assert (version, puts, row.notes, row.seller_login) == (1, 1, "de Ana", "ana.garcia")
