"""Refuse, before any route runs, a path or query string with control characters.

JSON bodies are checked field by field by their models (shared/models/types.py); the text
in a URL is not always read into one, and a NUL reaching PostgreSQL is an error that the
request, not the server, caused. So it never gets that far: 422 problem+json.
"""

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.errors import ValidationFailed
from sync_server.api.errors import problem_response

_CONTROL_BYTES = frozenset(range(0x20)) | {0x7F}


class ControlCharacterGuard:
    """ASGI middleware: 422 for a request whose path or query holds a control character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            where = _control_character_in(scope)
            if where is not None:
                error = ValidationFailed(
                    f"the request's {where} contains a control character",
                    key="problem.request.control_character",
                    where=where,
                )
                await problem_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _control_character_in(scope: Scope) -> str | None:
    path = scope.get("raw_path") or scope.get("path", "").encode()
    if _CONTROL_BYTES.intersection(unquote_to_bytes(path)):
        return "path"
    query = scope.get("query_string", b"")
    if _CONTROL_BYTES.intersection(unquote_to_bytes(query.replace(b"+", b" "))):
        return "query"
    return None


__all__ = ["ControlCharacterGuard"]
