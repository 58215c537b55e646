"""Talking to the sync server: the protocol client over httpx, push, pull and the engine.

errors.py   SyncError → Offline (→ ServerBusy), BadResponse, OutboxOutOfStep, MutationTooLarge
http.py     SyncApi: login, pull, push (problem+json → DomainError, transport → Offline)
pusher.py   push_outbox: bounded batches in id order, results into sync_issues
puller.py   pull_until_caught_up with progress; resumable from the saved cursor
backoff.py  Backoff: exponential with jitter, capped
status.py   SyncEngineStatus snapshots on an observable StatusBoard
engine.py   SyncEngine: APScheduler job, one round at a time, nudges, backoff
"""

from client.sync.backoff import Backoff
from client.sync.engine import RoundOutcome, SyncEngine, SyncStopped
from client.sync.errors import BadResponse, MutationTooLarge, Offline, OutboxOutOfStep, ServerBusy, SyncError
from client.sync.http import SyncApi
from client.sync.puller import ProgressCallback, PullApi, PullProgress, PullResult, pull_until_caught_up
from client.sync.pusher import PushApi, PushResult, fit_batch, push_outbox
from client.sync.status import Connection, StatusBoard, SyncEngineStatus, describe

__all__ = [
    "Backoff",
    "BadResponse",
    "Connection",
    "MutationTooLarge",
    "Offline",
    "OutboxOutOfStep",
    "ProgressCallback",
    "PullApi",
    "PullProgress",
    "PullResult",
    "PushApi",
    "PushResult",
    "RoundOutcome",
    "ServerBusy",
    "StatusBoard",
    "SyncApi",
    "SyncEngine",
    "SyncEngineStatus",
    "SyncError",
    "SyncStopped",
    "describe",
    "fit_batch",
    "pull_until_caught_up",
    "push_outbox",
]
