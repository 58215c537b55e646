"""Which user and team fields an administrator set (SQL only here; the rule is in
`importer/admin_edits.py`, the bookkeeping in `services/admin_edits.py`)."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, and_, delete, insert, select, update

from sync_server.repository.tables import admin_edits

CREATED = "*"
"""The `field` of the row that marks a record an administrator created."""


def edits_of_entity(conn: Connection, entity: str) -> dict[str, dict[str, str | None]]:
    """Per record id of `entity`: field → the ERP's value it replaced (canonical JSON)."""
    found: dict[str, dict[str, str | None]] = {}
    query = select(admin_edits.c.record_id, admin_edits.c.field, admin_edits.c.erp_value).where(
        admin_edits.c.entity == entity
    )
    for row in conn.execute(query):
        found.setdefault(row.record_id, {})[row.field] = row.erp_value
    return found


def edited_fields(conn: Connection, entity: str) -> dict[str, list[str]]:
    """Per record id of `entity`: the fields an administrator set ('created' for a record she
    created), sorted, as her screens list them."""
    return {
        record_id: sorted("created" if f == CREATED else f for f in fields)
        for record_id, fields in edits_of_entity(conn, entity).items()
    }


def edits_of_record(conn: Connection, entity: str, record_id: str) -> dict[str, str | None]:
    """One record's edited fields → the ERP's value each replaced."""
    query = select(admin_edits.c.field, admin_edits.c.erp_value).where(
        admin_edits.c.entity == entity, admin_edits.c.record_id == record_id
    )
    return {row.field: row.erp_value for row in conn.execute(query)}


def add_edit(
    conn: Connection, entity: str, record_id: str, field: str, erp_value: str | None, at: datetime, by: str | None
) -> None:
    """Note a field an administrator set for the first time since the ERP's value."""
    conn.execute(
        insert(admin_edits).values(
            entity=entity, record_id=record_id, field=field, erp_value=erp_value, edited_at=at, edited_by=by
        )
    )


def touch_edit(conn: Connection, entity: str, record_id: str, field: str, at: datetime, by: str | None) -> None:
    """Note a new administrator's change of a field already hers (the ERP's value stays)."""
    conn.execute(
        update(admin_edits)
        .where(admin_edits.c.entity == entity, admin_edits.c.record_id == record_id, admin_edits.c.field == field)
        .values(edited_at=at, edited_by=by)
    )


def forget_edits(conn: Connection, entity: str, pairs: Iterable[tuple[str, str | None]]) -> None:
    """Drop (record id, field) edits; a field of None drops every edit of the record."""
    for record_id, field in pairs:
        where = and_(admin_edits.c.entity == entity, admin_edits.c.record_id == record_id)
        if field is not None:
            where = and_(where, admin_edits.c.field == field)
        conn.execute(delete(admin_edits).where(where))


__all__ = ["CREATED", "add_edit", "edited_fields", "edits_of_entity", "edits_of_record", "forget_edits", "touch_edit"]
