"""Delegating approvals: a manager away hands hers to another manager for a range of days; the
delegate pulls and decides them, each decision recorded on the delegator's behalf; bad ranges
and delegates are refused with the reason (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.sync_server.factories import Device
from tests.sync_server.quotes.helpers import (
    MANAGER,
    OTHER_CUSTOMER,
    OTHER_MANAGER,
    OTHER_SELLER,
    SELLER,
    approval_args,
    make_quote,
)

TODAY = datetime.now(UTC).date()
DAY = timedelta(days=1)


def _pending(device: Device, customer: str = "C1") -> dict:
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")], seller=device.login, customer=customer)
    assert device.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert device.push("request_approval", request=request)["status"] == "applied"
    return request


def _delegate(client, who: Device, delegate: str, starts=TODAY, ends=TODAY + 3 * DAY):
    return client.post(
        "/v1/approvals/delegations",
        json={"delegate_login": delegate, "starts_on": starts.isoformat(), "ends_on": ends.isoformat()},
        headers=who.headers,
    )


def test_the_delegate_sees_and_decides_on_the_delegators_behalf(client, device):
    ana, marta, sergio = device(SELLER), device(MANAGER), device(OTHER_MANAGER)
    request = _pending(ana)
    assert client.get("/v1/approvals", headers=sergio.headers).json() == []
    assert sergio.latest("quote", request["quote_id"]) is None

    made = _delegate(client, marta, OTHER_MANAGER)
    assert made.status_code == 201, made.text
    assert (made.json()["delegate_login"], made.json()["delegator_login"]) == (OTHER_MANAGER, MANAGER)
    for who in (marta, sergio):
        [listed] = client.get("/v1/approvals/delegations", headers=who.headers).json()
        assert listed["id"] == made.json()["id"]

    [held] = client.get("/v1/approvals", headers=sergio.headers).json()
    assert held["request_id"] == request["id"]
    assert sergio.latest("quote", request["quote_id"])["status"] == "pending_approval"  # in her buckets now
    decided = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=sergio.headers
    )
    assert decided.status_code == 200, decided.text
    decision = ana.latest("approval_decision", decided.json()["decision"]["id"])
    assert (decision["decided_by"], decision["on_behalf_of"]) == (OTHER_MANAGER, MANAGER)


def test_a_decision_in_her_own_right_names_nobody_else(client, device):
    carla, sergio = device(OTHER_SELLER), device(OTHER_MANAGER)
    request = _pending(carla, OTHER_CUSTOMER)
    body = client.post(f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=sergio.headers)
    assert body.json()["decision"]["on_behalf_of"] is None


def test_outside_the_range_or_cancelled_the_delegate_holds_nothing(client, device):
    ana, marta, sergio = device(SELLER), device(MANAGER), device(OTHER_MANAGER)
    request = _pending(ana)
    later = _delegate(client, marta, OTHER_MANAGER, TODAY + 2 * DAY, TODAY + 5 * DAY)
    assert later.status_code == 201
    assert client.get("/v1/approvals", headers=sergio.headers).json() == []
    refused = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=sergio.headers
    )
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"

    now = _delegate(client, marta, OTHER_MANAGER).json()
    assert len(client.get("/v1/approvals", headers=sergio.headers).json()) == 1
    assert client.delete(f"/v1/approvals/delegations/{now['id']}", headers=sergio.headers).status_code == 403
    assert client.delete(f"/v1/approvals/delegations/{now['id']}", headers=marta.headers).status_code == 204
    assert client.get("/v1/approvals", headers=sergio.headers).json() == []
    assert client.delete(f"/v1/approvals/delegations/{now['id']}", headers=marta.headers).status_code == 404


@pytest.mark.parametrize(
    ("delegate", "starts", "ends", "key", "words"),
    [
        (MANAGER, TODAY, TODAY + DAY, "problem.delegation.to_self", "to yourself"),
        (SELLER, TODAY, TODAY + DAY, "problem.delegation.delegate_not_manager", "is not a manager"),
        ("nadie", TODAY, TODAY + DAY, "problem.delegation.delegate_unknown", "no user nadie"),
        (OTHER_MANAGER, TODAY - 5 * DAY, TODAY - DAY, "problem.delegation.in_the_past", "over already"),
        (OTHER_MANAGER, TODAY + 5 * DAY, TODAY + DAY, "problem.delegation.ends_before_start", "ends before"),
    ],
)
def test_a_bad_delegation_is_refused_with_its_reason(client, device, delegate, starts, ends, key, words):
    marta = device(MANAGER)
    response = _delegate(client, marta, delegate, starts, ends)
    assert response.status_code == 422, response.text
    assert response.json()["key"] == key and words in response.json()["detail"]
    assert client.get("/v1/approvals/delegations", headers=marta.headers).json() == []


def test_a_seller_delegates_nothing(client, device):
    assert _delegate(client, device(SELLER), MANAGER).status_code == 403
