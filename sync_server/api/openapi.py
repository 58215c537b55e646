"""OpenAPI: the problem+json answers each route declares (every status it can return)."""

from typing import Any

from pydantic import BaseModel, ConfigDict

_DESCRIPTIONS = {
    400: "Bad request",
    401: "Not signed in: no token, an unknown or expired one, or a revoked device (code device_revoked: wipe)",
    403: "Signed in, but not allowed (role, owner or scope)",
    404: "Not found, or not visible to the caller",
    405: "Method not allowed (the Allow header lists the methods)",
    409: "Conflict with the server's state",
    410: "Full resync needed",
    413: "Request too large (body, JSON depth or headers)",
    422: "Invalid data",
    426: "Update the app: protocol or schema version not supported",
    429: "Too many attempts: wait Retry-After seconds",
    500: "The server failed (a bug), logged with a reference",
    503: "Busy or not configured: retry later",
}


class Problem(BaseModel):
    """RFC 9457 problem details, as every refusal is answered (shared/errors.py)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    key: str | None = None
    params: dict[str, Any] | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering these problem statuses (plus 500, always possible)."""
    return {
        status: {
            "model": Problem,
            "description": _DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in sorted({*statuses, 500})
    }


__all__ = ["Problem", "problems"]
