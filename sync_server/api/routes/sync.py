"""Sync protocol routes (DESIGN §4)."""

from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from pydantic import ValidationError

from shared.errors import PayloadTooLarge, ValidationFailed
from shared.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    MAX_PUSH_BYTES,
    SCHEMA_VERSION,
    BucketSnapshot,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync_server.api.compression import encoded_response
from sync_server.api.deps import EngineDep, PrincipalDep
from sync_server.services.buckets import bucket_snapshot
from sync_server.services.versions import check_versions
from sync_server.services.pull import read_page
from sync_server.services.push import push as push_mutations

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("/pull", response_model=PullResponse, response_model_exclude_none=True)
def pull(
    request: Request,
    engine: EngineDep,
    principal: PrincipalDep,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    protocol_version: int = 1,
    schema_version: int = SCHEMA_VERSION,
    epoch: str | None = None,
    with_total: bool = False,
) -> PullResponse:
    """One page of changes after `cursor` within the caller's buckets."""
    check_versions(protocol_version, schema_version)
    with _snapshot(engine) as conn:
        page = read_page(conn, principal, cursor, limit, epoch=epoch, with_total=with_total)
    # Stored change JSON is spliced in unparsed (see PullPage.to_json); the shape is PullResponse.
    # Compressed here, in the threadpool, with zstd where the device takes it.
    return encoded_response(page.to_json(), request.headers.get("accept-encoding"))


@contextmanager
def _snapshot(engine):
    """A read transaction in which every statement sees the same state."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


@router.get("/bucket", response_model=BucketSnapshot)
def bucket(
    engine: EngineDep,
    principal: PrincipalDep,
    name: str,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> BucketSnapshot:
    """The current records of one bucket, for a device whose checksum disagreed."""
    with _snapshot(engine) as conn:
        return bucket_snapshot(conn, principal, name, after, limit)


@router.post("/push", response_model=PushResponse)
async def push(request: Request, engine: EngineDep, principal: PrincipalDep) -> JSONResponse:
    """Apply the device's mutations exactly once, in id order."""
    body = await request.body()
    if len(body) > MAX_PUSH_BYTES:
        raise PayloadTooLarge(f"a push may carry at most {MAX_PUSH_BYTES} bytes; send fewer mutations",
                              max_bytes=MAX_PUSH_BYTES)
    try:
        batch = PushRequest.model_validate_json(body)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ValidationFailed("; ".join(problems), errors=problems) from None
    check_versions(batch.protocol_version, batch.schema_version)
    # Blocking database work off the event loop: each mutation is its own transaction.
    response = await run_in_threadpool(push_mutations, engine, principal, batch)
    return JSONResponse(response.body_for(batch.protocol_version))
