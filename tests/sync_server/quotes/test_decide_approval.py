"""Decisions made on a manager's device (`decide_approval`), perhaps offline: applied at sync
only on the version decided on, refused as "changed since you decided" otherwise; no
self-approval; the same rules on the online route (SQLite and PostgreSQL)."""

import uuid
from datetime import UTC, datetime, timedelta

from tests.sync_server.factories import make_customer
from tests.sync_server.quotes.helpers import (
    ADMIN,
    MANAGER,
    OTHER_MANAGER,
    SELLER,
    approval_args,
    make_quote,
    set_credit,
)


def _pending_quote(device, customer="C1", **kw):
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")], seller=device.login, customer=customer, **kw)
    assert device.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert device.push("request_approval", request=request)["status"] == "applied"
    return quote, request


def _decision(manager, quote, request, decision="approved", comment="OK por volumen", **kw):
    """The mutation as the manager's device records it (decided_at by the device's clock)."""
    args = {
        "decision": {
            "id": str(uuid.uuid4()),
            "request_id": request["id"],
            "decided_by": manager.login,
            "decision": decision,
            "comment": comment,
            "decided_at": "2020-01-01T00:00:00+00:00",
        },
        "quote_id": quote["id"],
        "quote_version": quote["version"],
    }
    return {**args, **kw}


def test_an_offline_decision_applies_at_sync_dated_by_the_server_and_reaches_the_seller(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    args = _decision(marta, quote, request, "rejected", "Demasiado descuento")
    before = datetime.now(UTC)
    marta.protocol_version = 3
    assert marta.push("decide_approval", **args)["status"] == "applied"
    seen = ana.latest("approval_decision", args["decision"]["id"])
    assert (seen["decision"], seen["decided_by"], seen["comment"]) == ("rejected", MANAGER, "Demasiado descuento")
    decided_at = datetime.fromisoformat(seen["decided_at"])
    assert before - timedelta(seconds=1) <= decided_at <= datetime.now(UTC)  # the server's clock, not the device's
    assert ana.latest("quote", quote["id"])["status"] == "rejected"
    requested_at = datetime.fromisoformat(ana.latest("approval_request", request["id"])["requested_at"])
    [item] = client.get("/v1/approvals", params={"status": "decided"}, headers=marta.headers).json()
    assert item["requested_at"] is not None
    assert item["time_to_decision_seconds"] == int((decided_at - requested_at).total_seconds())
    # The same decision pushed again (a lost answer) changes nothing.
    assert marta.push("decide_approval", **args)["status"] == "applied"


def test_a_decision_on_a_version_the_seller_replaced_is_refused_as_changed(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    args = _decision(marta, quote, request)  # decided offline on v1 ...
    revised = make_quote(lines=[("GUA-NIT-09", "100", "10")], number=quote["number"], version=2)
    assert ana.push("save_quote", quote=revised)["status"] == "applied"  # ... while Ana made v2
    marta.protocol_version = 3
    result = marta.push("decide_approval", **args)
    assert (result["status"], result["code"], result["key"]) == (
        "rejected",
        "conflict",
        "problem.approval.changed_since_decided",
    )
    assert result["params"]["changes"] == [
        {"$message": "problem.approval.change.new_version", "params": {"version": 2}}
    ]
    assert "changed since you decided" in result["detail"]
    assert ana.latest("quote", quote["id"])["status"] == "pending_approval"
    assert ana.latest("approval_decision", args["decision"]["id"]) is None


def test_a_decision_someone_made_first_is_refused_naming_who_decided(client, device):
    ana, marta, root = device(SELLER), device(MANAGER), device(ADMIN)
    quote, request = _pending_quote(ana)
    args = _decision(marta, quote, request)
    response = client.post(
        f"/v1/approvals/{request['id']}/decision",
        json={"decision": "rejected", "comment": "Sin margen"},
        headers=root.headers,
    )
    assert response.status_code == 200, response.text
    marta.protocol_version = 3
    result = marta.push("decide_approval", **args)
    assert result["key"] == "problem.approval.changed_since_decided"
    [change] = result["params"]["changes"]
    assert change["$message"] == "problem.approval.change.already_decided" and change["params"]["by"] == ADMIN


def test_a_manager_never_decides_her_own_quote_another_manager_or_an_admin_does(client, device, seed):
    seed(lambda conn: (make_customer(conn, "C9", MANAGER), set_credit(conn, "C9", MANAGER)))
    marta, root = device(MANAGER), device(ADMIN)
    quote, request = _pending_quote(marta, customer="C9")
    marta.protocol_version = 3
    result = marta.push("decide_approval", **_decision(marta, quote, request))
    assert (result["status"], result["code"], result["key"]) == ("rejected", "forbidden", "problem.approval.own_quote")
    online = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=marta.headers
    )
    assert online.status_code == 403 and online.json()["key"] == "problem.approval.own_quote"
    assert root.push("decide_approval", **_decision(root, quote, request))["status"] == "applied"


def test_a_manager_of_another_team_is_refused(client, device):
    ana, sergio = device(SELLER), device(OTHER_MANAGER)
    quote, request = _pending_quote(ana)
    result = sergio.push("decide_approval", **_decision(sergio, quote, request))
    assert (result["status"], result["code"]) == ("rejected", "out_of_scope")


def test_a_rejection_needs_a_note_online_and_offline(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    marta.protocol_version = 3
    result = marta.push("decide_approval", **_decision(marta, quote, request, "rejected", "  "))
    assert (result["code"], result["key"]) == ("validation_failed", "problem.approval.note_required")
    online = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "rejected", "comment": ""}, headers=marta.headers
    )
    assert online.status_code == 422 and online.json()["key"] == "problem.approval.note_required"


def test_a_decision_names_the_version_of_its_request_and_its_own_manager(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    wrong_version = marta.push("decide_approval", **_decision(marta, quote, request, quote_version=2))
    assert (wrong_version["status"], wrong_version["code"]) == ("rejected", "validation_failed")
    forged = _decision(marta, quote, request)
    forged["decision"]["decided_by"] = OTHER_MANAGER
    assert marta.push("decide_approval", **forged)["code"] == "forbidden"
    assert ana.latest("quote", quote["id"])["status"] == "pending_approval"


def test_the_online_route_refuses_a_superseded_version(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    revised = make_quote(lines=[("GUA-NIT-09", "100", "10")], number=quote["number"], version=2)
    assert ana.push("save_quote", quote=revised)["status"] == "applied"
    response = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=marta.headers
    )
    assert response.status_code == 409 and response.json()["key"] == "problem.approval.superseded"
