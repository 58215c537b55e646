"""The authorization matrix: every route and every mutation × every kind of caller.

Routes and mutations are enumerated from the app and the mutation registry, so a new one
without a row in `sync_server/services/authorization.py` (and, for a mutation, a builder
below) fails here. Callers: seller A, seller B (another team), A's manager, another team's
manager, an administrator, a revoked device, an expired token, no token, a forged token.
"""

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from shared.models import Role
from shared.models.field import Quote
from shared.protocol import activity_bucket
from sync_server.api.route_check import app_routes
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import tokens
from sync_server.services.auth import revoke_device
from sync_server.services.authorization import MUTATIONS, ROUTES, Caller
from sync_server.services.mutations import HANDLERS
from tests.sync_server.factories import Device
from tests.sync_server.quotes.helpers import (
    ADMIN,
    CUSTOMER,
    MANAGER,
    OTHER_MANAGER,
    OTHER_SELLER,
    SELLER,
    approval_args,
    delivery_args,
    make_quote,
    quote_pdf,
    seed_quoting,
    sent_quote,
)

SIGNED_IN = ("seller_a", "seller_b", "manager_a", "manager_b", "admin")
NOT_SIGNED_IN = ("revoked", "expired", "no_token", "forged")
ROLES = {
    "seller_a": Role.SELLER,
    "seller_b": Role.SELLER,
    "manager_a": Role.MANAGER,
    "manager_b": Role.MANAGER,
    "admin": Role.ADMIN,
}
LOGINS = {
    "seller_a": SELLER,
    "seller_b": OTHER_SELLER,
    "manager_a": MANAGER,
    "manager_b": OTHER_MANAGER,
    "admin": ADMIN,
}
_MAY = {
    Caller.ANYONE: set(Role),
    Caller.SIGNED_IN: set(Role),
    Caller.MANAGER: {Role.MANAGER, Role.ADMIN},
    Caller.ADMIN: {Role.ADMIN},
}
# Placeholders for path parameters: anything well-formed (the route answers 404 past the check).
_PARAMS = {
    "{client_id}": str(uuid.uuid4()),
    "{sha256}": "0" * 64,
    "{request_id}": str(uuid.uuid4()),
    "{delegation_id}": str(uuid.uuid4()),
    "{name}": "approval",
    "{login}": "nobody.here",
    "{code}": "NOTEAM",
    "{path:path}": "swagger-ui.css",
    "{customer_code}": "NO-SUCH-CUSTOMER",
}
# Routes whose answer changes the caller's state run last (logout ends the caller's session).
_LAST = {("POST", "/v1/auth/logout")}


@pytest.fixture
def callers(client, seed, app) -> dict[str, dict[str, str]]:
    """Authorization headers of each kind of caller (and the Devices of the signed-in ones)."""
    seed(seed_quoting)
    devices = {kind: Device(client, LOGINS[kind]) for kind in SIGNED_IN}
    revoked, expired = Device(client, SELLER), Device(client, SELLER)
    seed(lambda conn: revoke_device(conn, revoked.session["client_id"]))
    with app.state.engine.begin() as conn:
        past = datetime.now(UTC) - timedelta(minutes=1)
        conn.execute(
            sa.update(tokens).where(tokens.c.client_id == expired.session["client_id"]).values(expires_at=past)
        )
    headers = {kind: device.headers for kind, device in devices.items()}
    headers |= {"revoked": revoked.headers, "expired": expired.headers, "no_token": {}}
    headers["forged"] = {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}
    ids = {kind: device.session["client_id"] for kind, device in devices.items()}
    ids |= {"revoked": revoked.session["client_id"], "expired": expired.session["client_id"]}
    return {"headers": headers, "devices": devices, "client_ids": ids}  # type: ignore[dict-item]


def _request(client, method: str, path: str, headers: dict[str, str], client_id: str):
    url = path
    for placeholder, value in _PARAMS.items():
        url = url.replace(placeholder, value)
    params = {"name": "catalog"} if path == "/v1/sync/bucket" else None
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    if path == "/v1/sync/push":
        body = {"client_id": client_id, "protocol_version": 3, "schema_version": 1, "mutations": []}
    return client.request(method, url, headers=headers, params=params, json=body)


def test_every_route_has_a_row_and_answers_each_caller_as_its_row_says(client, app, callers):
    routes = app_routes(app)
    assert {(m, p) for m, p, _ in routes} <= set(ROUTES), "a route without a row in ROUTES"
    tried = denied = 0
    for method, path, _route in sorted(routes, key=lambda r: ((r[0], r[1]) in _LAST, r[1], r[0])):
        rule = ROUTES[(method, path)]
        for kind, headers in callers["headers"].items():
            allowed = ROLES[kind] in _MAY[rule] if kind in SIGNED_IN else rule == Caller.ANYONE
            client_id = callers["client_ids"].get(kind, str(uuid.uuid4()))
            response = _request(client, method, path, headers, client_id)
            tried += 1
            assert response.status_code < 500, (method, path, kind, response.text)
            if allowed:
                assert response.status_code not in (401, 403), (method, path, kind, response.text)
            else:
                denied += 1
                expected = 403 if kind in SIGNED_IN else 401
                assert response.status_code == expected, (method, path, kind, response.text)
                # HEAD has no body: the problem's code travels in a header on every response.
                code = response.headers["Terreno-Problem"]
                assert code == {"revoked": "device_revoked"}.get(
                    kind, "unauthorized" if expected == 401 else "forbidden"
                )
    assert tried == len(routes) * 9 and denied > 0


# Each builder makes seller A's prerequisites through A's device and returns the mutation's
# args, writing a record that is A's (seller_login / author A, customer C1 in A's portfolio).


def _visit() -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": CUSTOMER,
        "seller_login": SELLER,
        "checked_in_at": datetime.now(UTC).isoformat(),
        "notes": "Revisar stock",
    }


def _comment(a: Device) -> dict[str, Any]:
    visit = _visit()
    assert a.push("record_visit", visit=visit)["status"] == "applied"
    return {"comment": {"id": str(uuid.uuid4()), "visit_id": visit["id"], "author_login": SELLER, "text": "Más"}}


def _saved_quote(a: Device) -> dict[str, Any]:
    quote = make_quote()
    assert a.push("save_quote", quote=quote)["status"] == "applied"
    return quote


def _send(a: Device) -> dict[str, Any]:
    quote = _saved_quote(a)
    return {"quote_id": quote["id"], "delivery": delivery_args(quote, a.upload(quote_pdf(quote)))}


def _decision(a: Device) -> dict[str, Any]:
    """A's quote waiting for approval, decided by A's manager (the decision is hers)."""
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")])
    assert a.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert a.push("request_approval", request=request)["status"] == "applied"
    decision = {
        "id": str(uuid.uuid4()),
        "request_id": request["id"],
        "decided_by": MANAGER,
        "decision": "approved",
        "comment": "OK",
        "decided_at": datetime.now(UTC).isoformat(),
    }
    return {"decision": decision, "quote_id": quote["id"], "quote_version": quote["version"]}


def _take_over(a: Device) -> dict[str, Any]:
    """A draft Carla left for C1 (as if C1 had been hers before it moved to A), and A's copy."""
    left = Quote.model_validate(make_quote(seller=OTHER_SELLER, number="CS1-2026-0001"))
    with write_transaction(a.client.app.state.engine) as conn:
        put_record(conn, left, activity_bucket(OTHER_SELLER))
    return {"source_quote_id": str(left.id), "quote": make_quote()}


AUTHORS = {"decide_approval": "manager_a"}
"""Who writes a mutation's record when it is not seller A."""


def _mark(a: Device) -> dict[str, Any]:
    quote = sent_quote(a)
    return {"quote_id": quote["id"], "status": "accepted", "customer_po": "PO-77"}


BUILDERS: dict[str, Callable[[Device], dict[str, Any]]] = {
    "record_visit": lambda a: {"visit": _visit()},
    "record_observation": lambda a: {
        "observation": {"id": str(uuid.uuid4()), "customer_code": CUSTOMER, "seller_login": SELLER, "competitor": "X"}
    },
    "record_claim": lambda a: {
        "claim": {
            "id": str(uuid.uuid4()),
            "customer_code": CUSTOMER,
            "seller_login": SELLER,
            "kind": "return",
            "description": "Three boxes crushed",
            "sku": "GUA-NIT-09",
            "quantity": "3",
        }
    },
    "record_lost_sale": lambda a: {
        "lost_sale": {
            "id": str(uuid.uuid4()),
            "customer_code": CUSTOMER,
            "seller_login": SELLER,
            "sku": "GUA-NIT-09",
            "quantity": "5",
            "currency": "EUR",
            "unit_price": "2.50",
        }
    },
    "add_visit_comment": _comment,
    "save_opportunity": lambda a: {
        "opportunity": {
            "id": str(uuid.uuid4()),
            "customer_code": CUSTOMER,
            "seller_login": SELLER,
            "title": "Guantes",
            "currency": "EUR",
            "value": "1200.00",
            "probability_percent": "40",
        }
    },
    "save_quote": lambda a: {"quote": make_quote()},
    "request_approval": lambda a: {"request": approval_args(_saved_quote(a))},
    "send_quote": _send,
    "mark_quote": _mark,
    "save_prospect": lambda a: {
        "prospect": {
            "code": f"P-{a.session['quote_prefix']}-00001",
            "seller_login": SELLER,
            "name": "Talleres Ruiz",
            "country": "ES",
            "currency": "EUR",
            "created_at": datetime.now(UTC).isoformat(),
        }
    },
    "decide_approval": _decision,
    "take_over_draft": _take_over,
    "save_lead": lambda a: {
        "lead": {
            "id": str(uuid.uuid4()),
            "seller_login": SELLER,
            "name": "Talleres Ruiz",
            "channel": "phone",
            "created_at": datetime.now(UTC).isoformat(),
        }
    },
}


def test_every_mutation_has_a_row_and_a_builder():
    assert set(HANDLERS) == set(MUTATIONS), "add the mutation's row to services/authorization.py MUTATIONS"
    assert set(HANDLERS) <= set(BUILDERS), "add a builder for the mutation to this test"


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_only_the_records_own_seller_writes_it(client, callers, name):
    devices, headers = callers["devices"], callers["headers"]
    a = devices["seller_a"]
    args = BUILDERS[name](a)
    author = AUTHORS.get(name, "seller_a")
    for kind in (k for k in SIGNED_IN if k != author):
        result = devices[kind].push(name, **args)
        assert (result["status"], result["code"]) in {("rejected", "forbidden"), ("rejected", "out_of_scope")}, (
            kind,
            result,
        )
    for kind in NOT_SIGNED_IN:
        body = {
            "client_id": str(uuid.uuid4()),
            "protocol_version": 3,
            "schema_version": 1,
            "mutations": [{"id": 1, "name": name, "args": args}],
        }
        response = client.post("/v1/sync/push", json=body, headers=headers[kind])
        assert response.status_code == 401, (kind, response.text)
    assert devices[author].push(name, **args)["status"] == "applied"
