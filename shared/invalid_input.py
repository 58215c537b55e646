"""A pydantic validation failure as a ValidationFailed the seller can read.

A form's values are checked by the records' models (lengths, ranges, numbers); pydantic says
what is wrong in English. This names the first problem by a message key with the field and
its limit, so the app says it in the seller's language and marks the field.
"""

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from shared.errors import ValidationFailed
from shared.messages import label, number

_KEYS = {
    "string_too_long": ("problem.field.too_long", "max_length"),
    "too_long": ("problem.field.too_long", "max_length"),
    "string_too_short": ("problem.field.too_short", "min_length"),
    "too_short": ("problem.field.too_short", "min_length"),
    "greater_than_equal": ("problem.field.too_small", "ge"),
    "greater_than": ("problem.field.too_small", "gt"),
    "less_than_equal": ("problem.field.too_big", "le"),
    "less_than": ("problem.field.too_big", "lt"),
    "missing": ("problem.field.required", None),
    "decimal_parsing": ("problem.field.not_a_number", None),
    "decimal_type": ("problem.field.not_a_number", None),
    "float_parsing": ("problem.field.not_a_number", None),
    "int_parsing": ("problem.field.not_a_number", None),
    "date_from_datetime_parsing": ("problem.field.not_a_date", None),
    "date_parsing": ("problem.field.not_a_date", None),
}


def problem_lines(errors: Iterable[Mapping[str, Any]], *, where: str = "", skip: Collection[str] = ()) -> list[str]:
    """Each of pydantic's errors as 'path.to.field: message' (`where` for one without a path;
    `skip` drops path parts such as FastAPI's 'body')."""
    lines = []
    for error in errors:
        path = ".".join(str(part) for part in error["loc"] if part not in skip) or where
        lines.append(f"{path}: {error['msg']}" if path else str(error["msg"]))
    return lines


def invalid_input(exc: ValidationError) -> ValidationFailed:
    """The first problem of `exc`, with the field in `extra["field"]` for the form to mark."""
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]) or None
    key, limit_name = _KEYS.get(error["type"], ("problem.field.invalid", None))
    params: dict[str, Any] = {"field": label("Field", (field or "?").split(".")[-1])}
    if limit_name is not None:
        params["limit"] = number((error.get("ctx") or {}).get(limit_name, "?"))
    detail = f"{field}: {error['msg']}" if field else error["msg"]
    return ValidationFailed(detail, key=key, params=params, field=field)


__all__ = ["invalid_input", "problem_lines"]
