"""leads.csv: leads from web forms and campaigns, made leads of their seller's tablet.

Each row becomes a `Lead` in its seller's activity bucket, under an id derived from the
row's own `id` (uuid5), so the same row imported again is the same lead. A lead already on
the server is left as it is: the seller may have contacted, qualified, converted or
discarded it, and a file sent again must neither reset nor duplicate it. So leads.csv only
ever adds; to take a lead back, the seller discards it.
"""

import uuid
from collections.abc import Iterator

from shared.models.field import Lead
from shared.protocol import activity_bucket
from sync_server.importer.problems import Problems
from sync_server.importer.reader import CsvFile
from sync_server.importer.rows import RowParser
from sync_server.importer.spec import FILES_BY_NAME, LeadRow
from sync_server.repository.database import Connection
from sync_server.repository.records import SyncSummary, live_version, put_record

LEADS_FILE = "leads.csv"
LEAD_NAMESPACE = uuid.UUID("0191f7a2-5e1d-7c3a-9b7e-6c65ad5e0001")
"""uuid5 namespace of imported leads' ids (never change it: ids already on tablets derive from it)."""


def lead_id(external_id: str) -> uuid.UUID:
    """The lead's id in Terreno for a leads.csv `id`: the same every time it is imported."""
    return uuid.uuid5(LEAD_NAMESPACE, external_id)


def as_lead(row: LeadRow) -> Lead:
    """The new lead a leads.csv row makes."""
    return Lead(
        id=lead_id(row.id),
        seller_login=row.seller_login,
        name=row.name,
        contact=row.contact,
        city=row.city,
        channel=row.channel,
        source=row.source,
        notes=row.notes,
        customer_code=row.customer_code,
        created_at=row.created_at,
    )


def _rows(export_dir) -> Iterator[LeadRow]:
    spec = FILES_BY_NAME[LEADS_FILE]
    problems = Problems()
    source = CsvFile(export_dir, spec, problems)
    parser: RowParser | None = None
    for _line, cells in source.rows():
        parser = parser or RowParser(spec, source.columns)
        row, _reasons = parser.parse(cells)
        if row is not None:  # checked in the first pass; a file changed since is caught by its stamp
            yield row


def import_leads(conn: Connection, export_dir) -> SyncSummary:
    """Add the leads of leads.csv that are not on the server yet; leave the others as they are."""
    inserted = unchanged = 0
    for row in _rows(export_dir):
        lead = as_lead(row)
        if live_version(conn, Lead.ENTITY, lead.record_id()) is not None:
            unchanged += 1
            continue
        put_record(conn, lead, activity_bucket(lead.seller_login))
        inserted += 1
    return SyncSummary(entity=Lead.ENTITY, inserted=inserted, updated=0, deleted=0, unchanged=unchanged)


__all__ = ["LEADS_FILE", "LEAD_NAMESPACE", "as_lead", "import_leads", "lead_id"]
