"""Domain errors shared by the app and the server.

Every error a user or a device can meet is a `DomainError` with a stable `code` (never
renamed once shipped: devices and dashboards match on it) and the HTTP status the server
answers with. The server renders them as RFC 9457 problem+json in one place; the sync
client turns problem+json back into the same class with `error_from_problem`.

    DomainError
    ├── ValidationFailed          422  a record or request is malformed
    │   ├── InvalidMutation       422  a pushed mutation's envelope cannot be read
    │   ├── InvalidValue          422  the database refused a value (out of range, NUL in text)
    │   ├── AttachmentMissing     422  a mutation names an attachment not (fully) uploaded yet
    │   ├── NoPrice               422  no valid price list prices the product at that quantity
    │   └── MissingFxRate         422  no usable exchange rate for the quote date
    ├── NotFound                  404  the thing does not exist (or is out of scope)
    ├── AuthError                 401  bad credentials, expired or unknown token
    │   └── DeviceRevoked         401  this device was revoked: wipe local data
    ├── PermissionDenied          403  signed in, but not allowed
    │   └── OutOfScope            403  the record is outside the caller's buckets
    ├── Conflict                  409  state changed underneath the caller
    │   ├── MutationGap           409  a push skipped a mutation id
    │   └── InvalidTransition     409  a status change the state machine forbids
    ├── StaleCursor               410  the pull cursor is older than retention / epoch changed
    ├── UnsupportedVersion        426  protocol or schema version the server cannot serve
    ├── PayloadTooLarge           413  a request over a size or depth bound
    ├── HeadersTooLarge           431  a request header, or all of them, over the bound
    ├── TooManyAttempts           429  too many failed sign-ins or e-mails: wait `retry_after` seconds
    ├── RetryLater                503  a transient failure: the same request may be retried
    ├── ServerFault               500  the server failed on this input (a bug); logged with a reference
    ├── EmailNotConfigured        503  the server has no SMTP settings, so quotes cannot be e-mailed
    ├── CustomerBlocked           422  quoting is not allowed for a blocked customer
    ├── ApprovalRequired          422  the quote needs an approval before it can be sent
    └── ImportFailed              422  an ERP import had bad rows (nothing was imported)

`detail` is English, for logs, the API and support. What a seller reads comes from `key`
and `params` (see `shared.messages`): the app says it in the seller's language, and falls
back to the detail for an error without a key (one "that cannot happen") or a key an older
app does not know.
"""

from typing import Any, ClassVar

from shared.messages import json_safe, message


class DomainError(Exception):
    """Base of every error Terreno shows to a user or a device."""

    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Request could not be processed"

    def __init__(
        self, detail: str, *, key: str | None = None, params: dict[str, Any] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.key = key
        """The message a seller reads, e.g. "problem.quote.no_line" (None: show the detail)."""
        self.params: dict[str, Any] = json_safe(params or {})
        """The message's values, JSON-safe (see shared.messages)."""
        self.extra = extra

    def as_message(self) -> Any:
        """This error as a sentence inside another message (its English detail when it has no key)."""
        return message(self.key, **self.params) if self.key else self.detail

    def to_problem(self) -> dict[str, Any]:
        """RFC 9457 problem body: type, title, status, detail, code, key, params and extra members."""
        keyed = {"key": self.key, "params": self.params} if self.key else {}
        return {
            "type": f"https://terreno.app/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            **keyed,
            **json_safe(self.extra),
        }


class ValidationFailed(DomainError):
    """A record or request is malformed."""

    code, status, title = "validation_failed", 422, "Invalid data"


class InvalidMutation(ValidationFailed):
    """A pushed mutation's envelope (its name, its arguments) cannot be read."""

    code, title = "invalid_mutation", "Unreadable change"


class InvalidValue(ValidationFailed):
    """The database refused a value of the request (out of range, a NUL in text, a bad date)."""

    code, title = "invalid_value", "Value refused"


class AttachmentMissing(ValidationFailed):
    """A mutation names an attachment (e.g. the quote PDF) that is not fully uploaded yet."""

    code, title = "attachment_missing", "Attachment not uploaded"


class NoPrice(ValidationFailed):
    """No valid price list has a price for the product at that quantity."""

    code, title = "no_price", "No price"


class MissingFxRate(ValidationFailed):
    """No usable exchange rate for the quote date."""

    code, title = "fx_rate_missing", "Exchange rate missing"


class NotFound(DomainError):
    """The thing asked for does not exist."""

    code, status, title = "not_found", 404, "Not found"


class AuthError(DomainError):
    """Bad credentials, or an expired or unknown token."""

    code, status, title = "unauthorized", 401, "Not signed in"


class DeviceRevoked(AuthError):
    """An administrator revoked this device; it must wipe its local data."""

    code, title = "device_revoked", "Device revoked"


class PermissionDenied(DomainError):
    """Signed in, but the role does not allow this."""

    code, status, title = "forbidden", 403, "Not allowed"


class OutOfScope(PermissionDenied):
    """The record lies outside the caller's buckets."""

    code, title = "out_of_scope", "Outside your portfolio"


class Conflict(DomainError):
    """State changed underneath the caller."""

    code, status, title = "conflict", 409, "Conflict"


class MutationGap(Conflict):
    """A push skipped a mutation id; `expected` says which one the server waits for."""

    code, title = "mutation_gap", "Mutation id gap"


class InvalidTransition(Conflict):
    """A status change the state machine forbids."""

    code, title = "invalid_transition", "Status change not allowed"


class StaleCursor(DomainError):
    """The pull cursor is older than the retention period, or the server epoch changed."""

    code, status, title = "stale_cursor", 410, "Full resync needed"


class UnsupportedVersion(DomainError):
    """The request's protocol or schema version is not served by this server."""

    code, status, title = "unsupported_version", 426, "Update needed"


class PayloadTooLarge(DomainError):
    """A request body over the server's bound; split it and send again."""

    code, status, title = "payload_too_large", 413, "Request too large"


class HeadersTooLarge(DomainError):
    """A request header, or all of them, over the server's bound."""

    code, status, title = "headers_too_large", 431, "Request headers too large"


class TooManyAttempts(DomainError):
    """Too many attempts in a while (failed sign-ins, e-mails sent); wait `retry_after` seconds."""

    code, status, title = "too_many_requests", 429, "Too many attempts"


class RetryLater(DomainError):
    """A transient failure on the server; the same request may be sent again later."""

    code, status, title = "retry_later", 503, "Try again later"


class ServerFault(DomainError):
    """The server failed on this input: a bug, logged under `reference`, never retried."""

    code, status, title = "internal_error", 500, "Internal error"


class EmailNotConfigured(DomainError):
    """The server has no SMTP settings, so the e-mail outbox cannot deliver."""

    code, status, title = "email_not_configured", 503, "E-mail not configured"


class PreviewUnavailable(DomainError):
    """This build of the app has no PDF renderer (pypdfium2: none for Android or iOS), so a
    quote's PDF is made and sent but not shown as pages (docs/mobile.md)."""

    code, status, title = "preview_unavailable", 501, "No PDF preview in this build"


class CustomerBlocked(DomainError):
    """Quoting is not allowed: the customer is blocked."""

    code, status, title = "customer_blocked", 422, "Customer blocked"


class ApprovalRequired(DomainError):
    """The quote needs an approval before it can be sent."""

    code, status, title = "approval_required", 422, "Approval required"


class ImportFailed(DomainError):
    """An ERP import had bad rows; nothing was imported. `errors` lists every one."""

    code, status, title = "import_failed", 422, "Import refused"

    def __init__(self, errors: list[str], count: int | None = None, counts: dict[str, int] | None = None) -> None:
        # `count` is every problem found, `counts` the same per file (in file order); `errors`
        # may show fewer of them. Without a count, each message is one problem.
        total = len(errors) if count is None else count
        per_file = counts or {}
        files = f" ({', '.join(f'{name}: {n:,}' for name, n in per_file.items())})" if len(per_file) > 1 else ""
        noun = "problem" if total == 1 else "problems"
        super().__init__(
            f"{total:,} {noun} in the export{files}; nothing was imported", errors=errors, count=total, counts=per_file
        )
        self.errors = errors
        self.count = total
        self.counts = per_file


def _all_subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


_EVERY_ERROR: list[type[DomainError]] = [DomainError, *_all_subclasses(DomainError)]
ERRORS_BY_CODE: dict[str, type[DomainError]] = {cls.code: cls for cls in _EVERY_ERROR}


def error_from_problem(problem: dict[str, Any]) -> DomainError:
    """Rebuild the DomainError a problem+json body describes (unknown codes → DomainError)."""
    cls = ERRORS_BY_CODE.get(problem.get("code", ""), DomainError)
    extra = {
        k: v for k, v in problem.items() if k not in {"type", "title", "status", "detail", "code", "key", "params"}
    }
    detail = problem.get("detail") or problem.get("title") or "unknown error"
    if cls is ImportFailed:
        counts = extra.get("counts")
        return ImportFailed(
            list(extra.get("errors", [])), extra.get("count"), dict(counts) if isinstance(counts, dict) else None
        )
    key = problem.get("key") if isinstance(problem.get("key"), str) else None
    params = problem.get("params") if isinstance(problem.get("params"), dict) else None
    return cls(detail, key=key, params=params, **extra)


__all__ = [
    "ERRORS_BY_CODE",
    "ApprovalRequired",
    "AttachmentMissing",
    "AuthError",
    "Conflict",
    "CustomerBlocked",
    "DeviceRevoked",
    "DomainError",
    "EmailNotConfigured",
    "HeadersTooLarge",
    "ImportFailed",
    "InvalidMutation",
    "InvalidTransition",
    "InvalidValue",
    "MissingFxRate",
    "MutationGap",
    "NoPrice",
    "NotFound",
    "OutOfScope",
    "PayloadTooLarge",
    "PermissionDenied",
    "PreviewUnavailable",
    "RetryLater",
    "ServerFault",
    "StaleCursor",
    "TooManyAttempts",
    "UnsupportedVersion",
    "ValidationFailed",
    "error_from_problem",
]
