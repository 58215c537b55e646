"""What a delta import asks of the stored reference data (the importer runs no SQL itself).

A delta carries only what changed, so its references, owners and deletions are checked
against the records the server holds: their ids, a column of their typed rows by key
(a customer's seller, an invoice's customer), the records that refer to one about to be
deleted, and the records of customers that moved to another seller.
"""

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from shared.models import MODELS_BY_ENTITY, Record
from sync_server.repository.records import latest_puts
from sync_server.repository.tables import ENTITY_TABLES, records
from sync_server.repository.types import ExactDecimal

_CHUNK = 2000


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def stored_ids(conn: Connection, entity: str) -> set[str]:
    """The ids of every live record of `entity`."""
    return set(conn.execute(select(records.c.entity_id).where(records.c.entity == entity)).scalars())


def stored_column(conn: Connection, entity: str, column: str, **equal: str) -> dict[str, Any]:
    """`column` of every stored `entity` row, by the row's first key column (rows whose
    other columns equal `equal` only): a customer's seller, an invoice's customer."""
    table = ENTITY_TABLES[entity]
    key = list(table.primary_key.columns)[0]
    query = select(key, table.c[column]).where(*(table.c[name] == value for name, value in equal.items()))
    return {row[0]: row[1] for row in conn.execute(query)}


def _normal(value: Any) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _normal_id(record_id: str, decimals: list[bool]) -> str:
    parts = record_id.split("|")
    return "|".join(_normal(Decimal(p)) if d else p for p, d in zip(parts, decimals, strict=True))


def ids_referring(conn: Connection, entity: str, column: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """(value, record id) of the stored `entity` rows whose `column` is one of `values`."""
    table = ENTITY_TABLES[entity]
    keys = list(table.primary_key.columns)
    rows: list[tuple[str, tuple[Any, ...]]] = []
    for chunk in _chunks(values):
        rows.extend(
            (row[0], tuple(row[1:]))
            for row in conn.execute(select(table.c[column], *keys).where(table.c[column].in_(chunk)))
        )
    decimals = [isinstance(c.type, ExactDecimal) for c in keys]
    if not any(decimals):
        return [(value, "|".join(str(v) for v in key)) for value, key in rows]
    # A decimal part of an id is written as the export wrote it ('1.000'); the typed row holds
    # the number (PostgreSQL pads it): match on the number.
    if not rows:
        return []
    ids = {_normal_id(rid, decimals): rid for rid in stored_ids(conn, entity)}
    return [(value, ids["|".join(_normal(v) for v in key)]) for value, key in rows]


def stored_records_of(conn: Connection, entity: str, column: str, values: Iterable[str]) -> list[Record]:
    """The stored `entity` records whose `column` is one of `values`, exactly as last written
    (their latest put in the change log, as `records.stored_records` reads them)."""
    model = MODELS_BY_ENTITY[entity]
    ids = [record_id for _, record_id in ids_referring(conn, entity, column, values)]
    found: list[Record] = []
    for chunk in _chunks(ids):
        query = latest_puts().where(records.c.entity == entity, records.c.entity_id.in_(chunk))
        found.extend(model.model_validate(json.loads(data)) for data in conn.execute(query).scalars())
    return found


__all__ = ["ids_referring", "stored_column", "stored_ids", "stored_records_of"]
