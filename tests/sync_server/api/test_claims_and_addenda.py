"""Claims moved on by their seller and visit addenda, as the server takes them (SQLite and
PostgreSQL): a claim never goes back nor changes what it is about; an addendum needs its
visit on the server and is the visit's own seller's."""

import uuid
from datetime import UTC, datetime

from shared.models import Role
from tests.sync_server.factories import Device, make_customer, make_user


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "carla.sur")
    make_user(conn, "marta.jefa", role=Role.MANAGER)
    make_customer(conn, "C1", "ana.garcia")


def _claim(**fields):
    return {
        "id": str(uuid.uuid4()),
        "customer_code": "C1",
        "seller_login": "ana.garcia",
        "kind": "return",
        "description": "Three boxes crushed",
        "sku": "P1",
        "quantity": "3",
        **fields,
    }


def test_a_claim_moves_on_and_never_back(client, seed):
    seed(_seed)
    ana = Device(client, "ana.garcia", protocol_version=3)
    claim = _claim()
    assert ana.push("record_claim", claim=claim)["status"] == "applied"
    assert ana.push("record_claim", claim={**claim, "status": "in_progress"})["status"] == "applied"
    silent = ana.push("record_claim", claim={**claim, "status": "resolved"})
    assert silent["status"] == "rejected" and "resolution" in silent["detail"]
    done = {**claim, "status": "resolved", "resolution": "Replaced on 12 Dec"}
    assert ana.push("record_claim", claim=done)["status"] == "applied"
    back = ana.push("record_claim", claim={**done, "status": "open", "resolution": ""})
    assert (back["status"], back["code"]) == ("rejected", "invalid_transition")
    moved = ana.push("record_claim", claim={**done, "sku": "P2"})
    assert moved["status"] == "rejected" and "keeps its sku" in moved["detail"]


def test_an_addendum_is_the_visits_own_sellers_and_needs_the_visit(client, seed):
    seed(_seed)
    ana, carla = Device(client, "ana.garcia", protocol_version=3), Device(client, "carla.sur", protocol_version=3)
    visit = {"id": str(uuid.uuid4()), "customer_code": "C1", "seller_login": "ana.garcia",
             "checked_in_at": datetime.now(UTC).isoformat(), "checked_out_at": datetime.now(UTC).isoformat()}  # fmt: skip
    comment = {"id": str(uuid.uuid4()), "visit_id": visit["id"], "author_login": "ana.garcia", "text": "Wants samples"}
    early = ana.push("add_visit_comment", comment=comment)
    assert early["status"] == "rejected" and "push it first" in early["detail"]
    assert ana.push("record_visit", visit=visit)["status"] == "applied"
    assert ana.push("add_visit_comment", comment=comment)["status"] == "applied"
    assert ana.push("add_visit_comment", comment=comment)["status"] == "applied"  # sent again: nothing changes
    hers = {**comment, "id": str(uuid.uuid4()), "author_login": "carla.sur"}
    assert carla.push("add_visit_comment", comment=hers)["code"] == "out_of_scope"
    forged = {**comment, "id": str(uuid.uuid4())}
    assert carla.push("add_visit_comment", comment=forged)["code"] == "forbidden"  # written as another


def test_the_sellers_manager_comments_on_her_visit_and_the_seller_replies(client, seed):
    def team(conn):
        _seed(conn)
        make_user(conn, "otto.sur", role=Role.MANAGER, team="SUR")

    seed(team)
    ana = Device(client, "ana.garcia", protocol_version=3)
    marta, otto = Device(client, "marta.jefa", protocol_version=3), Device(client, "otto.sur", protocol_version=3)
    now = datetime.now(UTC).isoformat()
    visit = {"id": str(uuid.uuid4()), "customer_code": "C1", "seller_login": "ana.garcia",
             "checked_in_at": now, "checked_out_at": now}  # fmt: skip
    assert ana.push("record_visit", visit=visit)["status"] == "applied"

    said = {"id": str(uuid.uuid4()), "visit_id": visit["id"], "author_login": "marta.jefa", "text": "Call them Friday"}
    assert marta.push("add_visit_comment", comment=said)["status"] == "applied"
    reply = {"id": str(uuid.uuid4()), "visit_id": visit["id"], "author_login": "ana.garcia", "text": "Done"}
    assert ana.push("add_visit_comment", comment=reply)["status"] == "applied"
    other_team = {**said, "id": str(uuid.uuid4()), "author_login": "otto.sur"}
    assert otto.push("add_visit_comment", comment=other_team)["code"] == "out_of_scope"

    # Both lines live with the visit's seller: her device and her manager's pull them.
    for device in (ana, marta):
        assert device.latest("visit_comment", said["id"])["text"] == "Call them Friday"
        assert device.latest("visit_comment", reply["id"])["author_login"] == "ana.garcia"
    assert otto.latest("visit_comment", said["id"]) is None
