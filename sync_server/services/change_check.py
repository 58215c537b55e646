"""`terreno-server check`: find the changes no device could read, and set them aside.

A change log written before values were bounded (docs/sync-protocol.md §4, "Values") may
hold a put that every pull page carrying it breaks, on every device, on every round: data
that is not strict JSON (NaN, Infinity), not a JSON object, no data at all, or an integer
no device database can store (beyond 64 bits). `find_unreadable` reports them; `repair`
moves each into `quarantined_changes` as it was, and when it was the record's current state
removes the record cleanly — typed row, `records`, bucket totals and a delete in the log —
so devices that hold it drop it and every checkpoint still adds up.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from sync_server.repository.database import Connection
from sync_server.repository.quarantine import changes_in_slices, is_current_state, quarantine_change
from sync_server.repository.records import delete_record

_INT64 = 2**63
_DECODER = msgspec.json.Decoder()


@dataclass(frozen=True)
class Unreadable:
    """A change no device could read, and why."""

    seq: int
    bucket: str
    entity: str
    entity_id: str
    reason: str


def find_unreadable(conn: Connection) -> Iterator[tuple[Any, str]]:
    """(change row, reason) for each change of the log that no device could read, in seq order."""
    for rows in changes_in_slices(conn):
        for row in rows:
            reason = unreadable_reason(row.op, row.data)
            if reason is not None:
                yield row, reason


def unreadable_reason(op: str, data: str | None) -> str | None:
    """Why a change with this op and stored data cannot be read by a device, or None.

    Judged with the JSON decoder the app itself uses (msgspec): it refuses NaN, numbers out
    of a float's range such as 1e999, and lone UTF-16 surrogates, all of which Python's
    json module lets through. A delete's data travels in the page too, so it is read as well.
    """
    if op not in ("put", "delete"):
        return f"unknown operation {op!r}"
    if data is None:
        return "a put without data" if op == "put" else None
    try:
        value = _DECODER.decode(data.encode("utf-8", "surrogatepass"))
    except msgspec.DecodeError as exc:
        return f"not JSON a device can read: {exc}"
    if not isinstance(value, dict):
        return f"not a JSON object but {type(value).__name__}"
    too_big = _first_huge_integer(value)
    if too_big is not None:
        return f"an integer a device database cannot store at {too_big}"
    return None


def check(conn: Connection, *, repair: bool = False) -> list[Unreadable]:
    """Every unreadable change; with `repair`, each is set aside (in the caller's transaction)."""
    # Read fully before changing anything: the repair deletes from and appends to this log.
    collected = list(find_unreadable(conn))
    if repair:
        for row, reason in collected:
            # The record's delete is appended before its bad change leaves the log: on SQLite a
            # seq is the highest rowid + 1, so removing the newest change first would hand its
            # seq to the delete, and a device that had read the bad change would skip it.
            if is_current_state(conn, row.entity, row.entity_id, row.bucket, row.version):
                delete_record(conn, row.entity, row.entity_id)
            quarantine_change(conn, row, reason)
    return [Unreadable(row.seq, row.bucket, row.entity, row.entity_id, reason) for row, reason in collected]


def _first_huge_integer(value: Any, path: str = "") -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -_INT64 <= value < _INT64 else (path or "the data")
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _first_huge_integer(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


__all__ = ["Unreadable", "check", "find_unreadable", "unreadable_reason"]
