"""Sync protocol routes (DESIGN §4)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from shared.errors import PayloadTooLarge, ValidationFailed
from shared.invalid_input import problem_lines
from shared.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    MAX_PUSH_BYTES,
    SCHEMA_VERSION,
    BucketSnapshot,
    PullResponse,
    PushBatch,
    PushRequest,
    PushResponse,
)
from shared.pull_stream import MEDIA_TYPE, frame
from sync_server.api.compression import StreamEncoder, choose_encoding, encoded_response
from sync_server.api.deps import EngineDep, PrincipalDep, SignedIn, SignedInDep
from sync_server.api.openapi import body_model, problems
from sync_server.services.auth import Principal
from sync_server.services.buckets import bucket_snapshot
from sync_server.services.pull import PullPage, read_page, stream_pages
from sync_server.services.push import push as push_mutations
from sync_server.services.push import read_envelopes
from sync_server.services.transactions import Engine, snapshot_transaction
from sync_server.services.versions import check_versions

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@dataclass
class PullQuery:
    """The query of a pull: where to start, how big a page, and what the device speaks."""

    cursor: Annotated[int, Query(ge=0)] = 0
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT
    protocol_version: int = 1
    schema_version: int = SCHEMA_VERSION
    epoch: str | None = None
    with_total: bool = False
    floor: Annotated[int | None, Query(ge=0, description="protocol 3: the `floor` of the last page applied")] = None

    def first_page(self, engine: Engine, signed_in: SignedIn) -> PullPage:
        """The page at the cursor, after reading the caller and checking the versions, all in
        the page's own snapshot (one transaction a pull)."""
        with snapshot_transaction(engine) as conn:
            principal = signed_in.principal(conn)
            check_versions(self.protocol_version, self.schema_version)
            return self.read(conn, principal, self.cursor, self.epoch, self.floor, with_total=self.with_total)

    def read(
        self, conn, principal: Principal, cursor: int, epoch: str | None, floor: int | None, with_total: bool = False
    ) -> PullPage:
        """A page at `cursor` for this device's protocol."""
        return read_page(
            conn,
            principal,
            cursor,
            self.limit,
            epoch=epoch,
            with_total=with_total,
            floor=floor,
            with_floor=self.protocol_version >= 3,
        )


PullQueryDep = Annotated[PullQuery, Depends()]


@router.get(
    "/pull", response_model=PullResponse, response_model_exclude_none=True, responses=problems(401, 403, 410, 426, 503)
)
def pull(request: Request, engine: EngineDep, signed_in: SignedInDep, query: PullQueryDep) -> Response:
    """One page of changes after `cursor` within the caller's buckets."""
    page = query.first_page(engine, signed_in)
    # Stored change JSON is spliced in unparsed (see PullPage.to_json); the shape is PullResponse.
    # Compressed here, in the threadpool, with zstd where the device takes it.
    return encoded_response(page.to_json(), request.headers.get("accept-encoding"))


@router.get(
    "/pull/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {MEDIA_TYPE: {}}, "description": "Pull pages as frames (shared/pull_stream.py)"},
        **problems(401, 403, 410, 426, 503),
    },
)
def pull_stream(request: Request, engine: EngineDep, signed_in: SignedInDep, query: PullQueryDep) -> StreamingResponse:
    """Pages of changes after `cursor`, one after another in one response, until caught up.

    The same pages as /pull would give one request at a time, without a round trip
    between them: the server reads the next page while the device applies this one.
    A problem with the first page is the response's status; the stream ends after the
    caught-up page, or after a while (then the device asks again from where it is).
    """
    first = query.first_page(engine, signed_in)

    def read_next(before: PullPage) -> PullPage:
        with snapshot_transaction(engine) as conn:
            # Every page: a token that expires or a device revoked mid-stream stops it there.
            # The device will have applied `before`, so its floor is the one to judge by.
            return query.read(conn, signed_in.principal(conn), before.cursor, before.epoch, before.floor)

    encoder = StreamEncoder(choose_encoding(request.headers.get("accept-encoding")))

    def frames():
        for page in stream_pages(first, read_next):
            yield encoder.piece(frame(page.to_json()))
        yield encoder.end()

    headers = {"Vary": "Accept-Encoding"}
    if encoder.coding != "identity":
        headers["Content-Encoding"] = encoder.coding
    return StreamingResponse(frames(), media_type=MEDIA_TYPE, headers=headers)


@router.get("/bucket", response_model=BucketSnapshot, responses=problems(401, 403, 404))
def bucket(
    engine: EngineDep,
    principal: PrincipalDep,
    name: str,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> BucketSnapshot:
    """The current records of one bucket, for a device whose checksum disagreed."""
    with snapshot_transaction(engine) as conn:
        return bucket_snapshot(conn, principal, name, after, limit)


@router.post(
    "/push",
    response_model=PushResponse,
    responses=problems(401, 403, 409, 426, 503),
    openapi_extra=body_model(PushRequest),
)
async def push(request: Request, engine: EngineDep, principal: PrincipalDep) -> JSONResponse:
    """Apply the device's mutations exactly once, in id order."""
    body = await request.body()
    if len(body) > MAX_PUSH_BYTES:
        raise PayloadTooLarge(
            f"a push may carry at most {MAX_PUSH_BYTES} bytes; send fewer mutations", max_bytes=MAX_PUSH_BYTES
        )
    try:
        batch = PushBatch.model_validate_json(body)
    except ValidationError as exc:
        problems = problem_lines(exc.errors())
        raise ValidationFailed("; ".join(problems), errors=problems) from None
    check_versions(batch.protocol_version, batch.schema_version)
    envelopes = read_envelopes(batch.mutations)
    # Blocking database work off the event loop: each mutation is its own transaction.
    response = await run_in_threadpool(push_mutations, engine, principal, str(batch.client_id), envelopes)
    return JSONResponse(response.body_for(batch.protocol_version))
