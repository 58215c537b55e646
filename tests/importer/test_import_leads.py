"""leads.csv: an optional file that only adds leads, to their seller's activity bucket; a lead
already on the server (maybe worked by its seller) is never reset or duplicated."""

import json

import pytest
import sqlalchemy as sa

from shared.errors import ImportFailed
from shared.models.field import Lead
from sync_server.importer.leads import lead_id
from sync_server.importer.run import import_export
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import changes, records
from tests.importer.conftest import write_csv, write_export


def _leads(engine) -> dict[str, tuple[str, dict]]:
    """Stored leads: id → (bucket, latest data)."""
    with engine.connect() as conn:
        buckets = {
            r.entity_id: r.bucket
            for r in conn.execute(sa.select(records.c.entity_id, records.c.bucket).where(records.c.entity == "lead"))
        }
        data = {
            r.entity_id: json.loads(r.data)
            for r in conn.execute(
                sa.select(changes.c.entity_id, changes.c.data).where(changes.c.entity == "lead").order_by(changes.c.seq)
            )
        }
    return {i: (buckets[i], data[i]) for i in buckets}


def test_leads_reach_their_sellers_bucket(engine, export_dir, rows):
    import_export(engine, write_export(export_dir, rows))
    stored = _leads(engine)
    ruiz, nunez = str(lead_id("WF-0142")), str(lead_id("WF-0143"))
    assert set(stored) == {ruiz, nunez}
    bucket, data = stored[ruiz]
    assert bucket == "activity:ana.garcia"
    assert (data["name"], data["channel"], data["status"], data["city"]) == (
        "Talleres Ruiz",
        "web_form",
        "new",
        "Braga",
    )
    assert data["created_at"] == "2025-06-02T07:15:00Z"
    assert stored[nunez][1]["customer_code"] == "C-001"


def test_reimporting_neither_duplicates_nor_resets_a_worked_lead(engine, export_dir, rows):
    import_export(engine, write_export(export_dir, rows))
    ruiz = str(lead_id("WF-0142"))
    worked = Lead.model_validate({**_leads(engine)[ruiz][1], "status": "discarded", "discard_reason": "No budget"})
    with write_transaction(engine) as conn:  # the seller's push, as the server stores it
        put_record(conn, worked, "activity:ana.garcia")
    rows["leads.csv"].append(
        {"id": "WF-0144", "seller_login": "luis.pena", "name": "Obras Norte", "channel": "fair",
         "created_at": "2025-06-03T10:00:00Z"}
    )  # fmt: skip
    report = import_export(engine, write_export(export_dir, rows))
    assert (report.entities["lead"].inserted, report.entities["lead"].unchanged) == (1, 2)
    stored = _leads(engine)
    assert len(stored) == 3
    assert (stored[ruiz][1]["status"], stored[ruiz][1]["discard_reason"]) == ("discarded", "No budget")
    assert stored[str(lead_id("WF-0144"))][0] == "activity:luis.pena"
    # Left out, or sent with no rows: nothing changes.
    (export_dir / "leads.csv").unlink()
    assert "lead" not in import_export(engine, export_dir).entities
    write_csv(export_dir / "leads.csv", list(rows["leads.csv"][0]), [])
    import_export(engine, export_dir)
    assert len(_leads(engine)) == 3


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"channel": "carrier_pigeon"},
            "leads.csv:2: channel: must be one of 'visit', 'phone', 'email', 'web_form', 'whatsapp', 'referral' or 'fair' (got 'carrier_pigeon')",
        ),
        ({"seller_login": "nadie"}, "leads.csv:2: seller_login: no user 'nadie' in users.csv"),
        ({"customer_code": "C-999"}, "leads.csv:2: customer_code: no customer 'C-999' in customers.csv"),
        ({"name": ""}, "leads.csv:2: name: "),
        ({"created_at": "yesterday"}, "leads.csv:2: created_at: "),
        ({"id": "WF-0143"}, "leads.csv:3: id: duplicate 'WF-0143' (first on line 2)"),
    ],
    ids=["bad-channel", "unknown-seller", "unknown-customer", "no-name", "bad-time", "duplicate-id"],
)
def test_a_bad_lead_row_is_refused_naming_file_line_and_column(engine, export_dir, rows, cells, expected):
    rows["leads.csv"][0].update(cells)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, write_export(export_dir, rows))
    assert len(failed.value.errors) == 1, failed.value.errors
    assert failed.value.errors[0].startswith(expected), failed.value.errors
    assert _leads(engine) == {}


def test_a_lead_for_a_manager_is_refused(engine, export_dir, rows):
    manager = next(u["login"] for u in rows["users.csv"] if u["role"] == "manager")
    rows["leads.csv"][1]["seller_login"] = manager
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, write_export(export_dir, rows))
    assert failed.value.errors == [f"leads.csv:3: seller_login: '{manager}' is a manager, not a seller"]
