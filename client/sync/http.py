"""HTTP client of sync protocol v1 (DESIGN §4), over httpx.

Only this module knows about HTTP. It speaks in protocol messages and raises three kinds
of failure: the server's own problem+json as the matching `DomainError`, `Offline` when the
server cannot be reached (`ServerBusy`, a kind of Offline, when it answered with a
transient failure such as 503), `BadResponse` when whatever answered
does not speak the protocol. Tests swap the transport (`httpx.MockTransport`, or the
transport of Starlette's `TestClient` to run the real server in-process).
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote as quote_path

import httpx
from pydantic import BaseModel, ValidationError

from client.sync.content_coding import ACCEPT_ENCODING
from client.sync.errors import BadResponse, NoPullStream, Offline, ServerBusy
from client.sync.pull_wire import PulledPage, StreamedPage, decode_pull_page
from shared.errors import AuthError, error_from_problem
from shared.models.field import Quote
from shared.protocol import (
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    BucketSnapshot,
    DelegationCreate,
    DelegationPublic,
    LoginRequest,
    LoginResponse,
    PushRequest,
    PushResponse,
)
from shared.pull_stream import MEDIA_TYPE as PULL_STREAM_MEDIA_TYPE
from shared.pull_stream import BrokenFrame, FrameReader
from shared.rules.server_address import check_server_address

if TYPE_CHECKING:
    from client.settings import ClientSettings

M = TypeVar("M", bound=BaseModel)

_USER_AGENT = f"terreno-client/protocol-{PROTOCOL_VERSION}"
# Statuses a proxy or a restarting server answers with: the server is just not there now.
_TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})


class SyncApi:
    """Protocol client bound to one server; set `token` after signing in."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        connect_timeout: float = 10.0,
        request_timeout: float = 60.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        """`http_client` (e.g. Starlette's TestClient) replaces the client built here; the
        caller keeps owning it and `base_url` is then ignored."""
        self.token = token
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            base_url=base_url,
            transport=transport,
            timeout=httpx.Timeout(request_timeout, connect=connect_timeout),
        )

    @classmethod
    def from_settings(
        cls, settings: "ClientSettings", *, token: str | None = None, transport: httpx.BaseTransport | None = None
    ) -> "SyncApi":
        """Client configured from `ClientSettings` (server URL and timeouts).

        ValidationFailed for an address the app refuses: plain http to another machine
        without `allow_plain_http` (shared/rules/server_address.py).
        """
        url = check_server_address(settings.server_url, allow_plain_http=settings.allow_plain_http)
        return cls(
            url,
            token=token,
            transport=transport,
            connect_timeout=settings.connect_timeout_seconds,
            request_timeout=settings.request_timeout_seconds,
        )

    def login(self, request: LoginRequest) -> LoginResponse:
        """Sign in (registering the device on first use); does not store the token."""
        response = self._send("POST", "/v1/auth/login", json=request.model_dump(mode="json"))
        return _parse(LoginResponse, response)

    def pull(
        self, cursor: int, limit: int, *, epoch: str | None = None, with_total: bool = False, floor: int | None = None
    ) -> PulledPage:
        """One page of changes after `cursor` in the token's scope.

        `epoch` is the server epoch the cursor belongs to (a different one answers
        StaleCursor); `with_total` asks for `total_changes`, which costs the server a count;
        `floor` is the floor of the last page applied (see PullResponse.floor).
        """
        params = _pull_params(cursor, limit, epoch, with_total, floor)
        return decode_pull_page(self._send("GET", "/v1/sync/pull", params=params, auth=True).content)

    def pull_stream(
        self, cursor: int, limit: int, *, epoch: str | None = None, with_total: bool = False, floor: int | None = None
    ) -> Iterator[StreamedPage]:
        """The pages after `cursor` from one streaming response, each as soon as it is whole
        (its place read; `decoded()` gives the rest, on the thread that wants it).

        The same pages as `pull` one after another, without a round trip between them.
        The stream may end before the pages are caught up (ask again from the last one);
        cut mid-page, it raises Offline after the whole pages. A server without the stream
        (an older one) raises NoPullStream before any page: use `pull`.
        """
        params = _pull_params(cursor, limit, epoch, with_total, floor)
        try:
            with self._http.stream(
                "GET", "/v1/sync/pull/stream", params=params, headers=self._headers(auth=True)
            ) as response:
                if not response.is_success:
                    response.read()
                    if response.status_code == 404 and _problem_of(response) is None:
                        # No such route (an older server), not a problem the server states.
                        raise NoPullStream("this server has no pull stream")
                    raise _error_of(response)
                reader = FrameReader()
                for chunk in response.iter_bytes():
                    for body in reader.feed(chunk):
                        yield StreamedPage.of(body)
                if reader.has_partial_frame:
                    raise Offline("the pull stream was cut in the middle of a page")
        except httpx.RequestError as exc:  # cut connection, timeout, bad compressed data
            raise Offline(f"server unreachable: {exc.__class__.__name__}: {exc}") from exc
        except BrokenFrame as exc:
            raise BadResponse(f"not a pull stream: {exc}") from exc

    def bucket(self, name: str, *, after: str | None = None, limit: int) -> BucketSnapshot:
        """One page of a bucket's current records (a device repairs a bucket that disagreed)."""
        params: dict[str, Any] = {"name": name, "limit": limit}
        if after:
            params["after"] = after
        return _parse(BucketSnapshot, self._send("GET", "/v1/sync/bucket", params=params, auth=True))

    def push(self, request: PushRequest) -> PushResponse:
        """Send a batch of mutations; the server processes each id exactly once.

        Raises MutationGap (with `expected`) when the batch does not start where the
        server is, PayloadTooLarge over its byte bound, Offline/ServerBusy to retry later.
        """
        response = self._send(
            "POST", "/v1/sync/push", content=push_body(request), content_type="application/json", auth=True
        )
        return _parse(PushResponse, response)

    def policies(self) -> dict[str, Any]:
        """The approval and credit policies in force, by name, as JSON (applied offline)."""
        body = self._send("GET", "/v1/policies", auth=True).json()
        if not isinstance(body, dict):
            raise BadResponse("GET /v1/policies did not answer an object")
        return body

    def delegations(self) -> list[DelegationPublic]:
        """The approval delegations the signed-in manager gave or holds, today's and later."""
        body = self._send("GET", "/v1/approvals/delegations", auth=True).json()
        if not isinstance(body, list):
            raise BadResponse("GET /v1/approvals/delegations did not answer a list")
        try:
            return [DelegationPublic.model_validate(item) for item in body]
        except ValidationError as exc:
            raise BadResponse(f"unreadable delegation: {exc}") from None

    def delegate(self, request: DelegationCreate) -> DelegationPublic:
        """Hand the signed-in manager's approvals to another manager for a range of days."""
        response = self._send("POST", "/v1/approvals/delegations", json=request.model_dump(mode="json"), auth=True)
        return _parse(DelegationPublic, response)

    def cancel_delegation(self, delegation_id: str) -> None:
        """End a delegation the signed-in manager gave."""
        self._send("DELETE", f"/v1/approvals/delegations/{delegation_id}", auth=True)

    def call_json(self, method: str, path: str, body: Any = None) -> Any:
        """A signed-in JSON request (the administrator's calls, client.sync.admin_api); its
        JSON answer, None for 204. Problems, transport failures and bad answers raise as above."""
        response = self._send(method, path, json=body, auth=True)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise BadResponse(f"{method} {path} did not answer JSON") from None

    def colleague_drafts(self, customer_code: str) -> list[Quote]:
        """Drafts other sellers left for a customer now in this seller's portfolio."""
        body = self._send("GET", f"/v1/customers/{quote_path(customer_code)}/drafts", auth=True).json()
        if not isinstance(body, list):
            raise BadResponse("GET /v1/customers/…/drafts did not answer a list")
        try:
            return [Quote.model_validate(item) for item in body]
        except ValidationError as exc:
            raise BadResponse(f"a colleague's draft could not be read: {exc.error_count()} problems") from exc

    def company(self) -> dict[str, Any]:
        """The company profile (its `profile` null before one was imported) and its logo's SHA-256."""
        body = self._send("GET", "/v1/company", auth=True).json()
        if not isinstance(body, dict) or "profile" not in body:
            raise BadResponse("GET /v1/company did not answer a company profile")
        return body

    def company_logo(self) -> bytes:
        """The company logo's bytes."""
        return self._send("GET", "/v1/company/logo", auth=True).content

    def metrics(self, segment: str | None = None, category: str | None = None) -> dict[str, Any]:
        """The caller's pre-invoice metrics snapshot (docs/metrics.md), as JSON; narrowed to a
        customer segment or a top-level product category when given."""
        params = {k: v for k, v in (("segment", segment), ("category", category)) if v is not None}
        body = self._send("GET", "/v1/metrics", auth=True, params=params).json()
        if not isinstance(body, dict) or "as_of" not in body:
            raise BadResponse("GET /v1/metrics did not answer a metrics snapshot")
        return body

    def _headers(self, *, auth: bool = False, content_type: str | None = None) -> dict[str, str]:
        headers = {
            "Accept": f"application/json, application/problem+json, {PULL_STREAM_MEDIA_TYPE}",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": _USER_AGENT,
        }
        if content_type:
            headers["Content-Type"] = content_type
        if auth:
            if not self.token:
                raise AuthError("not signed in: no token for this request")
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _send(
        self, method: str, path: str, *, auth: bool = False, content_type: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = self._headers(auth=auth, content_type=content_type)
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.RequestError as exc:  # connect, timeout, cut connection, bad gzip
            raise Offline(f"server unreachable: {exc.__class__.__name__}: {exc}") from exc
        if response.is_success:
            return response
        raise _error_of(response)

    def close(self) -> None:
        """Close the connection pool (unless the caller passed its own client)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> "SyncApi":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _error_of(response: httpx.Response) -> Exception:
    problem = _problem_of(response)
    if response.status_code in _TRANSIENT:
        # The server (or a proxy) failed this time; the request can be retried as it is.
        detail = (problem or {}).get("detail") or f"HTTP {response.status_code}"
        return ServerBusy(f"server unavailable: {detail}")
    if problem is not None:
        return error_from_problem(problem)
    if response.status_code == 401:  # a server that names no problem: still not signed in
        return AuthError("session expired or unknown; sign in again")
    return BadResponse(f"unexpected HTTP {response.status_code} from {response.request.url}")


PROBLEM_HEADER = "Terreno-Problem"
"""The server names a problem's code in this header on every problem answer: a HEAD answer
has no body, and a revoked device must read `device_revoked` on it as on any other."""


def _problem_of(response: httpx.Response) -> dict[str, Any] | None:
    """The problem an answer states: its problem+json body, else the code in its header."""
    body = _problem_body(response)
    if body is not None:
        return body
    code = response.headers.get(PROBLEM_HEADER, "").strip()
    if not code:
        return None
    return {"code": code, "status": response.status_code, "detail": f"HTTP {response.status_code}: {code}"}


def _problem_body(response: httpx.Response) -> dict[str, Any] | None:
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type or not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    # FastAPI's own errors ({"detail": ...}) are not problems; only a body with a code is.
    return body if isinstance(body, dict) and isinstance(body.get("code"), str) else None


def _pull_params(cursor: int, limit: int, epoch: str | None, with_total: bool, floor: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "cursor": cursor,
        "limit": limit,
        "protocol_version": PROTOCOL_VERSION,
        "schema_version": SCHEMA_VERSION,
    }
    if epoch:
        params["epoch"] = epoch
    if floor is not None:
        params["floor"] = floor
    if with_total:
        params["with_total"] = "true"
    return params


def push_body(request: PushRequest) -> bytes:
    """The exact bytes a push sends (the pusher sizes its batches with this)."""
    return request.model_dump_json().encode()


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise BadResponse(f"not a {model.__name__}: {exc.error_count()} problem(s)") from exc


__all__ = ["PROBLEM_HEADER", "SyncApi", "push_body"]
