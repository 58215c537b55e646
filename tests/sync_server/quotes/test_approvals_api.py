"""The approvals API: a manager lists and decides the team's requests; the decision syncs back
and wins over a stale offline edit (SQLite and PostgreSQL)."""

from tests.sync_server.quotes.helpers import (
    ADMIN,
    MANAGER,
    OTHER_MANAGER,
    OTHER_SELLER,
    SELLER,
    approval_args,
    make_quote,
)


def _pending_quote(ana, **kw):
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15"), ("TAL-18V-BL", "2", "5")], **kw)
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert ana.push("request_approval", request=request)["status"] == "applied"
    return quote, request


def _decide(client, who, request_id, decision="approved", comment="OK por volumen"):
    return client.post(
        f"/v1/approvals/{request_id}/decision", json={"decision": decision, "comment": comment}, headers=who.headers
    )


def test_a_manager_lists_the_teams_pending_requests_with_quote_and_reasons(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    response = client.get("/v1/approvals", params={"status": "pending"}, headers=marta.headers)
    assert response.status_code == 200, response.text
    [item] = response.json()
    assert item["request_id"] == request["id"] and item["requested_by"] == SELLER
    assert item["fired_rules"] == ["discount_above_band"]
    assert item["reasons"][0].startswith("Line 1 (GUA-NIT-09): discount 15")
    summary = item["quote"]
    assert (summary["number"], summary["status"], summary["customer_code"]) == (
        quote["number"],
        "pending_approval",
        "C1",
    )
    assert summary["gross_total"] == quote["gross_total"] and len(summary["lines"]) == 2
    assert item["decision"] is None


def test_approval_moves_the_quote_and_syncs_to_the_seller(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    response = _decide(client, marta, request["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["quote"]["status"] == "approved" and body["decision"]["decided_by"] == MANAGER
    assert ana.latest("quote", quote["id"])["status"] == "approved"
    decision = ana.latest("approval_decision", body["decision"]["id"])
    assert decision["decision"] == "approved" and decision["comment"] == "OK por volumen"
    assert client.get("/v1/approvals", headers=marta.headers).json() == []
    decided = client.get("/v1/approvals", params={"status": "decided"}, headers=marta.headers).json()
    assert [d["request_id"] for d in decided] == [request["id"]]


def test_deciding_twice_is_a_conflict(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    assert _decide(client, marta, request["id"], "rejected").status_code == 200
    again = _decide(client, marta, request["id"], "approved")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert "already rejected" in again.json()["detail"]
    assert ana.latest("quote", quote["id"])["status"] == "rejected"


def test_a_seller_cannot_list_or_decide(client, device):
    ana = device(SELLER)
    _, request = _pending_quote(ana)
    assert client.get("/v1/approvals", headers=ana.headers).status_code == 403
    response = _decide(client, ana, request["id"])
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_manager_of_another_team_neither_sees_nor_decides(client, device):
    ana, sergio = device(SELLER), device(OTHER_MANAGER)
    quote, request = _pending_quote(ana)
    assert client.get("/v1/approvals", headers=sergio.headers).json() == []
    response = _decide(client, sergio, request["id"])
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    assert ana.latest("quote", quote["id"])["status"] == "pending_approval"


def test_an_administrator_sees_every_team(client, device):
    ana, carla, admin = device(SELLER), device(OTHER_SELLER), device(ADMIN)
    _pending_quote(ana)
    _pending_quote(carla, seller=OTHER_SELLER, customer="C4", number=None)
    items = client.get("/v1/approvals", headers=admin.headers).json()
    assert sorted(i["quote"]["seller_login"] for i in items) == [SELLER, OTHER_SELLER]


def test_an_unknown_request_is_404(client, device):
    marta = device(MANAGER)
    response = _decide(client, marta, "0190a4c4-0000-7000-8000-000000000000")
    assert response.status_code == 404


def test_a_decision_made_while_the_seller_was_offline_wins_over_a_stale_edit(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    assert _decide(client, marta, request["id"], "rejected", "Demasiado descuento").status_code == 200
    # Offline, the seller's device still edits version 1 in place and pushes it later.
    stale = make_quote(lines=[("GUA-NIT-09", "100", "12")], number=quote["number"], quote_id=quote["id"])
    result = ana.push("save_quote", quote=stale)
    assert result["status"] == "rejected" and result["code"] == "invalid_transition"
    assert "rejected by a manager" in result["detail"] and "version 2" in result["detail"]
    assert ana.latest("quote", quote["id"])["status"] == "rejected"
    # The device turns the edit into version 2, which the server accepts.
    revised = make_quote(lines=[("GUA-NIT-09", "100", "10")], number=quote["number"], version=2)
    assert ana.push("save_quote", quote=revised)["status"] == "applied"
    assert ana.latest("quote", revised["id"])["fired_rules"] == []


def test_a_request_whose_quote_was_revised_is_marked_superseded(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending_quote(ana)
    [item] = client.get("/v1/approvals", headers=marta.headers).json()
    assert item["is_superseded"] is False
    revised = make_quote(lines=[("GUA-NIT-09", "100", "10")], number=quote["number"], version=2)
    assert ana.push("save_quote", quote=revised)["status"] == "applied"
    [item] = client.get("/v1/approvals", headers=marta.headers).json()
    assert item["request_id"] == request["id"] and item["is_superseded"] is True
