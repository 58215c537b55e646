"""Resumable upload of an attachment (DESIGN §4.11) to `/v1/attachments/{sha256}`, over httpx.

An attachment is named by the SHA-256 of its bytes. Upload it *before* pushing the mutation
that references that digest (an observation's `photo_sha256`, a delivery's `pdf_sha256`),
so the server holds the bytes by the time the record arrives.

The upload asks the server how much it already holds (HEAD → `Upload-Offset`), then sends
the rest chunk by chunk (PUT with `Upload-Length` and `Upload-Offset`). A cut connection or
a server that is briefly down is retried from wherever the server got to, a bounded number
of times in a row without progress; then `Offline` says "try again later" (at once if the
server cannot be reached at all: the next sync round tries again). Errors the server
states (type or size refused, bytes that do not match their digest) are raised as the
matching `DomainError`, without retrying.
"""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from client.sync.errors import BadResponse, Offline
from client.sync.http import SyncApi, _error_of
from shared.errors import AuthError, Conflict, NotFound, ValidationFailed

DEFAULT_CHUNK_SIZE = 256 * 1024
DEFAULT_MAX_ATTEMPTS = 5
"""Failed requests in a row, without progress, before the upload gives up as Offline."""


def upload_attachment(
    api: SyncApi | httpx.Client,
    source: Path | bytes,
    content_type: str,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    token: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    retry_delay: float = 1.0,
) -> str:
    """Upload a file or bytes (resuming what the server already has) and return its SHA-256.

    `api` is the signed-in `SyncApi`, or an `httpx.Client` on the server with `token`.
    Waits `retry_delay` × n seconds before the n-th retry in a row.
    """
    if chunk_size < 1 or max_attempts < 1:
        raise ValueError("chunk_size and max_attempts must be at least 1")
    http, token = _connection(api, token)
    with _opened(source) as blob:
        if blob.size == 0:
            raise ValidationFailed("an attachment needs at least one byte")
        upload = _Upload(http, token, blob, content_type)
        failures, offset = 0, None
        while True:
            try:
                if offset is None:
                    offset = upload.held_by_server()
                if offset >= blob.size:
                    return blob.sha256
                reached = upload.send_chunk(offset, chunk_size)
                if reached > offset:
                    failures, offset = 0, reached
                    continue
                cause: Exception = BadResponse(f"the server took no bytes at offset {offset}")
                offset = reached
            except httpx.ConnectError as exc:
                if not upload.has_answered:
                    raise Offline(f"server unreachable: {exc}") from exc
                cause, offset = exc, None
            except (httpx.RequestError, Offline) as exc:
                cause, offset = exc, None  # the chunk may or may not have landed: ask the server
            except Conflict as exc:
                if "offset" not in exc.extra:
                    raise
                cause, offset = exc, int(exc.extra["offset"])  # the server says where to go on
            failures += 1
            if failures >= max_attempts:
                raise Offline(f"attachment upload stopped after {failures} failed attempts: {cause}") from cause
            time.sleep(retry_delay * failures)


def sha256_of(source: Path | bytes) -> str:
    """The SHA-256 (hex) that names these bytes on the server."""
    with _opened(source) as blob:
        return blob.sha256


@dataclass
class _Blob:
    """The bytes to upload: their size, digest and a way to read any slice."""

    size: int
    sha256: str
    data: bytes | None = None
    file: BinaryIO | None = None

    def read(self, offset: int, length: int) -> bytes:
        if self.data is not None:
            return self.data[offset : offset + length]
        assert self.file is not None
        self.file.seek(offset)
        return self.file.read(length)


@contextmanager
def _opened(source: Path | bytes) -> Iterator[_Blob]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        yield _Blob(size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data)
        return
    with open(source, "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
        size = file.seek(0, 2)
        yield _Blob(size=size, sha256=digest, file=file)


class _Upload:
    """The two requests of a resumable upload, for one blob."""

    def __init__(self, http: httpx.Client, token: str, blob: _Blob, content_type: str) -> None:
        self.http = http
        self.blob = blob
        self.url = f"/v1/attachments/{blob.sha256}"
        self.has_answered = False
        """Whether the server answered at least once: only then is a refused connection a cut."""
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": content_type,
            "Upload-Length": str(blob.size),
            "Accept": "application/json, application/problem+json",
        }

    def held_by_server(self) -> int:
        """Bytes of this blob the server already holds (0 for none, or for another upload)."""
        response = self.http.head(self.url, headers=self.headers)
        self.has_answered = True
        if not response.is_success:
            # A HEAD answer has no body: the problem is read from its Terreno-Problem header,
            # so a revoked device learns it here as on any other answer (and wipes).
            error = _error_of(response)
            if response.status_code == 404 and isinstance(error, (NotFound, BadResponse)):
                return 0  # nothing of this blob on the server yet
            raise error
        if response.headers.get("Upload-Length") != str(self.blob.size):
            return 0  # an upload under another length: the server starts it over from 0
        return _offset_of(response)

    def send_chunk(self, offset: int, chunk_size: int) -> int:
        """PUT the chunk starting at `offset`; return the bytes the server now holds."""
        chunk = self.blob.read(offset, chunk_size)
        response = self.http.put(self.url, content=chunk, headers={**self.headers, "Upload-Offset": str(offset)})
        self.has_answered = True
        if not response.is_success:
            raise _error_of(response)
        return _offset_of(response)


def _offset_of(response: httpx.Response) -> int:
    try:
        return int(response.headers["Upload-Offset"])
    except (KeyError, ValueError):
        request = response.request
        raise BadResponse(f"no Upload-Offset in the answer to {request.method} {request.url}") from None


def _connection(api: SyncApi | httpx.Client, token: str | None) -> tuple[httpx.Client, str]:
    if isinstance(api, SyncApi):
        # SyncApi has no public accessor for its client: reuse its connection pool and token.
        http, token = api._http, token or api.token
    else:
        http = api
    if not token:
        raise AuthError("not signed in: no token for this upload")
    return http, token


__all__ = ["DEFAULT_CHUNK_SIZE", "DEFAULT_MAX_ATTEMPTS", "sha256_of", "upload_attachment"]
