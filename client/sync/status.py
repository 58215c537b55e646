"""What the background sync is doing, as the UI shows it: an observable status.

The engine replaces the `SyncEngineStatus` snapshot on every change and calls the
subscribers with the new one, on the event loop. A subscriber renders and returns at once:
it must not block (the UI calls `.update()` on its controls there).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from client.sync.errors import BadResponse, MutationTooLarge, Offline, OutboxOutOfStep, ServerBusy
from shared.errors import AuthError, DeviceRevoked, DomainError, RetryLater, UnsupportedVersion
from shared.messages import Params, message

log = logging.getLogger(__name__)


class Connection(StrEnum):
    """Whether the last attempt reached the server."""

    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class SyncEngineStatus:
    """One snapshot of the background sync, for the status bar."""

    connection: Connection = Connection.UNKNOWN
    is_syncing: bool = False
    last_success_at: datetime | None = None
    """When the device was last caught up with the server (UTC)."""
    pending: int = 0
    """Local changes the server has not acknowledged yet."""
    issues: int = 0
    """Rejections and conflicts waiting for the seller (sync_issues)."""
    last_error: Params | None = None
    """The last failure as a message for the seller (shared.messages); None after a success."""
    retry_in_seconds: float | None = None
    """Backoff before the next automatic attempt after a failure; None when all is well."""
    next_attempt_at: datetime | None = None
    needs_sign_in: bool = False
    """The token was refused or the device revoked: automatic sync has stopped."""

    @property
    def needs_attention(self) -> bool:
        """Whether the seller has something to look at (issues, or must sign in)."""
        return self.issues > 0 or self.needs_sign_in


Subscriber = Callable[[SyncEngineStatus], Any]


class StatusBoard:
    """Holds the current status and tells subscribers about each new one."""

    def __init__(self) -> None:
        self.current = SyncEngineStatus()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback` with the current status now and after every change; returns unsubscribe."""
        self._subscribers.append(callback)
        self._notify(callback, self.current)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def update(self, **changes: Any) -> SyncEngineStatus:
        """Replace some fields; subscribers hear of it only if something changed."""
        new = replace(self.current, **changes)
        if new != self.current:
            self.current = new
            for callback in list(self._subscribers):
                self._notify(callback, new)
        return self.current

    @staticmethod
    def _notify(callback: Subscriber, status: SyncEngineStatus) -> None:
        try:
            callback(status)
        except Exception:  # a broken view must not stop the sync
            log.exception("sync status subscriber failed")


def connection_after(error: BaseException | None, previous: Connection) -> Connection:
    """What a failed round says about the connection: something answered, or nothing did."""
    if isinstance(error, ServerBusy | DomainError):
        return Connection.ONLINE
    if isinstance(error, Offline):
        return Connection.OFFLINE
    return previous  # a local failure says nothing about the network


def describe(error: BaseException) -> Params:
    """A sync failure as a message the app says in the seller's language (`sync.failure.*`)."""
    if isinstance(error, DeviceRevoked):
        return message("sync.failure.device_revoked")
    if isinstance(error, AuthError):
        return message("sync.failure.sign_in")
    if isinstance(error, ServerBusy | RetryLater):
        return message("sync.failure.busy")
    if isinstance(error, Offline):
        return message("sync.failure.offline")
    if isinstance(error, UnsupportedVersion):
        return message("sync.failure.update_app")
    if isinstance(error, OutboxOutOfStep | MutationTooLarge):
        return message("sync.failure.cannot_send")
    if isinstance(error, BadResponse):
        return message("sync.failure.not_terreno")
    if isinstance(error, DomainError):
        return message(error.key, **error.params) if error.key else message("sync.failure.server", detail=error.detail)
    return message("sync.failure.unexpected")


__all__ = ["Connection", "StatusBoard", "Subscriber", "SyncEngineStatus", "connection_after", "describe"]
