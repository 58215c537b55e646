"""Leads as the server takes them (SQLite and PostgreSQL): owned by their seller, moved on
only as shared.rules.leads allows against the stored copy, converted only into the seller's
own opportunity already on the server."""

import uuid
from datetime import UTC, datetime, timedelta

from shared.models import Role
from tests.sync_server.factories import Device, make_customer, make_user

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "carla.sur")
    make_user(conn, "marta.jefa", role=Role.MANAGER)
    make_customer(conn, "C1", "ana.garcia")
    make_customer(conn, "C2", "carla.sur")


def _leads(device: Device) -> list[dict]:
    """The device's pulled lead changes, from cursor 0."""
    return [c for c in device.pull_all() if c["entity"] == "lead"]


def _lead(**fields):
    return {
        "id": str(uuid.uuid4()),
        "seller_login": "ana.garcia",
        "name": "Talleres Ruiz",
        "channel": "phone",
        "source": "Spring fair",
        "created_at": T0.isoformat(),
        **fields,
    }


def _opportunity(customer="C1", seller="ana.garcia"):
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "title": "Anchors 2027",
        "currency": "EUR",
        "value": "900",
        "probability_percent": "10",
    }


def test_a_lead_moves_on_converts_and_never_goes_back(client, seed):
    seed(_seed)
    ana = Device(client, "ana.garcia", protocol_version=3)
    lead = _lead()
    assert ana.push("save_lead", lead=lead)["status"] == "applied"
    skipped = ana.push("save_lead", lead={**lead, "status": "qualified"})
    assert (skipped["status"], skipped["code"], skipped["key"]) == (
        "rejected",
        "invalid_transition",
        "problem.lead.transition",
    )
    contacted = {**lead, "status": "contacted", "first_contact_at": (T0 + timedelta(hours=3)).isoformat()}
    assert ana.push("save_lead", lead=contacted)["status"] == "applied"
    opportunity = _opportunity()
    converted = {**contacted, "status": "converted", "opportunity_id": opportunity["id"], "customer_code": "C1"}
    early = ana.push("save_lead", lead=converted)
    assert (early["status"], early["key"]) == ("rejected", "problem.lead.opportunity_not_on_server")
    assert ana.push("save_opportunity", opportunity=opportunity, base_version=None, base={})["status"] == "applied"
    assert ana.push("save_lead", lead=converted)["status"] == "applied"
    assert ana.push("save_lead", lead=converted)["status"] == "applied"  # sent again: nothing changes
    back = ana.push("save_lead", lead={**converted, "status": "contacted"})
    assert (back["status"], back["code"]) == ("rejected", "invalid_transition")
    [change] = [c for c in _leads(ana) if c["id"] == lead["id"]][-1:]
    assert change["data"]["status"] == "converted" and change["bucket"] == "activity:ana.garcia"


def test_first_contact_and_creation_keep_the_servers_first_values(client, seed):
    seed(_seed)
    ana = Device(client, "ana.garcia", protocol_version=3)
    lead = _lead()
    first = (T0 + timedelta(hours=3)).isoformat()
    assert ana.push("save_lead", lead={**lead, "status": "contacted", "first_contact_at": first})["status"] == "applied"
    later = {**lead, "status": "qualified", "created_at": (T0 + timedelta(days=1)).isoformat(),
             "first_contact_at": (T0 + timedelta(days=2)).isoformat()}  # fmt: skip
    assert ana.push("save_lead", lead=later)["status"] == "applied"
    [change] = [c for c in _leads(ana) if c["id"] == lead["id"]][-1:]
    assert change["data"]["status"] == "qualified"
    assert datetime.fromisoformat(change["data"]["created_at"]) == T0
    assert datetime.fromisoformat(change["data"]["first_contact_at"]) == T0 + timedelta(hours=3)


def test_a_discard_needs_a_reason(client, seed):
    seed(_seed)
    ana = Device(client, "ana.garcia", protocol_version=3)
    lead = _lead()
    assert ana.push("save_lead", lead=lead)["status"] == "applied"
    silent = ana.push("save_lead", lead={**lead, "status": "discarded"})
    assert (silent["status"], silent["code"]) == ("rejected", "validation_failed")
    reasoned = {**lead, "status": "discarded", "discard_reason": "Duplicate"}
    assert ana.push("save_lead", lead=reasoned)["status"] == "applied"


def test_a_lead_is_its_sellers_own(client, seed):
    seed(_seed)
    ana, carla = Device(client, "ana.garcia", protocol_version=3), Device(client, "carla.sur", protocol_version=3)
    forged = carla.push("save_lead", lead=_lead())
    assert (forged["status"], forged["code"]) == ("rejected", "forbidden")
    lead = _lead()
    assert ana.push("save_lead", lead=lead)["status"] == "applied"
    taken = carla.push("save_lead", lead={**lead, "seller_login": "carla.sur"})
    assert (taken["status"], taken["code"]) == ("rejected", "out_of_scope")
    others = ana.push("save_lead", lead=_lead(customer_code="C2"))
    assert (others["status"], others["code"]) == ("rejected", "out_of_scope")
    carlas = _opportunity("C2", "carla.sur")
    assert carla.push("save_opportunity", opportunity=carlas, base_version=None, base={})["status"] == "applied"
    contacted = {**lead, "status": "contacted"}
    assert ana.push("save_lead", lead=contacted)["status"] == "applied"
    stolen = ana.push("save_lead", lead={**contacted, "status": "converted", "opportunity_id": carlas["id"]})
    assert (stolen["status"], stolen["code"]) == ("rejected", "out_of_scope")
    assert _leads(carla) == []  # another seller's leads are not in her buckets
