"""Attachments (DESIGN §4.11): content-addressed by SHA-256, resumable, bounded, scoped.

An attachment (a competitor-observation photo, a quote PDF) is named by the SHA-256 of its
bytes, so the same bytes are stored once and an upload can be repeated or resumed safely.

Upload, chunk by chunk (`PUT /v1/attachments/{sha256}`): each chunk declares the total size
(`Upload-Length`) and where it starts (`Upload-Offset`). An upload in progress belongs to
the device that started it (`attachment_uploads`, one row per attachment and device, its
bytes in `<sha>.<client_id>.part`): nobody else can see it, continue it or spoil it, and two
devices sending the same bytes never share partial state. The first chunk (offset 0)
creates it; a chunk is appended only if it starts exactly where that device's bytes end
(else `Conflict` carrying the expected `offset`). When the last byte arrives the whole file
is hashed: a mismatch deletes that device's upload (`ValidationFailed`); a match moves the
file to `<sha>` and adds the complete attachment, in the uploader's activity bucket — or, if
another device finished the same bytes first, keeps theirs and drops this copy.

Who may see what:
- `HEAD`: the caller's own upload in progress, or a complete attachment the caller may read;
  anything else is the same 404 as an unknown digest (no size, nothing learned).
- `PUT` of bytes already stored complete: the no-op "complete" answer at once for a caller
  who may read them; any other caller must send every byte, which is hashed like any
  upload, and learns the bytes were there only by proving they hold them.
- `GET`: a complete attachment is readable by a caller whose buckets (`scope.buckets_for`)
  include the attachment's bucket — the activity bucket of whoever finished the upload
  first. So the uploader and their manager may read it, another seller may not, even after
  sending the same bytes (the table records one bucket per attachment).

Concurrency: a chunk body is first streamed to a scratch file, then appended while its
upload row is locked (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), re-checking
the offset.
A request still running after its client gave up and resumed elsewhere therefore either
lands first or gets the `Conflict`; the data never interleaves. Bytes that arrived before a
cut connection are kept, so a resumed upload continues after them.
"""

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import AsyncIterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import anyio.to_thread

from shared.errors import Conflict, NotFound, OutOfScope, PayloadTooLarge, RetryLater, ValidationFailed
from shared.messages import number
from shared.protocol import activity_bucket
from sync_server.repository import attachment_store as store
from sync_server.repository.attachment_store import Attachment
from sync_server.repository.database import Connection, Engine, read_transaction, write_transaction
from sync_server.services.attachment_content import content_problem
from sync_server.services.auth import Principal
from sync_server.services.scope import buckets_for
from sync_server.settings import ServerSettings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Body pieces are gathered up to this size before one write in a worker thread.
_FLUSH_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ChunkOffer:
    """What a PUT declares about itself before its body is read."""

    sha256: str
    content_type: str
    upload_length: int
    """Total size of the attachment in bytes."""
    upload_offset: int
    """Where this chunk starts in the attachment."""
    chunk_length: int | None = None
    """The body's Content-Length, when the client sent one."""


def check_sha256(sha256: str) -> str:
    """The digest as 64 lowercase hex digits, or ValidationFailed."""
    digest = sha256.strip().lower()
    if not _SHA256.match(digest):
        raise ValidationFailed(f"{sha256[:80]!r} is not a SHA-256 digest (64 hex digits)")
    return digest


def attachment_path(settings: ServerSettings, sha256: str) -> Path:
    """Where the complete bytes of an attachment live: `<data_dir>/attachments/<sha[:2]>/<sha>`."""
    digest = check_sha256(sha256)
    return settings.data_dir / "attachments" / digest[:2] / digest


def partial_path(settings: ServerSettings, sha256: str, client_id: str) -> Path:
    """Where one device's unfinished upload lives: `<sha>.<client_id>.part` next to the final file."""
    final = attachment_path(settings, sha256)
    return final.with_name(f"{final.name}.{uuid.UUID(client_id)}.part")


def find_attachment(conn: Connection, sha256: str) -> Attachment | None:
    """The complete attachment with that digest, or None."""
    return store.find_complete(conn, check_sha256(sha256))


def upload_status(engine: Engine, principal: Principal, sha256: str) -> Attachment:
    """What the caller may know of an attachment: its own upload so far, or a complete one
    it may read. NotFound otherwise, exactly as for a digest never seen."""
    with read_transaction(engine) as conn:
        found = _own_upload(conn, principal, check_sha256(sha256))
        if found is None:
            found = _readable(conn, principal, sha256)
    if found is None:
        raise NotFound(f"no upload of attachment {sha256}")
    return found


def _readable(conn: Connection, principal: Principal, sha256: str) -> Attachment | None:
    found = find_attachment(conn, sha256)
    if found is None or found.bucket not in set(buckets_for(conn, principal)):
        return None
    return found


def readable_attachment(
    engine: Engine, settings: ServerSettings, principal: Principal, sha256: str
) -> tuple[Attachment, Path]:
    """A complete attachment and its file, if its bucket is in the caller's scope."""
    with read_transaction(engine) as conn:
        found = find_attachment(conn, sha256)
        if found is None:
            raise NotFound(f"no attachment {sha256}")
        if found.bucket not in set(buckets_for(conn, principal)):
            raise OutOfScope(
                "this attachment belongs to the activity of a seller outside your scope",
                key="problem.attachment.out_of_scope",
            )
    path = attachment_path(settings, found.sha256)
    if not path.is_file():
        raise NotFound(f"the bytes of attachment {sha256} are missing on the server")
    return found, path


async def receive_chunk(
    engine: Engine, settings: ServerSettings, principal: Principal, offer: ChunkOffer, body: AsyncIterable[bytes]
) -> Attachment:
    """Store one PUT chunk streamed from `body`; blocking work runs in worker threads.

    A body that ends early (the connection was cut) is kept as a shorter chunk.
    """
    offer = _checked(settings, offer)
    current = await anyio.to_thread.run_sync(start_chunk, engine, settings, principal, offer)
    if current.is_complete:
        return current
    chunk = await anyio.to_thread.run_sync(StagedChunk, settings, offer.upload_length - offer.upload_offset)
    try:
        pending = bytearray()
        async for piece in body:
            pending += piece
            if len(pending) >= _FLUSH_BYTES:
                await anyio.to_thread.run_sync(chunk.write, bytes(pending))
                pending.clear()
        await anyio.to_thread.run_sync(chunk.write, bytes(pending))
        await anyio.to_thread.run_sync(chunk.close)
        return await anyio.to_thread.run_sync(commit_chunk, engine, settings, principal, offer, chunk)
    finally:
        await anyio.to_thread.run_sync(chunk.discard)


def start_chunk(engine: Engine, settings: ServerSettings, principal: Principal, offer: ChunkOffer) -> Attachment:
    """Check a chunk's declaration before its body is read; create the upload on the first one.

    Returns the attachment as stored: complete (nothing more to send) or expecting this
    chunk. Raises PayloadTooLarge, ValidationFailed, or Conflict with the expected `offset`.
    """
    offer = _checked(settings, offer)
    for attempt in (1, 2):
        try:
            with write_transaction(engine) as conn:
                current = _start(conn, settings, principal, offer)
            break
        except store.UploadAlreadyStarted:
            # Two first chunks raced to create the row (PostgreSQL): the second finds it now.
            if attempt == 2:
                raise RetryLater("another upload of these bytes is starting; try again") from None
    if current is None or (not current.is_complete and current.received_bytes != offer.upload_offset):
        expected = current.received_bytes if current is not None else 0
        raise Conflict(
            f"the server holds {expected} bytes of this attachment: send from there",
            offset=expected,
            upload_length=offer.upload_length,
        )
    return current


def _checked(settings: ServerSettings, offer: ChunkOffer) -> ChunkOffer:
    content_type = offer.content_type.split(";")[0].strip().lower()
    allowed = sorted(settings.attachment_content_types)
    if content_type not in allowed:
        raise ValidationFailed(
            f"attachments of type {content_type or 'unknown'!r} are not accepted; allowed: {', '.join(allowed)}",
            allowed=allowed,
            key="problem.file.type_not_allowed",
            params={"type": content_type or "?", "allowed": allowed},
        )
    if offer.upload_length > settings.max_attachment_bytes:
        raise PayloadTooLarge(
            f"an attachment may have at most {settings.max_attachment_bytes} bytes",
            max_bytes=settings.max_attachment_bytes,
            key="problem.attachment.too_large",
            params={"limit": number(settings.max_attachment_bytes // (1024 * 1024))},
        )
    if offer.upload_length < 1:
        raise ValidationFailed("an attachment needs at least one byte", key="problem.file.empty")
    if not 0 <= offer.upload_offset < offer.upload_length:
        raise ValidationFailed(f"Upload-Offset must lie in 0..{offer.upload_length - 1}")
    if offer.chunk_length is not None and offer.chunk_length > offer.upload_length - offer.upload_offset:
        raise PayloadTooLarge("the chunk runs past Upload-Length", max_bytes=offer.upload_length - offer.upload_offset)
    return ChunkOffer(
        check_sha256(offer.sha256), content_type, offer.upload_length, offer.upload_offset, offer.chunk_length
    )


def _start(conn: Connection, settings: ServerSettings, principal: Principal, offer: ChunkOffer) -> Attachment | None:
    complete = _readable(conn, principal, offer.sha256)
    if complete is not None:
        if complete.size != offer.upload_length:
            raise ValidationFailed(f"these bytes are stored with {complete.size} bytes, not {offer.upload_length}")
        return complete
    current = _locked(conn, principal, offer.sha256)
    part = partial_path(settings, offer.sha256, principal.client_id)
    if current is None:
        if offer.upload_offset != 0:
            return None
        part.unlink(missing_ok=True)  # a leftover of an upload deleted earlier
        store.create_upload(
            conn, offer.sha256, principal.client_id, principal.login, offer.upload_length, offer.content_type, _now()
        )
        return _locked(conn, principal, offer.sha256)
    is_other_upload = (current.size, current.content_type) != (offer.upload_length, offer.content_type)
    if is_other_upload or _stored_bytes(part) < current.received_bytes:
        # The declaration differs (so one side is wrong, and only the final hash can tell), or
        # stored bytes were lost: start this device's upload over rather than let it stick.
        part.unlink(missing_ok=True)
        store.restart_upload(conn, offer.sha256, principal.client_id, offer.upload_length, offer.content_type)
        return _locked(conn, principal, offer.sha256)
    return current


class StagedChunk:
    """One chunk's body in a scratch file, written as it arrives (never all in memory)."""

    def __init__(self, settings: ServerSettings, limit: int) -> None:
        folder = settings.data_dir / "attachments" / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{uuid.uuid4().hex}.chunk"
        self.limit = limit
        self.length = 0
        self._file = open(self.path, "wb")  # closed by close() or discard()

    def write(self, data: bytes) -> None:
        """Append body bytes; PayloadTooLarge past the bytes the attachment still misses."""
        if self.length + len(data) > self.limit:
            raise PayloadTooLarge("the chunk runs past Upload-Length", max_bytes=self.limit)
        self._file.write(data)
        self.length += len(data)

    def close(self) -> None:
        """Flush the chunk to disk."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def discard(self) -> None:
        """Remove the scratch file (it may already have become the partial upload)."""
        self._file.close()
        self.path.unlink(missing_ok=True)


def commit_chunk(
    engine: Engine, settings: ServerSettings, principal: Principal, offer: ChunkOffer, chunk: StagedChunk
) -> Attachment:
    """Append a received chunk if the caller's upload still expects it; verify and finish on
    the last byte.

    Raises Conflict (with `offset`) if the upload moved on meanwhile, ValidationFailed if
    the complete bytes do not hash to the attachment's name (that upload is then deleted).
    """
    chunk.close()
    part = partial_path(settings, offer.sha256, principal.client_id)
    with write_transaction(engine) as conn:
        current = _locked(conn, principal, offer.sha256)
        if current is None or current.size != offer.upload_length or current.received_bytes != offer.upload_offset:
            complete = _readable(conn, principal, offer.sha256)
            if complete is not None:
                return complete
            expected = current.received_bytes if current is not None else 0
            raise Conflict(
                f"the server holds {expected} bytes of this attachment: send from there",
                offset=expected,
                upload_length=offer.upload_length,
            )
        if chunk.length == 0:
            return current
        received = _append(part, current.received_bytes, chunk)
        if received < current.size:
            store.record_received(conn, offer.sha256, principal.client_id, received)
            return replace(current, received_bytes=received)
        store.drop_upload(conn, offer.sha256, principal.client_id)
        mismatch = not _hashes_to(part, offer.sha256)
        wrong_kind = None if mismatch else content_problem(part, current.content_type)
        if not mismatch and wrong_kind is None:
            finished = _finish(conn, settings, principal, current, part)
    part.unlink(missing_ok=True)
    if wrong_kind is not None:
        raise ValidationFailed(
            f"the upload is not a {current.content_type}: {wrong_kind}; nothing was kept",
            sha256=offer.sha256,
            key="problem.attachment.not_its_type",
            params={"type": current.content_type},
        )
    if mismatch:
        # Outside the transaction, which has to commit the deletion.
        raise ValidationFailed(
            "the uploaded bytes do not match their SHA-256; nothing was kept, upload again",
            sha256=offer.sha256,
            key="problem.attachment.corrupted",
        )
    return finished


def _finish(
    conn: Connection, settings: ServerSettings, principal: Principal, upload: Attachment, part: Path
) -> Attachment:
    """Make a verified upload the complete attachment, unless another device's already is."""
    existing = store.find_complete(conn, upload.sha256, lock=True)
    if existing is not None:
        return existing  # the same bytes, finished first by another device
    os.replace(part, attachment_path(settings, upload.sha256))
    finished = Attachment(
        sha256=upload.sha256,
        size=upload.size,
        content_type=upload.content_type,
        uploaded_by=principal.login,
        bucket=activity_bucket(principal.login),
        received_bytes=upload.size,
        is_complete=True,
    )
    store.add_complete(conn, finished, _now())
    return finished


def _append(part: Path, offset: int, chunk: StagedChunk) -> int:
    """Write the chunk at `offset` of the partial file and return the bytes now stored."""
    part.parent.mkdir(parents=True, exist_ok=True)
    if offset == 0:
        os.replace(chunk.path, part)  # the whole chunk is the file so far: no copy
        return chunk.length
    with open(part, "r+b") as out, open(chunk.path, "rb") as source:
        # Bytes past `offset` are a leftover of a chunk whose commit failed: overwrite them.
        out.truncate(offset)
        out.seek(offset)
        shutil.copyfileobj(source, out, _FLUSH_BYTES)
        out.flush()
        os.fsync(out.fileno())
    return offset + chunk.length


def _hashes_to(path: Path, sha256: str) -> bool:
    with open(path, "rb") as stored:
        return hashlib.file_digest(stored, "sha256").hexdigest() == sha256


def _stored_bytes(part: Path) -> int:
    try:
        return part.stat().st_size
    except FileNotFoundError:
        return 0


def _own_upload(conn: Connection, principal: Principal, sha256: str) -> Attachment | None:
    return store.find_upload(conn, sha256, principal.client_id, activity_bucket(principal.login))


def _locked(conn: Connection, principal: Principal, sha256: str) -> Attachment | None:
    return store.find_upload(conn, sha256, principal.client_id, activity_bucket(principal.login), lock=True)


def _now() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "Attachment",
    "ChunkOffer",
    "StagedChunk",
    "attachment_path",
    "check_sha256",
    "commit_chunk",
    "find_attachment",
    "partial_path",
    "readable_attachment",
    "receive_chunk",
    "start_chunk",
    "upload_status",
]
