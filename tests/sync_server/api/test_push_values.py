"""Values from each field's whole domain, pushed as a lax JSON writer would send them.

Each bad value is one rejected mutation that names its field; the good mutation after it
in the same batch is applied; nothing of the bad one reaches the change log; and every
pull page the seller and her manager read afterwards is strict JSON. On both backends:
PostgreSQL refuses NUL in text and overflows NUMERIC where SQLite does not.
"""

import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shared.models import Role
from sync_server.repository.tables import changes
from tests.sync_server.factories import make_customer, make_user, sign_in

# Put in place of a string value, these become the bare JSON words or numbers a lax writer sends.
INFINITY, MINUS_INFINITY, NAN, HUGE = "@1e999@", "@-1e999@", "@NaN@", "@1e40@"


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "marta.jefa", role=Role.MANAGER)
    make_customer(conn, "C1", "ana.garcia")


def _visit(**fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "checked_in_at": datetime.now(UTC).isoformat(),
        "notes": "Revisar stock",
        **fields,
    }


def _location(**fields) -> dict:
    return {"location": {"latitude": 40.41, "longitude": -3.70, **fields}}


def _lost_sale(**fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "sku": "P1",
        "quantity": "5",
        "currency": "EUR",
        "unit_price": "2.50",
        **fields,
    }


def _opportunity(**fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "title": "Guantes",
        "currency": "EUR",
        "value": "1200.00",
        "probability_percent": "40",
        **fields,
    }


def _body(client_id: str, mutations: list[dict]) -> bytes:
    text = json.dumps({"client_id": client_id, "protocol_version": 3, "schema_version": 1, "mutations": mutations})
    for marker, raw in [(INFINITY, "1e999"), (MINUS_INFINITY, "-1e999"), (NAN, "NaN"), (HUGE, "1e40")]:
        text = text.replace(f'"{marker}"', raw)
    return text.encode()


def _push(client, device: dict, mutations: list[dict]):
    return client.post(
        "/v1/sync/push",
        content=_body(device["client_id"], mutations),
        headers={"Authorization": f"Bearer {device['token']}", "Content-Type": "application/json"},
    )


def _refuse_non_finite(word: str):
    raise AssertionError(f"a pull page carries {word}")


def _strict_pull(client, device: dict) -> dict:
    response = client.get(
        "/v1/sync/pull",
        params={"limit": 10000, "protocol_version": 3},
        headers={"Authorization": f"Bearer {device['token']}"},
    )
    assert response.status_code == 200, response.text
    return json.loads(response.content, parse_constant=_refuse_non_finite)


BAD = {
    "accuracy 1e999": ("record_visit", "visit", _visit(**_location(accuracy_m=INFINITY)), "accuracy_m"),
    "accuracy -1e999": ("record_visit", "visit", _visit(**_location(accuracy_m=MINUS_INFINITY)), "accuracy_m"),
    "latitude NaN": ("record_visit", "visit", _visit(**_location(latitude=NAN)), "latitude"),
    "accuracy 1e40": ("record_visit", "visit", _visit(**_location(accuracy_m=HUGE)), "accuracy_m"),
    "NUL in notes": ("record_visit", "visit", _visit(notes="pedido\x00urgente"), "notes"),
    "bidi override in notes": ("record_visit", "visit", _visit(notes="pago \u202eusd\u202c"), "notes"),
    "bell in purpose": ("record_visit", "visit", _visit(purpose="ding\x07"), "purpose"),
    "escape in notes": ("record_visit", "visit", _visit(notes="\x1b[31mrojo"), "notes"),
    "1 MiB of notes": ("record_visit", "visit", _visit(notes="x" * 2**20), "notes"),
    "year 1 at +14:00": ("record_visit", "visit", _visit(checked_in_at="0001-01-01T00:00:00+14:00"), "checked_in_at"),
    "year 9999 at -14:00": ("record_visit", "visit", _visit(planned_at="9999-12-31T23:59:59-14:00"), "planned_at"),
    "a date with no time": ("record_visit", "visit", _visit(planned_at="0001-01-01"), "planned_at"),
    "quantity 1e30": ("record_lost_sale", "lost_sale", _lost_sale(quantity="1" + "0" * 30), "quantity"),
    "price 1e40": ("record_lost_sale", "lost_sale", _lost_sale(unit_price="1" + "0" * 40), "unit_price"),
    "value as a float": ("save_opportunity", "opportunity", _opportunity(value=HUGE), "value"),
    "close in year 1": ("save_opportunity", "opportunity", _opportunity(expected_close="0001-01-01"), "expected_close"),
    "NUL in a code": ("record_visit", "visit", _visit(customer_code="C1\x00"), "customer_code"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_value_is_one_rejected_mutation_and_the_next_one_goes_through(client, seed, app, case):
    seed(_seed)
    ana, marta = sign_in(client, "ana.garcia"), sign_in(client, "marta.jefa")
    name, key, record, field = BAD[case]
    args = {key: record, **({"base_version": None} if name == "save_opportunity" else {})}
    good = _visit()
    response = _push(
        client, ana, [{"id": 1, "name": name, "args": args}, {"id": 2, "name": "record_visit", "args": {"visit": good}}]
    )
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["status"] == "rejected" and first["code"] == "validation_failed", first
    assert field in first["detail"] and "\x00" not in first["detail"]
    assert second["status"] == "applied"
    with app.state.engine.connect() as conn:
        logged = set(conn.execute(sa.select(changes.c.entity_id).where(changes.c.entity.in_(["visit", key]))).scalars())
    assert logged == {good["id"]}
    for device in (ana, marta):
        page = _strict_pull(client, device)
        assert good["id"] in {c["id"] for c in page["changes"]}


GOOD = {
    "latitude -0.0": _visit(**_location(latitude=-0.0)),
    "RTL marks and line breaks": _visit(notes="\u200ftexto\u200e\tcon\r\nsaltos"),
    "first and last day": _visit(planned_at="1900-01-01T00:00:00+00:00", checked_in_at="2200-12-31T23:59:59+00:00"),
}


@pytest.mark.parametrize("case", list(GOOD), ids=list(GOOD))
def test_values_at_the_edges_of_their_domain_are_kept_as_sent(client, seed, case):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    response = _push(client, ana, [{"id": 1, "name": "record_visit", "args": {"visit": GOOD[case]}}])
    assert response.json()["results"][0]["status"] == "applied", response.text
    pulled = {c["id"]: c["data"] for c in _strict_pull(client, ana)["changes"] if c["entity"] == "visit"}
    assert pulled[GOOD[case]["id"]]["notes"] == GOOD[case]["notes"]


UNREADABLE = {
    "args not an object": {"name": "record_visit", "args": []},
    "name not a string": {"name": 7, "args": {}},
    "name with a NUL": {"name": "record\x00visit", "args": {}},
    "name too long": {"name": "x" * 41, "args": {}},
    "no args": {"name": "record_visit"},
    "an extra field": {"name": "record_visit", "args": {"visit": {}}, "when": "now"},
}


@pytest.mark.parametrize("case", list(UNREADABLE), ids=list(UNREADABLE))
def test_an_unreadable_envelope_is_rejected_alone_and_the_outbox_moves_on(client, seed, app, case):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    batch = [{"id": 1, **UNREADABLE[case]}, {"id": 2, "name": "record_visit", "args": {"visit": _visit()}}]
    response = _push(client, ana, batch)
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert (first["status"], first["code"], second["status"]) == ("rejected", "invalid_mutation", "applied")
    again = _push(client, ana, batch)  # a retry after a lost answer gets the same answers
    assert again.json()["results"] == response.json()["results"]


@pytest.mark.parametrize("envelope", [{"name": "record_visit", "args": {}}, {"id": "1"}, {"id": 0}, {"id": True}, 7])
def test_an_envelope_without_an_id_makes_the_whole_push_invalid_naming_it(client, seed, envelope):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    response = _push(client, ana, [{"id": 1, "name": "record_visit", "args": {"visit": _visit()}}, envelope])
    assert response.status_code == 422 and response.json()["index"] == 1, response.text
    follow = _push(client, ana, [{"id": 1, "name": "record_visit", "args": {"visit": _visit()}}])
    assert follow.json()["results"][0]["status"] == "applied"  # nothing of the refused push was applied


def test_a_bug_on_one_input_rejects_that_mutation_with_a_reference_and_the_next_goes_on(client, seed, monkeypatch):
    from sync_server.services import mutations

    seed(_seed)
    ana = sign_in(client, "ana.garcia")

    def broken(conn, principal, args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(mutations.HANDLERS, "record_claim", broken)
    response = _push(
        client,
        ana,
        [{"id": 1, "name": "record_claim", "args": {}}, {"id": 2, "name": "record_visit", "args": {"visit": _visit()}}],
    )
    first, second = response.json()["results"]
    assert first["status"] == "rejected" and first["code"] == "internal_error" and first["params"]["reference"]
    assert second["status"] == "applied"
