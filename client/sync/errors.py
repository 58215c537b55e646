"""Failures of talking to the sync server that are not domain errors.

    SyncError
    ├── Offline       the server cannot be reached, timed out or is temporarily down:
    │                 keep working locally and retry later (never a crash dialog)
    └── BadResponse   something answered that does not speak protocol v1 (wrong server
                      URL, a captive portal's page): a setup problem to show to the user

Errors the server states itself arrive as problem+json and are raised as the matching
`shared.errors.DomainError` subclass (AuthError, StaleCursor, UnsupportedVersion, ...).
"""


class SyncError(Exception):
    """Base of transport-level sync failures."""


class Offline(SyncError):
    """The server is unreachable or temporarily unavailable; retry later."""


class BadResponse(SyncError):
    """The answer is not a protocol v1 message."""


__all__ = ["BadResponse", "Offline", "SyncError"]
