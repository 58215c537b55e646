"""Which table holds which synced entity, and how a stored row turns back into a model.

Rows keep each field as the change log sends it: Decimals and dates as TEXT exactly as in
`data`, bools as INTEGER 0/1, tuples and nested models as JSON TEXT. Reading a row back
therefore only has to undo the last two before pydantic validates it.
"""

import functools
import json
import types
import typing
from enum import Enum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from shared.models import Record
from shared.models.tables import ENTITY_TABLES, FIELD_TABLES, REFERENCE_TABLES

ID_COLUMN = "id"
VERSION_COLUMN = "_version"
BUCKET_COLUMN = "_bucket"
"""The bucket the server last sent the row in (NULL: recorded here only); see bucket_totals.py."""

FieldKind = Literal["integer", "bool", "json", "text"]
R = TypeVar("R", bound=Record)


def _base_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(args[0]) if len(args) == 1 else object
    return annotation


def field_kind(annotation: Any) -> FieldKind:
    """How a model field is stored: INTEGER, bool as INTEGER, JSON TEXT, or plain TEXT."""
    base = _base_type(annotation)
    if typing.get_origin(base) in (tuple, list, dict):
        return "json"
    if isinstance(base, type):
        if issubclass(base, bool):
            return "bool"
        if issubclass(base, int) and not issubclass(base, Enum):
            return "integer"
        if issubclass(base, BaseModel):
            return "json"
        return "text"
    return "json"


def sql_type(kind: FieldKind) -> str:
    """The declared SQLite column type of a field kind."""
    return "INTEGER" if kind in ("integer", "bool") else "TEXT"


_NESTED = (dict, list)


def stored_value(value: Any) -> Any:
    """A JSON-safe field value as its column holds it: nested values as canonical JSON text."""
    # Strings (Decimals, dates), ints, bools and NULL bind as they are.
    if type(value) in _NESTED:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return value


@functools.cache
def _field_kinds(model: type[Record]) -> tuple[tuple[str, FieldKind], ...]:
    # Worked out once per model: reading thousands of rows must not re-inspect annotations.
    return tuple((name, field_kind(info.annotation)) for name, info in model.model_fields.items())


def record_from_row(model: type[R], row: dict[str, Any]) -> R:
    """Rebuild a validated model from its stored row (bools and JSON decoded)."""
    data: dict[str, Any] = {}
    for name, kind in _field_kinds(model):
        if name not in row:
            continue
        value = row[name]
        if value is None:
            continue  # NULL means "not sent": the model's default applies
        if kind == "bool":
            value = bool(value)
        elif kind == "json":
            value = json.loads(value)
        data[name] = value
    return model.model_validate(data)


__all__ = [
    "BUCKET_COLUMN",
    "ENTITY_TABLES",
    "FIELD_TABLES",
    "ID_COLUMN",
    "REFERENCE_TABLES",
    "VERSION_COLUMN",
    "field_kind",
    "record_from_row",
    "sql_type",
    "stored_value",
]
