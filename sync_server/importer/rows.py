"""One CSV row into its model, or into the reasons it cannot be one.

Cells are text. An empty cell (or one of only spaces) is left out, so the field's default
applies: `None` for an optional field, `''` for an optional text, `true` for
`products.active`; a required field with an empty cell is reported as empty. Booleans,
whole numbers and dates are checked here, before pydantic, because pydantic's lax parsing
accepts forms the format refuses (`yes`, `1e3` for an integer, `20240115` or a Unix time
for a date). Everything else is the shared model's own validation, and each failing field
becomes one reason: `<column>: <what is wrong> (got '<cell>')`.
"""

import re
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from shared.countries import currency_hint
from shared.models.types import LOGIN_PATTERN, Currency
from sync_server.importer.problems import quote
from sync_server.importer.reader import Cells
from sync_server.importer.spec import FileSpec

_WHOLE = re.compile(r"[+-]?[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CURRENCY_CHECK = Currency.__metadata__[-1]  # type: ignore[attr-defined]  # an Annotated alias

# Patterns of shared/models/types.py, said the way a person fixing the export needs them.
_PATTERN_REASONS = {
    r"^[^\s|]+$": "must be a code without spaces or '|'",
    LOGIN_PATTERN: "must be a login of letters a-z and digits, joined by single '.', '_' or '-'",
    r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$": "must be an e-mail address",
    r"^[A-Z]{2}$": "must be a two-letter country code in capitals, such as ES",
}


class CellError(ValueError):
    """A cell that is not in the form its column needs."""


def _to_bool(text: str) -> bool:
    value = text.strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    raise CellError("must be true or false")


def _to_int(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        raise CellError("must be a whole number")
    return int(value)


def _to_date(text: str) -> date:
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise CellError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError("is not a calendar date") from None


def _base_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(args[0]) if len(args) == 1 else object
    return annotation


def _to_login(text: str) -> str:
    # Sign-in forgives "Ana.Garcia "; an export is corrected once, where it is made, instead
    # of the server guessing which spelling is the login.
    if text != text.strip().lower():
        raise CellError(f"must be written as users sign in: lower-case, no spaces ({quote(text.strip().lower())})")
    return text


def _is_login(info: FieldInfo) -> bool:
    return any(getattr(m, "pattern", None) == LOGIN_PATTERN for m in [*info.metadata, *_metadata(info.annotation)])


def _converter(info: FieldInfo) -> Callable[[str], Any] | None:
    if _is_login(info):
        return _to_login
    base = _base_type(info.annotation)
    if base is bool:
        return _to_bool
    if base is int:
        return _to_int
    if base is date:  # not datetime: no reference model has one, pydantic would judge it
        return _to_date
    return None


def _metadata(annotation: Any) -> list[Any]:
    found = list(getattr(annotation, "__metadata__", ()))
    for arg in typing.get_args(annotation):
        found.extend(_metadata(arg))
    return found


def _is_currency(info: FieldInfo) -> bool:
    return any(m is _CURRENCY_CHECK for m in [*info.metadata, *_metadata(info.annotation)])


def _reason(error: ErrorDetails, is_currency: bool) -> str:
    """What is wrong with one field, from one pydantic error."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if is_currency:
        return "must be an ISO 4217 currency code such as EUR"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        if message.startswith(("not a plain decimal number", "not a finite number")):
            return "must be a plain decimal number such as 1234.50"
        return message
    if kind == "string_pattern_mismatch":
        return _PATTERN_REASONS.get(ctx.get("pattern", ""), f"must match the pattern {ctx.get('pattern')}")
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    if kind == "string_too_short":
        return f"must be at least {ctx['min_length']} characters"
    if kind == "enum":
        return f"must be one of {ctx['expected']}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("greater than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx[key]}"
    message = error["msg"]
    return message[:1].lower() + message[1:]


class RowParser:
    """Validates rows of one file into `spec.model`, given the columns its header has."""

    def __init__(self, spec: FileSpec, columns: Sequence[str]) -> None:
        fields = spec.model.model_fields
        present = [c for c in columns if c in fields and c not in spec.excluded_fields]
        self._fields = [(name, _converter(fields[name])) for name in present]
        self._currency = {name for name in present if _is_currency(fields[name])}
        self._position = {name: i for i, name in enumerate(spec.columns())}
        self._validate = spec.model.model_validate

    def parse(self, cells: Cells) -> tuple[Any, list[str]]:
        """(record, []) for a good row, (None, reasons) for a bad one."""
        data: dict[str, Any] = {}
        found: list[tuple[int, str]] = []
        flagged: set[str] = set()
        for name, convert in self._fields:
            text = cells[name]
            if not text or text.isspace():
                continue
            if convert is None:
                data[name] = text
                continue
            try:
                data[name] = convert(text)
            except CellError as exc:
                flagged.add(name)
                found.append((self._position[name], f"{name}: {exc} (got {quote(text)})"))
        try:
            record: BaseModel = self._validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                found.extend(self._explain(error, cells, flagged))
            return None, [reason for _, reason in sorted(found, key=lambda item: item[0])]
        if found:
            return None, [reason for _, reason in sorted(found, key=lambda item: item[0])]
        return record, []

    def _explain(self, error: ErrorDetails, cells: Cells, flagged: set[str]) -> list[tuple[int, str]]:
        loc = error["loc"]
        if not loc:
            # A rule across fields; meaningless while a field it reads was refused above.
            if flagged:
                return []
            return [(len(self._position), self._across(error, cells))]
        name = str(loc[0])
        if name in flagged:
            return []
        position = self._position.get(name, len(self._position))
        if error["type"] == "missing":
            return [(position, f"{name}: must not be empty")]
        reason = _reason(error, name in self._currency)
        if name in self._currency:
            reason += currency_hint(cells.get(name, ""))
        return [(position, f"{name}: {reason} (got {quote(cells.get(name, ''))})")]

    def _across(self, error: ErrorDetails, cells: Cells) -> str:
        """A broken rule across fields, naming its columns and what they hold."""
        reason = _reason(error, False)
        cause = (error.get("ctx") or {}).get("error")
        fields = [f for f in getattr(cause, "fields", ()) if f in self._position]
        if not fields:  # a plain ValueError: the columns its message names
            words = set(re.findall(r"[a-z_]+", reason))
            fields = [name for name in self._position if name in words]
        if not fields:
            return reason
        if len(fields) == 1:  # a rule on one cell after all: said like one
            name = fields[0]
            return f"{name}: {reason.removeprefix(name + ' ')} (got {quote(cells.get(name, '').strip())})"
        found = ", ".join(f"{name} {quote(cells.get(name, '').strip())}" for name in fields)
        return f"{', '.join(fields)}: {reason} (got {found})"


__all__ = ["CellError", "RowParser"]
