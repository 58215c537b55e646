"""A fake sync server behind httpx.MockTransport: a change log served by the protocol.

For cases the real server cannot produce on demand: a crash after exactly N pages, a
stale cursor, a given epoch, a push answer lost after it was applied, a gap, a 503, an
older server that does not know a mutation. The end-to-end tests use the real server.
"""

import json
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx

from shared.errors import AuthError, DomainError, MutationGap, PayloadTooLarge, StaleCursor, ValidationFailed
from shared.protocol import (
    MAX_PUSH_BYTES,
    Change,
    LoginRequest,
    LoginResponse,
    Mutation,
    MutationName,
    MutationResult,
    PullResponse,
    PushRequest,
    PushResponse,
)
from shared.pull_stream import MEDIA_TYPE as PULL_STREAM_MEDIA_TYPE
from shared.pull_stream import frame
from tests.client.factories import EPOCH

EMPTY_METRICS = {
    "as_of": "2026-01-01T00:00:00+00:00",
    "currency": "EUR",
    "sellers": [],
    "periods": {},
    "figures": {},
    "now": {},
}
"""The snapshot of a server with nothing to count (the dashboard says so)."""


class FakeSyncServer:
    """Serves `log` page by page; `fail_after_pages` makes request N+1 fail like a kill.

    Like an older server it has no pull stream (404) unless `pages_per_stream` is given:
    then /v1/sync/pull/stream sends that many pages at most in one response.
    """

    def __init__(
        self,
        log: list[Change],
        *,
        epoch: str = EPOCH,
        token: str = "tok-1",
        fail_after_pages: int | None = None,
        failure: Exception | None = None,
        pages_per_stream: int | None = None,
    ) -> None:
        self.log = log
        self.pages_per_stream = pages_per_stream
        self.stream_requests: list[dict[str, str]] = []
        self.epoch = epoch
        self.token = token
        self.fail_after_pages = fail_after_pages
        self.failure = failure or RuntimeError("process killed")
        self.pull_requests: list[dict[str, str]] = []
        self.logins: list[dict] = []
        self.client_id: UUID = uuid4()
        self.password = "secret-pass-1"
        self.stale_once = False
        # Push: an exactly-once ledger like the real server's.
        self.last_mutation_id = 0
        self.ledger: dict[int, MutationResult] = {}
        self.applied: list[Mutation] = []
        self.push_bodies: list[bytes] = []
        self.known_mutations: set[str] = {m.value for m in MutationName}
        self.verdicts: dict[int, dict] = {}
        """Mutation id → MutationResult fields to answer instead of a plain "applied"."""
        self.push_failures: list[Exception | httpx.Response | None] = []
        """Raised (or answered) by the next pushes, one each, before anything is applied;
        None lets that push through."""
        self.drop_push_responses = 0
        """Apply the next N pushes, then lose the answer (the connection drops)."""
        self.max_push_bytes = MAX_PUSH_BYTES

    def transport(self) -> httpx.MockTransport:
        """The transport to give SyncApi."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        try:
            if request.url.path == "/v1/auth/login":
                return self._login(json.loads(request.content))
            if request.url.path == "/v1/sync/pull":
                return self._pull(request)
            if request.url.path == "/v1/sync/pull/stream" and self.pages_per_stream:
                return self._stream(request)
            if request.url.path == "/v1/sync/push":
                return self._push(request)
            if request.url.path == "/v1/policies":  # none configured: the devices apply the defaults
                return httpx.Response(200, json={"approval": {}, "credit": {}})
            if request.url.path == "/v1/company":  # none imported: the devices print a neutral header
                return httpx.Response(200, json={"profile": None, "logo_sha256": None, "logo_type": None})
            if request.url.path == "/v1/metrics":  # a server with no figures yet
                return httpx.Response(200, json=EMPTY_METRICS)
        except DomainError as exc:
            return httpx.Response(
                exc.status, json=exc.to_problem(), headers={"content-type": "application/problem+json"}
            )
        return httpx.Response(404, text="not found")

    def _login(self, body: dict) -> httpx.Response:
        self.logins.append(body)
        request = LoginRequest.model_validate(body)
        if request.password != self.password:
            raise AuthError("wrong login or password")
        response = LoginResponse(
            token=self.token,
            client_id=request.client_id or self.client_id,
            expires_at=datetime.now(UTC) + timedelta(days=14),
            login=request.login,
            name="Ana García",
            role="seller",
            team_code="NORTE",
            home_warehouse="MAD",
        )
        return httpx.Response(200, content=response.model_dump_json(), headers={"content-type": "application/json"})

    def _stream(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.stream_requests.append(params)
        frames = []
        for _ in range(self.pages_per_stream):
            try:
                page = self._page(request, params)
            except DomainError:
                if not frames:
                    raise  # the answer's status, as the real server gives it
                break  # a later page's problem ends the stream quietly, as on the real server
            frames.append(frame(page.model_dump_json().encode()))
            if not page.has_more:
                break
            params = {**params, "cursor": str(page.cursor), "with_total": "false"}
        return httpx.Response(200, content=b"".join(frames), headers={"content-type": PULL_STREAM_MEDIA_TYPE})

    def _pull(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        page = self._page(request, params)
        return httpx.Response(200, content=page.model_dump_json(), headers={"content-type": "application/json"})

    def _page(self, request: httpx.Request, params: dict[str, str]) -> PullResponse:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            raise AuthError("unknown token; sign in again")
        self.pull_requests.append(params)
        if self.fail_after_pages is not None and len(self.pull_requests) > self.fail_after_pages:
            raise self.failure
        if self.stale_once:
            self.stale_once = False
            raise StaleCursor("cursor too old", epoch=self.epoch)
        cursor, limit = int(params["cursor"]), int(params["limit"])
        remaining = [c for c in self.log if c.seq > cursor]
        changes = remaining[:limit]
        return PullResponse(
            changes=changes,
            cursor=changes[-1].seq if changes else cursor,
            has_more=len(remaining) > limit,
            last_mutation_id=0,
            epoch=self.epoch,
            total_changes=len(remaining) if params.get("with_total") == "true" else None,
        )

    @property
    def push_requests(self) -> list[dict]:
        """Every push body received, decoded."""
        return [json.loads(body) for body in self.push_bodies]

    def _push(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            raise AuthError("unknown token; sign in again")
        self.push_bodies.append(request.content)
        if self.push_failures:
            failure = self.push_failures.pop(0)
            if isinstance(failure, httpx.Response):
                return failure
            if failure is not None:
                raise failure
        if len(request.content) > self.max_push_bytes:
            raise PayloadTooLarge("too large", max_bytes=self.max_push_bytes)
        batch = PushRequest.model_validate_json(request.content)
        results = []
        for mutation in batch.mutations:
            if mutation.id <= self.last_mutation_id:
                results.append(self.ledger[mutation.id])
                continue
            if mutation.id != self.last_mutation_id + 1:
                raise MutationGap(f"expected {self.last_mutation_id + 1}", expected=self.last_mutation_id + 1)
            result = self._decide(mutation)
            if result.status == "applied":
                self.applied.append(mutation)
            self.ledger[mutation.id] = result
            self.last_mutation_id = mutation.id
            results.append(result)
        if self.drop_push_responses:
            self.drop_push_responses -= 1
            raise httpx.ReadError("connection reset after the server applied the push", request=request)
        body = PushResponse(last_mutation_id=self.last_mutation_id, results=results)
        return httpx.Response(200, content=body.model_dump_json(), headers={"content-type": "application/json"})

    def _decide(self, mutation: Mutation) -> MutationResult:
        if mutation.name not in self.known_mutations:
            error = ValidationFailed(f"this server does not know the mutation {mutation.name!r}")
            return MutationResult(id=mutation.id, status="rejected", code=error.code, detail=error.detail)
        return MutationResult(**{"id": mutation.id, "status": "applied", **self.verdicts.get(mutation.id, {})})
