"""A lead imported from leads.csv reaches its seller's tablet at the next sync and is worked
there like her own; importing the same file again leaves the worked lead as it is (both
backends, the real server in-process)."""

from datetime import UTC, datetime

from client.services.leads import list_leads, move_lead
from client.services.synchronization import sync_now
from shared.models import LeadStatus
from sync_server.importer.leads import import_leads, lead_id
from sync_server.importer.spec import FILES_BY_NAME
from sync_server.repository.database import write_transaction
from tests.importer.conftest import write_csv

ROW = {
    "id": "WF-0142",
    "seller_login": "ana.garcia",
    "name": "Talleres Ruiz",
    "contact": "600 123 456",
    "city": "Braga",
    "channel": "web_form",
    "source": "Spring campaign",
    "notes": "",
    "created_at": "2026-06-02T09:15:00+02:00",
    "customer_code": "",
}


def _import(server, folder) -> int:
    write_csv(folder / "leads.csv", FILES_BY_NAME["leads.csv"].columns(), [ROW])
    with write_transaction(server.app.state.engine) as conn:
        return import_leads(conn, folder).inserted


def test_an_imported_lead_is_worked_on_the_tablet_and_survives_a_reimport(server, ana, tmp_path):
    assert _import(server, tmp_path) == 1
    sync_now(ana)
    [item] = list_leads(ana)
    assert (item.lead.id, item.lead.name, item.lead.status, item.lead.source) == (
        lead_id("WF-0142"), "Talleres Ruiz", "new", "Spring campaign",
    )  # fmt: skip
    assert item.lead.created_at == datetime(2026, 6, 2, 7, 15, tzinfo=UTC)
    move_lead(ana, item.lead.id, "contacted")
    assert sync_now(ana).pushed.rejected == 0
    assert _import(server, tmp_path) == 0  # the same file again
    sync_now(ana)
    [item] = list_leads(ana)
    assert item.lead.status == LeadStatus.CONTACTED and item.lead.first_contact_at is not None
