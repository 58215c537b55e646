"""Talking to the sync server: the protocol client over httpx and the pull loop.

    errors.py   SyncError → Offline, BadResponse
    http.py     SyncApi: login, pull (problem+json → DomainError, transport → Offline)
    puller.py   pull_until_caught_up with progress; resumable from the saved cursor
"""

from client.sync.errors import BadResponse, Offline, SyncError
from client.sync.http import SyncApi
from client.sync.puller import PullApi, PullProgress, PullResult, ProgressCallback, pull_until_caught_up

__all__ = [
    "BadResponse",
    "Offline",
    "ProgressCallback",
    "PullApi",
    "PullProgress",
    "PullResult",
    "SyncApi",
    "SyncError",
    "pull_until_caught_up",
]
