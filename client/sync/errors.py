"""Failures of talking to the sync server that are not domain errors.

    SyncError
    ├── Offline             the server cannot be reached, timed out or is temporarily down:
    │   │                   keep working locally and retry later (never a crash dialog)
    │   └── ServerBusy      something answered, with a transient failure (503, 502, 429, ...):
    │                       the network is up, the same request may be sent again later
    ├── BadResponse         something answered that does not speak protocol v1 (wrong server
    │                       URL, a captive portal's page): a setup problem to show to the user
    ├── NoPullStream        the server has no pull stream (an older one): pull page by page
    ├── OutboxOutOfStep     the server expects other mutation ids than the outbox holds
    │                       (device registered anew, server database restored): needs support
    └── MutationTooLarge    one outbox mutation alone is over the push byte bound

Errors the server states itself arrive as problem+json and are raised as the matching
`shared.errors.DomainError` subclass (AuthError, StaleCursor, UnsupportedVersion, ...).
"""


class SyncError(Exception):
    """Base of transport-level sync failures."""


class Offline(SyncError):
    """The server is unreachable or temporarily unavailable; retry later."""


class ServerBusy(Offline):
    """The server (or its proxy) answered with a transient failure; retry later."""


class BadResponse(SyncError):
    """The answer is not a protocol v1 message."""


class NoPullStream(SyncError):
    """The server does not stream pull pages; ask for them one request at a time."""


class OutboxOutOfStep(SyncError):
    """The server's next expected mutation id does not match the outbox; pushing stops.

    `expected` is the id the server waits for, `first_pending` the outbox's oldest id.
    """

    def __init__(self, message: str, *, expected: int, first_pending: int) -> None:
        super().__init__(message)
        self.expected = expected
        self.first_pending = first_pending


class MutationTooLarge(SyncError):
    """A single mutation does not fit in a push batch; it can never be sent as it is."""


__all__ = ["BadResponse", "MutationTooLarge", "NoPullStream", "Offline", "OutboxOutOfStep", "ServerBusy", "SyncError"]
