"""Attachment routes (DESIGN §4.11): resumable PUT, HEAD to resume, scoped GET.

PUT  /v1/attachments/{sha256}   body = one chunk; headers Content-Type, Upload-Length
                                (total bytes) and Upload-Offset (where the chunk starts)
HEAD /v1/attachments/{sha256}   Upload-Offset (bytes of the caller's upload held) and
                                Upload-Length; 404 if none the caller may see
GET  /v1/attachments/{sha256}   the bytes, if complete and inside the caller's scope
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.requests import ClientDisconnect

from sync_server.api.deps import EngineDep, PrincipalDep, SettingsDep
from sync_server.api.openapi import problems
from sync_server.services import attachments
from sync_server.services.attachments import Attachment, ChunkOffer
from sync_server.settings import ServerSettings

router = APIRouter(prefix="/v1/attachments", tags=["attachments"])

_TYPES = ServerSettings.model_fields["attachment_content_types"].default
"""The types a server takes unless configured otherwise (declared so, in the OpenAPI)."""
_CHUNK = {"requestBody": {"content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in _TYPES}}}
"""The chunk's bytes, read as a stream (so FastAPI declares no body of its own)."""
Sha256 = Annotated[str, Path(pattern="^[0-9a-fA-F]{64}$", description="the SHA-256 of the bytes, 64 hex digits")]


@router.put("/{sha256}", responses=problems(401, 403, 404, 409), openapi_extra=_CHUNK)
async def put_chunk(
    sha256: Sha256,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    upload_length: Annotated[
        int, Header(ge=1, description="total size of the attachment in bytes (over the bound: 413)")
    ],
    upload_offset: Annotated[int, Header(ge=0, description="where this chunk starts in the attachment")],
    content_type: Annotated[str, Header(json_schema_extra={"enum": list(_TYPES)})],
    content_length: Annotated[int | None, Header(ge=0)] = None,
) -> JSONResponse:
    """Store one chunk of an attachment; the last one is verified against the SHA-256."""
    offer = ChunkOffer(sha256, content_type, upload_length, upload_offset, content_length)
    stored = await attachments.receive_chunk(engine, settings, principal, offer, _body(request))
    return JSONResponse(_status(stored), headers=_upload_headers(stored))


@router.head("/{sha256}", responses=problems(401, 404))
def upload_progress(sha256: Sha256, engine: EngineDep, principal: PrincipalDep) -> Response:
    """How many bytes of its own upload the server holds (Upload-Offset), so a device resumes
    from there; 404 for anything the caller may not see."""
    stored = attachments.upload_status(engine, principal, sha256)
    return Response(status_code=200, headers=_upload_headers(stored))


@router.get("/{sha256}", response_class=FileResponse, responses=problems(401, 403, 404))
def get_attachment(sha256: Sha256, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep) -> FileResponse:
    """The attachment's bytes with its content type; OutOfScope outside the caller's buckets."""
    stored, path = attachments.readable_attachment(engine, settings, principal, sha256)
    # Same name, same bytes: caches may keep it for good. nosniff: served as declared, never as HTML.
    headers = {
        "ETag": f'"{stored.sha256}"',
        "Cache-Control": "private, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
    }
    return FileResponse(path, media_type=stored.content_type, headers=headers)


async def _body(request: Request) -> AsyncIterator[bytes]:
    try:
        async for piece in request.stream():
            yield piece
    except ClientDisconnect:
        return  # the bytes that arrived are kept: the device resumes after them


def _upload_headers(stored: Attachment) -> dict[str, str]:
    return {"Upload-Offset": str(stored.received_bytes), "Upload-Length": str(stored.size), "Cache-Control": "no-store"}


def _status(stored: Attachment) -> dict:
    return {
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "received_bytes": stored.received_bytes,
        "is_complete": stored.is_complete,
    }
