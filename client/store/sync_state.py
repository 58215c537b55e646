"""The `sync_state` key/value table: device identity, token and pull position.

Stored as text, one row per key, so a later issue can add a key without a migration.
Read and written with a `Database` from `Store.read()`/`Store.write()`, so the cursor can be
saved in the same transaction as the page it belongs to.
"""

import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class SyncState:
    """Everything the device remembers about its user, token and sync position."""

    client_id: UUID | None = None
    login: str | None = None
    name: str | None = None
    role: str | None = None
    team_code: str | None = None
    home_warehouse: str | None = None
    device_number: int = 1
    """This device's number among the user's devices (server-assigned)."""
    quote_prefix: str | None = None
    """Starts this device's quote numbers (server-assigned, unique across devices)."""
    token: str | None = None
    token_expires_at: datetime | None = None
    cursor: int = 0
    epoch: str | None = None
    floor: int | None = None
    """The server's floor with the last page applied (protocol 3): sent back with each pull,
    it lets a first sync page on past a compaction that left it whole."""
    last_mutation_id: int = 0
    last_success_at: datetime | None = None
    pin_failures: int = 0
    """Wrong app-lock PINs in a row (kept here, so restarting the app does not reset it)."""
    ignored_entities: frozenset[str] = field(default_factory=frozenset)
    """Entities a pull brought that this app version has no table for (see store.changes)."""

    def has_valid_token(self, now: datetime) -> bool:
        """Whether a token is stored and has not expired at `now` (UTC-aware)."""
        return bool(self.token) and self.token_expires_at is not None and self.token_expires_at > now


_FIELDS = {f.name: f for f in fields(SyncState)}


def _encode(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("sync_state times must be UTC-aware")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, frozenset | set):
        return json.dumps(sorted(value))
    return str(value)


def _decode(name: str, text: str) -> Any:
    if name in ("cursor", "floor", "last_mutation_id", "device_number", "pin_failures"):
        return int(text)
    if name == "client_id":
        return UUID(text)
    if name in ("token_expires_at", "last_success_at"):
        return datetime.fromisoformat(text).astimezone(UTC)
    if name == "ignored_entities":
        return frozenset(json.loads(text))
    return text


def read_state(db: Database) -> SyncState:
    """The stored sync state (defaults for keys never written)."""
    rows = db.execute("SELECT key, value FROM sync_state").fetchall()
    values = {key: _decode(key, value) for key, value in rows if key in _FIELDS}
    return SyncState(**values)


def save_state(db: Database, **changes: Any) -> None:
    """Write the given keys (None removes one); call inside `Store.write()`."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown sync_state keys: {sorted(unknown)}")
    for key, value in changes.items():
        if value is None:
            db.execute("DELETE FROM sync_state WHERE key = ?", [key])
        else:
            db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, _encode(value)],
            )


__all__ = ["SyncState", "read_state", "save_state"]
