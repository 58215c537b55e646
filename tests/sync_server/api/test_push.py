"""Push through the HTTP API: exactly-once, gaps, rejections, scope, merges (both backends)."""

import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.models import Role
from shared.protocol import MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, PushResponse
from sync_server.repository.tables import ENTITY_TABLES, mutations
from tests.sync_server.factories import make_customer, make_user, sign_in


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "bruno.diaz")
    make_customer(conn, "C1", "ana.garcia")
    make_customer(conn, "C2", "bruno.diaz")


def _visit(customer="C1", seller="ana.garcia", visit_id=None, **kw) -> dict:
    return {
        "id": str(visit_id or uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "checked_in_at": datetime.now(UTC).isoformat(),
        "notes": "Revisar stock de EPIs",
        **kw,
    }


def _push(client, device: dict, mutations_: list[dict]):
    body = {"client_id": device["client_id"], "protocol_version": 1, "schema_version": 1, "mutations": mutations_}
    return client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device['token']}"})


def _m(mid: int, name: str = "record_visit", **args) -> dict:
    return {"id": mid, "name": name, "args": args or {"visit": _visit()}}


def _visits(app) -> int:
    with app.state.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["visit"])).scalar()


def test_mutations_apply_in_order_and_advance_the_id(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    response = _push(client, ana, [_m(1), _m(2)])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["last_mutation_id"] == 2 and [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert _visits(app) == 2


def test_a_retried_push_after_a_lost_response_returns_the_stored_results(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    batch = [_m(1), _m(2, visit=_visit(customer="C2"))]
    first = _push(client, ana, batch).json()
    again = _push(client, ana, batch).json()
    assert again == first
    assert [r["status"] for r in first["results"]] == ["applied", "rejected"]
    assert _visits(app) == 1


def test_a_gap_is_refused_with_the_expected_id(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    _push(client, ana, [_m(1)])
    response = _push(client, ana, [_m(3)])
    assert response.status_code == 409
    assert response.json()["code"] == "mutation_gap" and response.json()["expected"] == 2
    assert _visits(app) == 1


def test_a_permanent_rejection_mid_batch_does_not_block_the_rest(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    batch = [_m(1), _m(2, visit={"id": "not-a-uuid"}), _m(3, "launch_rocket", x=1), _m(4)]
    body = _push(client, ana, batch).json()
    assert [r["status"] for r in body["results"]] == ["applied", "rejected", "rejected", "applied"]
    assert body["results"][1]["code"] == "validation_failed" and "id" in body["results"][1]["detail"]
    assert "launch_rocket" in body["results"][2]["detail"]
    assert body["last_mutation_id"] == 4 and _visits(app) == 2


def test_another_sellers_customer_is_out_of_scope(client, seed):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    result = _push(client, ana, [_m(1, visit=_visit(customer="C2"))]).json()["results"][0]
    assert result["status"] == "rejected" and result["code"] == "out_of_scope"
    forged = _push(client, ana, [_m(2, visit=_visit(seller="bruno.diaz"))]).json()["results"][0]
    assert forged["status"] == "rejected" and forged["code"] == "forbidden"


def test_a_visit_recorded_before_a_reassignment_is_still_accepted(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    seed(lambda c: make_customer(c, "C1", "bruno.diaz"))  # moved while Ana was offline
    result = _push(client, ana, [_m(1)]).json()["results"][0]
    assert result["status"] == "applied"
    with app.state.engine.connect() as conn:
        visit = conn.execute(sa.select(ENTITY_TABLES["visit"])).one()
    assert visit.seller_login == "ana.garcia" and visit.customer_code == "C1"


def test_a_token_of_another_device_cannot_push_for_it(client, seed):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    other = sign_in(client, "ana.garcia")  # a second tablet of the same seller
    response = _push(client, {"client_id": ana["client_id"], "token": other["token"]}, [_m(1)])
    assert response.status_code == 403


def test_concurrent_pushes_of_one_client_apply_each_mutation_once(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    batch = [_m(i) for i in range(1, 9)]
    statuses = []

    def send():
        statuses.append(_push(client, ana, batch).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(statuses) <= {200, 409, 503} and 200 in statuses
    assert _visits(app) == 8
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(mutations)).scalar() == 8


def test_a_batch_over_the_byte_bound_is_refused_whole(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    padding = "x" * (MAX_PUSH_BYTES // 400)
    response = _push(client, ana, [_m(i, visit={**_visit(), "notes": padding}) for i in range(1, 450)])
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"
    assert _visits(app) == 0


def test_a_batch_over_the_count_bound_is_refused_whole(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    response = _push(client, ana, [_m(i) for i in range(1, MAX_PUSH_MUTATIONS + 2)])
    assert response.status_code == 422 and "mutations" in response.json()["detail"]
    assert _visits(app) == 0


def _opportunity(version=1, **kw) -> dict:
    base = {
        "id": "0191f7a2-0000-7000-8000-000000000001",
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "title": "Renovación EPIs 2027",
        "stage": "qualified",
        "currency": "EUR",
        "value": "12000.00",
        "probability_percent": "40",
        "version": version,
    }
    return {**base, **kw}


def test_opportunity_edits_merge_field_by_field_and_report_conflicts(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    ana_phone = sign_in(client, "ana.garcia", device_name="phone")
    assert (
        _push(client, ana, [_m(1, "save_opportunity", opportunity=_opportunity())]).json()["results"][0]["status"]
        == "applied"
    )
    # Ana raises the value on her phone; her tablet, offline on version 1, changes the stage and the value.
    _push(client, ana_phone, [_m(1, "save_opportunity", opportunity=_opportunity(value="15000.00"), base_version=1)])
    result = _push(
        client,
        ana,
        [
            _m(
                2,
                "save_opportunity",
                opportunity=_opportunity(stage="proposal", value="11000.00"),
                base_version=1,
                base={"stage": "qualified", "value": "12000.00"},
            )
        ],
    ).json()["results"][0]
    assert result["status"] == "applied" and result["conflicts"] == ["value"]
    with app.state.engine.connect() as conn:
        stored = conn.execute(sa.select(ENTITY_TABLES["opportunity"])).one()
    assert stored.stage == "proposal" and stored.value == Decimal("15000")
    assert stored.version == 3


def test_a_manager_never_writes_into_a_sellers_opportunity(client, seed, app):
    seed(lambda c: (_seed(c), make_user(c, "marta.jefa", role=Role.MANAGER)))
    ana, manager = sign_in(client, "ana.garcia"), sign_in(client, "marta.jefa")
    assert (
        _push(client, ana, [_m(1, "save_opportunity", opportunity=_opportunity())]).json()["results"][0]["status"]
        == "applied"
    )
    raised = _opportunity(value="15000.00")
    result = _push(client, manager, [_m(1, "save_opportunity", opportunity=raised, base_version=1)]).json()
    assert (result["results"][0]["status"], result["results"][0]["code"]) == ("rejected", "forbidden")
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(ENTITY_TABLES["opportunity"].c.value)).scalar() == Decimal("12000")


class _V1Result(BaseModel):
    """MutationResult as a protocol-1 app knows it: no key, no params, unknown fields refused."""

    model_config = ConfigDict(extra="forbid")
    id: int
    status: str
    code: str | None = None
    detail: str | None = None
    conflicts: list[str] = []


class _V1Response(BaseModel):
    model_config = ConfigDict(extra="forbid")
    last_mutation_id: int
    results: list[_V1Result]


@pytest.mark.parametrize("version", [1, 2])
def test_a_refusal_speaks_the_apps_protocol(client, seed, version):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    body = {
        "client_id": ana["client_id"],
        "protocol_version": version,
        "schema_version": 1,
        "mutations": [_m(1, visit=_visit(customer="C2"))],
    }
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {ana['token']}"})
    assert response.status_code == 200, response.text
    refused = response.json()["results"][0]
    assert refused["code"] == "out_of_scope"
    if version == 1:  # what an app already in the field must still be able to read
        assert "key" not in refused and "params" not in refused
        assert _V1Response.model_validate_json(response.content).results[0].status == "rejected"
    else:
        assert refused["key"] and isinstance(refused["params"], dict)
        assert PushResponse.model_validate_json(response.content).results[0].key == refused["key"]
        with pytest.raises(ValidationError):
            _V1Response.model_validate_json(response.content)  # why protocol 1 must not get them
