"""Decoding a pull page: the same checks as `shared.protocol.PullResponse`, at JSON speed.

A first sync decodes every row the device will ever hold. Building a pydantic model per
change cost about 5 µs a row, a third of the client's time per row; msgspec decodes into
typed structs while it parses, about 1.5 µs. The structs mirror `Change` and
`PullResponse` field for field (types, defaults, unknown fields refused), and a table in
tests/client/sync/test_pull_wire.py holds both to the same verdicts. The checkpoint, one
per caught-up page, stays a pydantic `Checkpoint`: the store keeps it as it is.
"""

from dataclasses import dataclass
from typing import Any

import msgspec

from client.sync.collector import collector_paused
from client.sync.errors import BadResponse
from shared.protocol import Checkpoint, Op


class PulledChange(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One change as `shared.protocol.Change` describes it."""

    seq: int
    bucket: str
    entity: str
    id: str
    op: Op
    version: int
    data: dict[str, Any] | None = None


_NULL = msgspec.Raw(b"null")


class _Envelope(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    changes: list[PulledChange]
    cursor: int
    has_more: bool
    last_mutation_id: int
    epoch: str
    total_changes: int | None = None
    checkpoint: msgspec.Raw = _NULL  # kept as its JSON: pydantic checks it below
    floor: int | None = None


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


_DECODER = msgspec.json.Decoder(_Envelope)


class _Place(msgspec.Struct, frozen=True):
    cursor: int
    has_more: bool
    epoch: str
    floor: int | None = None


_PLACE = msgspec.json.Decoder(_Place)


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
        except (msgspec.DecodeError, ValueError) as exc:
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
        raw = bytes(page.checkpoint)
        checkpoint = None if raw == b"null" else Checkpoint.model_validate_json(raw)
    except (msgspec.DecodeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
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


__all__ = ["PulledChange", "PulledPage", "StreamedPage", "decode_pull_page"]
