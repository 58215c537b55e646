"""An administrator's change of a user or team, written and remembered as hers.

The record is written (synced to devices as before) and each field she changed is noted with
the ERP's value it replaced, so the next ERP import keeps her value while the ERP still sends
that same value (docs/import-format.md, "Administrator's changes"). A record she created is
marked as hers whole: an import whose file does not list it keeps it.
"""

import json
from datetime import UTC, datetime
from typing import Any

from shared.models import Record
from shared.protocol import DIRECTORY_BUCKET
from sync_server.repository import admin_edits
from sync_server.repository.database import Connection
from sync_server.repository.records import put_record


def erp_json(value: Any) -> str:
    """A field's value as `admin_edits.erp_value` holds it (and the import compares it)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def put_edited(conn: Connection, before: Record | None, after: Record, by: str | None) -> None:
    """Write `after` (a user or team) and note what the administrator changed from `before`
    (None: she created it)."""
    put_record(conn, after, DIRECTORY_BUCKET)
    entity, record_id, now = after.ENTITY, after.record_id(), datetime.now(UTC)
    edits = admin_edits.edits_of_record(conn, entity, record_id)
    if before is None:
        admin_edits.forget_edits(conn, entity, [(record_id, None)])
        admin_edits.add_edit(conn, entity, record_id, admin_edits.CREATED, None, now, by)
        return
    if admin_edits.CREATED in edits:
        return  # hers whole already
    old, new = before.to_data(), after.to_data()
    for field, value in new.items():
        if old.get(field) == value:
            continue
        if field not in edits:
            # No edit yet: the stored value is the ERP's (or the default of a record it sent).
            admin_edits.add_edit(conn, entity, record_id, field, erp_json(old.get(field)), now, by)
        elif edits[field] == erp_json(value):
            # Back to the ERP's own value: the field is the ERP's again.
            admin_edits.forget_edits(conn, entity, [(record_id, field)])
        else:
            admin_edits.touch_edit(conn, entity, record_id, field, now, by)


__all__ = ["erp_json", "put_edited"]
