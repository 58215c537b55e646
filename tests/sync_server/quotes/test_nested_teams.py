"""Teams nest: a regional director's scope is her region's whole subtree — she pulls, comments
on and decides for the sellers of every team under it — while a team's manager still sees only
her own team (SQLite and PostgreSQL)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.models import Role, Team
from shared.protocol import DIRECTORY_BUCKET
from sync_server.repository.records import put_record
from sync_server.services.approvals import ApprovalFilter, list_approvals
from sync_server.services.auth import Principal
from sync_server.services.policies import save_policy
from tests.sync_server.factories import Device, make_user
from tests.sync_server.quotes.helpers import (
    MANAGER,
    OTHER_CUSTOMER,
    OTHER_MANAGER,
    OTHER_SELLER,
    SELLER,
    approval_args,
    make_quote,
    seed_quoting,
)

DIRECTOR = "elena.region"


def seed_region(conn) -> None:
    """NORTE and SUR under the region IBERIA, whose manager is Elena."""
    seed_quoting(conn)
    make_user(conn, DIRECTOR, role=Role.MANAGER, team="IBERIA")
    put_record(conn, Team(code="IBERIA", name="Región Iberia"), DIRECTORY_BUCKET)
    for code in ("NORTE", "SUR"):
        put_record(conn, Team(code=code, name=f"Equipo {code}", parent_code="IBERIA"), DIRECTORY_BUCKET)


@pytest.fixture
def region(seed) -> None:
    seed(seed_region)


def _pending(device: Device, seller: str, customer: str) -> dict:
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")], seller=seller, customer=customer)
    assert device.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert device.push("request_approval", request=request)["status"] == "applied"
    return request


def _pending_ids(client, who: Device) -> set[str]:
    response = client.get("/v1/approvals", params={"status": "pending"}, headers=who.headers)
    assert response.status_code == 200, response.text
    return {item["request_id"] for item in response.json()}


def _decide(client, who: Device, request_id: str, decision: str = "approved"):
    return client.post(
        f"/v1/approvals/{request_id}/decision", json={"decision": decision, "comment": "Visto"}, headers=who.headers
    )


def test_the_director_sees_and_decides_for_both_teams_sellers(client, region):
    ana, carla = Device(client, SELLER), Device(client, OTHER_SELLER)
    elena, marta = Device(client, DIRECTOR), Device(client, MANAGER)
    north = _pending(ana, SELLER, "C1")
    south = _pending(carla, OTHER_SELLER, OTHER_CUSTOMER)

    assert _pending_ids(client, elena) == {north["id"], south["id"]}
    assert _pending_ids(client, marta) == {north["id"]}

    assert _decide(client, elena, north["id"]).status_code == 200
    assert _decide(client, elena, south["id"], "rejected").status_code == 200
    assert ana.latest("quote", north["quote_id"])["status"] == "approved"
    assert carla.latest("quote", south["quote_id"])["status"] == "rejected"


def test_the_directors_buckets_hold_every_team_below_her(client, region):
    elena, marta = Device(client, DIRECTOR), Device(client, MANAGER)
    customers = {c["id"] for c in elena.pull_all() if c["entity"] == "customer"}
    assert customers == {"C1", OTHER_CUSTOMER}
    assert {c["id"] for c in marta.pull_all() if c["entity"] == "customer"} == {"C1"}


def test_a_team_manager_decides_nothing_outside_her_team(client, region):
    carla, marta = Device(client, OTHER_SELLER), Device(client, MANAGER)
    south = _pending(carla, OTHER_SELLER, OTHER_CUSTOMER)
    refused = _decide(client, marta, south["id"])
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"


def test_the_director_comments_on_a_visit_of_a_team_below_her(client, region):
    carla, elena, sergio = Device(client, OTHER_SELLER), Device(client, DIRECTOR), Device(client, OTHER_MANAGER)
    now = datetime.now(UTC).isoformat()
    visit = {"id": str(uuid.uuid4()), "customer_code": OTHER_CUSTOMER, "seller_login": OTHER_SELLER,
             "checked_in_at": now, "checked_out_at": now}  # fmt: skip
    assert carla.push("record_visit", visit=visit)["status"] == "applied"
    said = {"id": str(uuid.uuid4()), "visit_id": visit["id"], "author_login": DIRECTOR, "text": "Buen trabajo"}
    assert elena.push("add_visit_comment", comment=said)["status"] == "applied"
    assert carla.latest("visit_comment", said["id"])["text"] == "Buen trabajo"
    assert sergio.latest("visit", visit["id"]) is not None
    # A team's manager is not the region's: Marta (NORTE) sees nothing of SUR.
    marta = Device(client, MANAGER)
    assert marta.latest("visit", visit["id"]) is None


def _principal(login: str, team: str) -> Principal:
    return Principal(login=login, role=Role.MANAGER, client_id="test", team_code=team)


def test_a_request_waiting_past_the_policy_escalates_to_the_director(client, region, seed):
    ana = Device(client, SELLER)
    north = _pending(ana, SELLER, "C1")
    later = datetime.now(UTC) + timedelta(hours=25)

    def listed(login: str, team: str, now: datetime):
        return seed(lambda conn: list_approvals(conn, _principal(login, team), ApprovalFilter.PENDING, now))

    [fresh] = listed(DIRECTOR, "IBERIA", datetime.now(UTC))
    assert fresh.escalation is None
    [escalated] = listed(DIRECTOR, "IBERIA", later)
    assert escalated.request_id == uuid.UUID(north["id"]) and escalated.escalation is not None
    assert escalated.escalation.hours_pending == 25 and escalated.escalation.after_hours == 24
    assert escalated.escalation.to_managers == (DIRECTOR,) and escalated.escalation.from_managers == (MANAGER,)
    # Marta still has it, marked the same way, and either of them may decide it.
    [hers] = listed(MANAGER, "NORTE", later)
    assert hers.escalation == escalated.escalation
    seed(lambda conn: save_policy(conn, "approval", {"escalate_after_hours": 48}, datetime.now(UTC)))
    [not_yet] = listed(DIRECTOR, "IBERIA", later)
    assert not_yet.escalation is None
    elena = Device(client, DIRECTOR)
    assert _decide(client, elena, north["id"]).status_code == 200
