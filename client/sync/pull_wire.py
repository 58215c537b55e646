"""Decoding a pull page: the same checks as `shared.protocol.PullResponse`, at JSON speed.

The decoder is chosen once, at import: msgspec's typed structs where the wheel is installed
(`pull_wire_msgspec`, about 1.5 µs a row), else the protocol's pydantic models
(`pull_wire_pydantic`: a tablet, whose build lists no msgspec; docs/mobile.md).
`WIRE_DECODER` says which. Both give the same verdicts: tests/client/sync/test_pull_wire.py
runs both ways (tests/client/test_tablet_paths.py runs it with msgspec blocked).
"""

from dataclasses import dataclass
from typing import Any, TypeAlias

from client.sync.collector import collector_paused
from client.sync.errors import BadResponse
from shared.protocol import Checkpoint

try:
    from client.sync import pull_wire_msgspec as _codec
except ImportError:  # no msgspec wheel (Android, iOS): the protocol's own models
    from client.sync import pull_wire_pydantic as _codec  # type: ignore[no-redef]

WIRE_DECODER: str = _codec.NAME
"""`msgspec` or `pydantic`: the decoder this build uses."""
PulledChange: TypeAlias = _codec.PulledChange
"""One change as `shared.protocol.Change` describes it (seq, bucket, entity, id, op, version, data)."""


@dataclass(frozen=True, slots=True)
class PulledPage:
    """A pull page as received: what `apply_pull_page` and the puller read of a PullResponse."""

    changes: list[PulledChange]
    cursor: int
    has_more: bool
    last_mutation_id: int
    epoch: str
    total_changes: int | None
    checkpoint: Checkpoint | None
    floor: int | None = None


_DECODER: Any = _codec.DECODER
_PLACE: Any = _codec.PLACE


@dataclass(frozen=True, slots=True)
class StreamedPage:
    """A page of a pull stream: where it leaves the stream known at once, the rest decoded
    when the applying thread asks (`decoded`).

    Reading the page's place skips over its changes without building them, a sixteenth of
    a full decode; the full decode then runs on the thread that applies the page. Decoding
    there rather than on the thread reading the stream keeps one thread at a time on the
    interpreter: two would hand the interpreter lock back and forth on every row SQLite
    writes, which cost more than decoding did (bench/sync_breakdown.py).
    """

    body: bytes
    cursor: int
    has_more: bool
    epoch: str
    floor: int | None = None

    @classmethod
    def of(cls, body: bytes) -> "StreamedPage":
        """The page in `body`, its place read; BadResponse if even that is not there."""
        try:
            place = _PLACE.decode(body)
        except (_codec.DecodeError, ValueError) as exc:
            raise BadResponse(f"not a PullResponse: {exc}") from exc
        return cls(body=body, cursor=place.cursor, has_more=place.has_more, epoch=place.epoch, floor=place.floor)

    def decoded(self) -> PulledPage:
        """The whole page, checked as `decode_pull_page` checks it."""
        page = decode_pull_page(self.body)
        if (page.cursor, page.has_more, page.epoch, page.floor) != (self.cursor, self.has_more, self.epoch, self.floor):
            raise BadResponse("a pull page says two different things about where it stands")
        return page


def decode_pull_page(body: bytes) -> PulledPage:
    """Decode and check a pull response body; BadResponse names the first problem."""
    try:
        with collector_paused():
            page = _DECODER.decode(body)
        checkpoint = _codec.checkpoint_of(page)
    except (_codec.DecodeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise BadResponse(f"not a PullResponse: {exc}") from exc
    return PulledPage(
        changes=page.changes,
        cursor=page.cursor,
        has_more=page.has_more,
        last_mutation_id=page.last_mutation_id,
        epoch=page.epoch,
        total_changes=page.total_changes,
        checkpoint=checkpoint,
        floor=page.floor,
    )


__all__ = ["WIRE_DECODER", "PulledChange", "PulledPage", "StreamedPage", "decode_pull_page"]
