"""The bad-input corpus: each hostile or broken request gets a clear 4xx problem and nothing
is stored (SQLite and PostgreSQL). Counts at the end: cases tried, denied as expected, 5xx."""

import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from sync_server.repository.tables import ENTITY_TABLES, audit_log, changes
from tests.sync_server.factories import Device, make_customer, make_user

_VISIT = {"customer_code": "C1", "seller_login": "ana.garcia", "notes": "Revisar stock"}


def _visit(**fields) -> dict:
    return {"id": str(uuid.uuid4()), "checked_in_at": datetime.now(UTC).isoformat(), **_VISIT, **fields}


def _raw(device: Device, body: bytes | str, content_type: str = "application/json"):
    return device.client.post("/v1/sync/push", content=body, headers={**device.headers, "Content-Type": content_type})


def _push(device: Device, mutations: list, **outer):
    body = {"client_id": device.session["client_id"], "protocol_version": 3, "schema_version": 1, **outer}
    body["mutations"] = mutations
    return _raw(device, json.dumps(body))


# (id, request) → each returns a response, or a push result dict for a mutation judged alone.
def _cases(ana: Device, client) -> list[tuple[str, object]]:
    big = "x" * (5 * 1024 * 1024)
    deep = {"a": None}
    for _ in range(60):
        deep = {"a": deep}
    return [
        ("oversized push", lambda: _raw(ana, big)),
        ("oversized sign-in", lambda: client.post("/v1/auth/login", content=big, headers={"Content-Type": "application/json"})),
        ("deep JSON", lambda: _push(ana, [{"id": 1, "name": "record_visit", "args": {"visit": deep}}])),
        ("invalid UTF-8", lambda: _raw(ana, b'{"client_id": "\xff\xfe", "mutations": []}')),
        ("not JSON", lambda: _raw(ana, b"<xml/>")),
        ("control character in a note", lambda: ana.push("record_visit", visit=_visit(notes="a\x00b"))),
        ("bidi override in a note", lambda: ana.push("record_visit", visit=_visit(notes="pay \u202eusd"))),
        ("path traversal login", lambda: client.post("/v1/auth/login", json={"login": "../../etc", "password": "x" * 12})),
        ("path traversal attachment", lambda: client.get("/v1/attachments/..%2F..%2Fterreno.db", headers=ana.headers)),
        ("fake hash", lambda: client.get("/v1/attachments/" + "z" * 64, headers=ana.headers)),
        ("absurd number", lambda: ana.push("record_lost_sale", lost_sale={**_VISIT, "id": str(uuid.uuid4()), "sku": "P1", "quantity": "1e400", "currency": "EUR", "unit_price": "2"})),
        ("negative quantity", lambda: ana.push("record_lost_sale", lost_sale={**_VISIT, "id": str(uuid.uuid4()), "sku": "P1", "quantity": "-5", "currency": "EUR", "unit_price": "2"})),
        ("absurd date", lambda: ana.push("record_visit", visit=_visit(checked_in_at="99999-01-01T00:00:00Z"))),
        ("year one", lambda: ana.push("record_visit", visit=_visit(checked_in_at="0001-01-01T00:00:00Z"))),
        ("unknown mutation", lambda: ana.push("drop_table", anything=True)),
        ("future protocol", lambda: _push(ana, [], protocol_version=999)),
        ("future schema", lambda: _push(ana, [], schema_version=999)),
        ("another device's id", lambda: _push(ana, [], client_id=str(uuid.uuid4()))),
        ("someone else's record", lambda: ana.push("record_visit", visit=_visit(seller_login="carla.sur"))),
        ("huge header", lambda: client.get("/v1/health", headers={"X-A": "a" * 10_000})),
        ("control char in URL", lambda: client.get("/v1/sync/bucket?name=a%00b", headers=ana.headers)),
    ]  # fmt: skip


def _stored(app) -> tuple[int, int]:
    with app.state.engine.connect() as conn:
        visits = conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["visit"])).scalar()
        logged = conn.execute(sa.select(sa.func.count()).select_from(changes)).scalar()
    return visits, logged


def test_every_bad_input_gets_a_clear_4xx_problem_and_nothing_is_stored(client, seed, app, capsys):
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "carla.sur"), make_customer(c, "C1", "ana.garcia")))
    ana = Device(client, "ana.garcia", protocol_version=3)
    before = _stored(app)
    tried = denied = server_errors = 0
    for name, send in _cases(ana, client):
        answer = send()
        tried += 1
        if isinstance(answer, dict):  # a mutation judged alone inside a 200 push
            assert answer["status"] == "rejected" and answer["code"] and answer["detail"], (name, answer)
            denied += 1
            continue
        server_errors += answer.status_code >= 500
        assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
        problem = answer.json()
        assert problem["code"] and problem.get("detail") or problem.get("title"), (name, problem)
        assert answer.headers["content-type"].startswith("application/problem+json"), name
        denied += 1
    assert _stored(app) == before
    with app.state.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar() == 1
        )  # Ana's sign-in: nothing else was recorded
    assert (tried, denied, server_errors) == (len(_cases(ana, client)), tried, 0)
    with capsys.disabled():
        print(f"\nbad-input corpus: {tried} cases tried, {denied} denied as expected, {server_errors} 5xx")


@pytest.mark.parametrize("login", ["..", "a/b", "a\\b", "ana\u202e", "ana garcia", "a" * 65])
def test_a_login_outside_the_rule_never_reaches_the_database(client, login):
    response = client.post("/v1/auth/login", json={"login": login, "password": "x" * 12})
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
