"""The retention policy: how long the server keeps what devices or people may still need.

`deletes_days`: a delete stays in the change log this long, so a device offline for fewer days
still hears of it (`terreno-server compact` drops older ones; a device offline longer does a
replacement sync). `audit_days`: audit events are kept at least this long.
"""

from pydantic import BaseModel, ConfigDict, Field


class RetentionPolicy(BaseModel):
    """How long deletes and audit events are kept (the server's `retention` policy)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    deletes_days: int = Field(default=90, ge=7, le=3650)
    audit_days: int = Field(default=365, ge=30, le=3650)


__all__ = ["RetentionPolicy"]
