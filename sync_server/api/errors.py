"""The one place errors become RFC 9457 problem+json responses."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import DomainError, ValidationFailed
from shared.invalid_input import problem_lines
from sync_server.services.database_failures import as_domain_error
from sync_server.services.transactions import DatabaseError as DBAPIError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


PROBLEM_HEADER = "Terreno-Problem"
"""Every problem response names its code in this header too: a HEAD answer has no body, and
a revoked device must read `device_revoked` (wipe) on it as on any other answer."""


def problem_response(error: DomainError) -> JSONResponse:
    """Render a DomainError as problem+json with its HTTP status."""
    headers = {PROBLEM_HEADER: error.code}
    if error.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if "retry_after" in error.extra:
        headers["Retry-After"] = str(error.extra["retry_after"])
    return JSONResponse(error.to_problem(), status_code=error.status, media_type=PROBLEM_JSON, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error raised in a request through `problem_response`."""

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = problem_lines(exc.errors(), skip={"body"})
        return problem_response(ValidationFailed("; ".join(problems), errors=problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        carried = getattr(exc, "error", None)  # request_limits.LimitExceeded: a body over a bound
        if isinstance(carried, DomainError):
            return problem_response(carried)
        if exc.status_code == 400:
            # FastAPI's answer to a body it cannot decode (not UTF-8): invalid data, as push
            # and every other unreadable body are answered, with the status routes declare.
            return problem_response(ValidationFailed("the request body is not JSON in UTF-8", where="body"))
        error = DomainError(str(exc.detail))
        body = {
            **error.to_problem(),
            "status": exc.status_code,
            "code": f"http_{exc.status_code}",
            "title": str(exc.detail),
        }
        headers = {**(exc.headers or {}), PROBLEM_HEADER: body["code"]}
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON, headers=headers)

    @app.exception_handler(DBAPIError)
    async def _database(_request: Request, exc: DBAPIError) -> JSONResponse:
        # The input's fault (a value the database refuses) or passing trouble: never a 500.
        error = as_domain_error(exc)
        if error is None:
            return await _unexpected(_request, exc)
        log.warning("database error answered as %s: %s", error.code, exc.orig)
        return problem_response(error)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        body = {
            "type": "about:blank",
            "title": "Internal error",
            "status": 500,
            "code": "internal_error",
            "detail": "the server failed; the request can be retried",
        }
        return JSONResponse(body, status_code=500, media_type=PROBLEM_JSON, headers={PROBLEM_HEADER: "internal_error"})


__all__ = ["PROBLEM_HEADER", "PROBLEM_JSON", "install_error_handlers", "problem_response"]
