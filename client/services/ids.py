"""Ids of records created on the device: UUID v7 (DESIGN §4.2), never reassigned by the server."""

import os
import time
from uuid import UUID

_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0x2 << 62


def new_record_id() -> UUID:
    """A UUID v7: 48 bits of Unix milliseconds, then random bits (RFC 9562)."""
    # Time first, so ids sort roughly by creation and index pages stay warm; the 74
    # random bits make two tablets creating a record in the same millisecond safe.
    millis = time.time_ns() // 1_000_000 & ((1 << 48) - 1)
    value = millis << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) & ~(0x3 << 62) | _VERSION_7 | _VARIANT_RFC
    return UUID(int=value)


__all__ = ["new_record_id"]
