"""The pull-page decoder where msgspec has no wheel (Android, iOS): the protocol's own models.

Flet's index of Android/iOS wheels has pydantic-core; the tablet build lists no msgspec
(the index's is older than the desktop's pin, and one decoder less to trust: docs/mobile.md). `PullResponse.model_validate_json` is the reference the msgspec
decoder is held to, so this path gives the same verdicts by construction; it is about three
times slower per row (bench/README.md, "first sync without the accelerators").
A `Change` already has every attribute the store reads of a `PulledChange`.
"""

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.protocol import Change, Checkpoint, PullResponse

NAME = "pydantic"
DecodeError = ValidationError
PulledChange = Change
Envelope = PullResponse


class _EnvelopeDecoder:
    """`decode(body)` as msgspec's Decoder has it."""

    def decode(self, body: bytes) -> PullResponse:
        return PullResponse.model_validate_json(body)


def checkpoint_of(envelope: PullResponse) -> Checkpoint | None:
    """The page's checkpoint (already checked with the rest of the page)."""
    return envelope.checkpoint


class Place(BaseModel):
    """Where a page leaves the stream; the changes are skipped (extra fields ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    cursor: int
    has_more: bool
    epoch: str
    floor: int | None = None


class _PlaceDecoder:
    def decode(self, body: bytes) -> Place:
        return Place.model_validate_json(body)


DECODER = _EnvelopeDecoder()
PLACE = _PlaceDecoder()

__all__ = ["DECODER", "NAME", "PLACE", "DecodeError", "Envelope", "PulledChange", "checkpoint_of"]
