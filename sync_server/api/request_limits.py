"""Limits enforced while a request arrives: before authentication and before any parsing.

An ASGI middleware, outermost but for the error rendering, so nothing reads more than it may:

- headers: each at most `MAX_HEADER_BYTES`, all together at most `MAX_HEADERS_BYTES` → 431;
- body: at most the limit of its route (`body_limit`): a declared Content-Length over it is
  refused before a byte is read, and a body that streams past it (chunked, or lying about its
  length) is cut off as soon as it does → 413;
- JSON nesting: a JSON body deeper than `MAX_JSON_DEPTH` is refused as it streams → 413.

A slow request (a client trickling bytes) is not timed here: uvicorn and the proxy in front
bound it (docs/security.md, "Slow requests").
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import DomainError, HeadersTooLarge, PayloadTooLarge
from shared.models.company import MAX_LOGO_BYTES
from shared.protocol import MAX_PUSH_BYTES
from sync_server.api.errors import problem_response

MAX_HEADER_BYTES = 8 * 1024
MAX_HEADERS_BYTES = 32 * 1024
MAX_BODY_BYTES = 64 * 1024
"""Every body but a push or an attachment chunk: sign-in, a decision, a policy."""
MAX_JSON_DEPTH = 32
"""Deeper than any message of the protocol (a push is about 6 levels deep)."""


def body_limit(path: str, attachment_bytes: int) -> int:
    """The largest body a request to `path` may carry."""
    if path == "/v1/sync/push":
        return MAX_PUSH_BYTES
    if path.startswith("/v1/attachments/"):
        return attachment_bytes
    if path == "/v1/admin/company/logo":
        return MAX_LOGO_BYTES
    return MAX_BODY_BYTES


class LimitExceeded(HTTPException):
    """Raised from `receive` while the app reads the body. An HTTPException because FastAPI
    turns any other error met reading a body into a 400; `api.errors` renders `error`."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.status, error.detail)
        self.error = error


_STRUCTURE = b'"\\[]{}'
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in _STRUCTURE)


class JsonDepth:
    """Nesting depth of a JSON text fed in pieces (strings and escapes followed across pieces)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def feed(self, piece: bytes) -> bool:
        """Whether the text so far stays within the limit."""
        # Only quotes, backslashes and brackets matter: the rest is dropped in C first.
        for byte in piece.translate(None, _NOT_STRUCTURE):
            if self.escaped:
                self.escaped = False
            elif self.in_string:
                if byte == 0x5C:  # backslash
                    self.escaped = True
                elif byte == 0x22:
                    self.in_string = False
            elif byte == 0x22:
                self.in_string = True
            elif byte in (0x5B, 0x7B):
                self.depth += 1
                if self.depth > self.limit:
                    return False
            elif byte in (0x5D, 0x7D):
                self.depth -= 1
        return True


class RequestLimits:
    """ASGI middleware: headers, body size and JSON depth refused as they arrive (problem+json)."""

    def __init__(self, app: ASGIApp, attachment_bytes: int) -> None:
        self.app = app
        self.attachment_bytes = attachment_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error = _header_problem(scope)
        limit = body_limit(scope["path"], self.attachment_bytes)
        declared = _content_length(scope)
        if error is None and declared is not None and declared > limit:
            error = _too_large(limit)
        if error is not None:
            await problem_response(error)(scope, receive, send)
            return
        await self.app(scope, _limited(scope, receive, limit), send)


def _limited(scope: Scope, receive: Receive, limit: int) -> Receive:
    received = 0
    depth = JsonDepth(MAX_JSON_DEPTH) if _is_json(scope) else None

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            piece = message.get("body", b"")
            received += len(piece)
            if received > limit:
                raise LimitExceeded(_too_large(limit))
            if depth is not None and not depth.feed(piece):
                raise LimitExceeded(
                    PayloadTooLarge(
                        f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels",
                        key="problem.request.too_deep",
                        params={"max": MAX_JSON_DEPTH},
                        max_depth=MAX_JSON_DEPTH,
                    )
                )
        return message

    return limited_receive


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"this request may carry at most {limit} bytes",
        key="problem.request.too_large",
        params={"max_bytes": limit},
        max_bytes=limit,
    )


def _header_problem(scope: Scope) -> DomainError | None:
    total = 0
    for name, value in scope.get("headers", []):
        size = len(name) + len(value)
        total += size
        if size > MAX_HEADER_BYTES or total > MAX_HEADERS_BYTES:
            return HeadersTooLarge(
                f"request headers may have at most {MAX_HEADER_BYTES} bytes each and {MAX_HEADERS_BYTES} in all",
                key="problem.request.headers_too_large",
            )
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return value.split(b";")[0].strip().lower().endswith(b"json")
    return False


__all__ = [
    "MAX_BODY_BYTES",
    "MAX_HEADERS_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_JSON_DEPTH",
    "LimitExceeded",
    "RequestLimits",
    "body_limit",
]
