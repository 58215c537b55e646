"""Base class of every synced record: strict config, entity name and record id."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class RuleAcrossFields(ValueError):
    """A record breaks a rule that reads several of its fields; `fields` names them, so a
    message can point at the columns to fix (the importer's)."""

    def __init__(self, message: str, *fields: str) -> None:
        super().__init__(message)
        self.fields = fields


class Record(BaseModel):
    """A row the server keeps and devices may receive.

    `ENTITY` is the stable name used in the change log and on devices; `KEY` names the
    fields whose values, joined with '|', form the record id (codes never contain '|').
    """

    # NaN and infinities are no value: no JSON reader could take them back (allow_inf_nan).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=True, allow_inf_nan=False
    )

    ENTITY: ClassVar[str] = ""
    KEY: ClassVar[tuple[str, ...]] = ()

    def record_id(self) -> str:
        """The record's id in the change log: key field values joined with '|'."""
        return "|".join([str(getattr(self, f)) for f in self.KEY])  # a list: join's fast path

    def to_data(self) -> dict[str, Any]:
        """JSON-safe dict (Decimals and dates as strings) as stored in the change log."""
        return self.model_dump(mode="json")


__all__ = ["Record", "RuleAcrossFields"]
