"""A device's rounds reuse compiled statements (both backends): after its first rounds, a push
of any size and a pull run no statement SQLAlchemy has to compile again, nor one built anew.

A statement SQLAlchemy cannot cache (a multi-row VALUES, whose shape follows the number of
rows) is compiled on every execution: it cost about a fifth of a push's CPU on PostgreSQL.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import default

from tests.sync_server.factories import Device, make_customer, make_user

_NAMES = {
    default.CACHE_MISS: "compiled (first time)",
    default.NO_CACHE_KEY: "compiled (no cache key)",
    default.CACHING_DISABLED: "compiled (caching off)",
}


def _visit(customer: str) -> dict:
    now = datetime.now(UTC).isoformat()
    return {"id": str(uuid.uuid4()), "customer_code": customer, "seller_login": "ana.garcia",
            "checked_in_at": now, "checked_out_at": now, "notes": "Revisar stock"}  # fmt: skip


def _round(device: Device, visits: int) -> None:
    body = {
        "client_id": device.session["client_id"],
        "protocol_version": 3,
        "schema_version": 1,
        "mutations": [
            {"id": device.next_id + i, "name": "record_visit", "args": {"visit": _visit(f"C{i % 2}")}}
            for i in range(visits)
        ],
    }
    response = device.client.post("/v1/sync/push", json=body, headers=device.headers)
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"applied"}
    device.next_id += visits
    device.pull_all()


def test_rounds_after_the_first_compile_no_statement(client, seed, app):
    seed(lambda conn: (make_user(conn, "ana.garcia"), make_customer(conn, "C0", "ana.garcia"),
                       make_customer(conn, "C1", "ana.garcia")))  # fmt: skip
    ana = Device(client, "ana.garcia", protocol_version=3)
    for visits in (1, 2):  # a single row and several may compile differently, once each
        _round(ana, visits)
    compiled: list[str] = []

    @event.listens_for(app.state.engine, "after_cursor_execute")
    def _note(_conn, _cursor, statement, _params, context, _many) -> None:
        how = _NAMES.get(getattr(context, "cache_hit", None))
        if how is not None and context.compiled is not None:
            compiled.append(f"{how}: {' '.join(statement.split())[:120]}")

    for visits in (1, 3, 2, 5):
        _round(ana, visits)
    event.remove(app.state.engine, "after_cursor_execute", _note)
    assert compiled == []


def test_rounds_after_the_first_build_no_statement_anew(client, seed, app):
    """Each statement a round runs is one object, built once: SQLAlchemy computes a statement
    object's cache key at its first execution, so one made anew at every call costs that
    every time even when the compiled SQL is cached (a fifth of a push's CPU on SQLite)."""
    seed(lambda conn: (make_user(conn, "ana.garcia"), make_customer(conn, "C0", "ana.garcia"),
                       make_customer(conn, "C1", "ana.garcia")))  # fmt: skip
    ana = Device(client, "ana.garcia", protocol_version=3)
    for visits in (1, 2):
        _round(ana, visits)
    # Kept alive, so that no two of them can share an id().
    objects: dict[str, list[object]] = {}

    @event.listens_for(app.state.engine, "after_cursor_execute")
    def _note(_conn, _cursor, statement, _params, context, _many) -> None:
        invoked = getattr(context, "invoked_statement", None)
        if invoked is not None:
            made = objects.setdefault(" ".join(statement.split())[:120], [])
            if all(invoked is not other for other in made):
                made.append(invoked)

    for visits in (1, 3, 2):
        _round(ana, visits)
    event.remove(app.state.engine, "after_cursor_execute", _note)
    assert objects, "the listener saw the rounds' statements"
    assert {sql: len(made) for sql, made in objects.items() if len(made) > 1} == {}
