"""The seller's leads on the device: noted, moved on, discarded with a reason, converted into
an opportunity in one transaction — and the real server takes every step (both backends)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from client.services.leads import convert_lead, get_lead, lead_counts, list_leads, move_lead, new_lead
from client.services.opportunities import list_opportunities
from client.services.synchronization import sync_now
from client.store import apply_pull_page
from shared.errors import InvalidTransition, NotFound, ValidationFailed
from shared.models import LeadStatus
from shared.rules.leads import time_to_first_contact
from sync_server.repository.tables import ENTITY_TABLES
from tests.client.factories import make_customer, page, seq_changes, table_rows

NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
def session(seller_session):
    return seller_session


def _load(session, records):
    apply_pull_page(session.store, page(seq_changes(records)))


def _outbox(session) -> list[str]:
    with session.store.read() as db:
        return [r[0] for r in db.execute("SELECT name FROM outbox ORDER BY mutation_id")]


def test_a_lead_is_noted_contacted_and_discarded_with_a_reason(session):
    lead = new_lead(session, " Talleres Ruiz ", "phone", contact="600 123 456", source="Spring fair", now=NOW)
    assert (lead.name, lead.status, lead.seller_login, lead.first_contact_at) == (
        "Talleres Ruiz", "new", "ana.garcia", None,
    )  # fmt: skip
    contacted = move_lead(session, lead.id, "contacted", now=NOW + timedelta(hours=5))
    assert time_to_first_contact(contacted.created_at, contacted.first_contact_at) == timedelta(hours=5)
    qualified = move_lead(session, lead.id, "qualified", now=NOW + timedelta(days=2))
    assert qualified.first_contact_at == NOW + timedelta(hours=5)  # the first contact stays
    with pytest.raises(ValidationFailed) as silent:
        move_lead(session, lead.id, "discarded", discard_reason="  ")
    assert silent.value.key == "problem.lead.discard_needs_reason"
    discarded = move_lead(session, lead.id, "discarded", discard_reason=" No budget this year ")
    assert (discarded.status, discarded.discard_reason) == ("discarded", "No budget this year")
    with pytest.raises(InvalidTransition):
        move_lead(session, lead.id, "contacted")
    assert get_lead(session, lead.id) == discarded
    assert len(_outbox(session)) == 4  # every kept step is one mutation


def test_the_list_is_by_status_and_counts_every_status(session):
    first = new_lead(session, "Ferretería Sol", "web_form", now=NOW)
    second = new_lead(session, "Obras Norte", "referral", source="Luis Pérez", now=NOW + timedelta(minutes=1))
    move_lead(session, first.id, "contacted", now=NOW + timedelta(hours=1))
    assert [i.lead.name for i in list_leads(session)] == ["Obras Norte", "Ferretería Sol"]
    assert [i.lead.id for i in list_leads(session, status=LeadStatus.CONTACTED)] == [first.id]
    counts = lead_counts(session)
    assert (counts[LeadStatus.NEW], counts[LeadStatus.CONTACTED], counts[LeadStatus.CONVERTED]) == (1, 1, 0)
    assert second.channel == "referral"


def test_a_lead_needs_a_name_and_moves_only_as_the_rule_says(session):
    with pytest.raises(ValidationFailed) as nameless:
        new_lead(session, "  ", "email")
    assert nameless.value.key == "problem.lead.no_name"
    lead = new_lead(session, "Hierros Lema", "email", now=NOW)
    with pytest.raises(InvalidTransition):
        move_lead(session, lead.id, "qualified")  # contacted first
    move_lead(session, lead.id, "contacted")
    with pytest.raises(ValidationFailed) as direct:
        move_lead(session, lead.id, "converted")
    assert direct.value.key == "problem.lead.convert_needs_opportunity"


def test_converting_makes_the_opportunity_and_marks_the_lead_in_one_transaction(session):
    _load(session, [make_customer("C1", currency="EUR")])
    lead = new_lead(session, "Suministros Peñalara", "visit", now=NOW)
    with pytest.raises(InvalidTransition):
        convert_lead(session, lead.id, "C1", "Anchors 2027", Decimal(900))  # still new: nothing kept
    assert list_opportunities(session) == [] and len(_outbox(session)) == 1
    move_lead(session, lead.id, "contacted", now=NOW)
    with pytest.raises(NotFound):
        convert_lead(session, lead.id, "C9", "Anchors 2027", Decimal(900))  # not her customer
    converted, opportunity = convert_lead(session, lead.id, "C1", "Anchors 2027", Decimal(900))
    assert (converted.status, converted.opportunity_id, converted.customer_code) == ("converted", opportunity.id, "C1")
    assert [i.opportunity.title for i in list_opportunities(session)] == ["Anchors 2027"]
    [item] = list_leads(session, status=LeadStatus.CONVERTED)
    assert item.customer_name == "Suministros Peñalara C1 S.L."
    names = _outbox(session)
    assert names[-2:] == ["save_opportunity", "save_lead"]  # the server needs the opportunity first


def _server_leads(server) -> dict:
    with server.app.state.engine.connect() as conn:
        return {str(r.id): r for r in conn.execute(sa.select(ENTITY_TABLES["lead"]))}


def test_the_server_takes_a_lead_from_new_to_converted(server, ana):
    lead = new_lead(ana, "Talleres Ruiz", "fair", source="Feria Bilbao")
    move_lead(ana, lead.id, "contacted")
    assert sync_now(ana).pushed.rejected == 0
    assert _server_leads(server)[str(lead.id)].status == "contacted"
    _, opportunity = convert_lead(ana, lead.id, "C1", "Anchors 2027", Decimal(900))
    assert sync_now(ana).pushed.rejected == 0
    stored = _server_leads(server)[str(lead.id)]
    assert (stored.status, str(stored.opportunity_id), stored.customer_code) == ("converted", str(opportunity.id), "C1")
    assert stored.first_contact_at is not None
    [local] = table_rows(ana.store, "leads")
    assert local["_version"] >= 1 and local["status"] == "converted"  # pulled back
