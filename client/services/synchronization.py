"""A sync round for the signed-in user, and the engine that runs rounds in the background.

A round is, in this order (DESIGN §4.12): push the outbox, pull until caught up, verify
the checkpoint. `background_sync` builds the session's `SyncEngine`, which runs rounds
every few minutes, soon after each local write and on demand — one at a time.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from client.services.company import refresh_company
from client.services.dashboard import REFRESH_AFTER, refresh_metrics
from client.services.files import upload_kept_files
from client.services.policies import refresh_policies
from client.services.quote_sending import release_approved_sends
from client.services.session import Session, forget_device
from client.store import count_open_issues, count_pending, last_queued, read_state
from client.sync import (
    Backoff,
    ProgressCallback,
    PullResult,
    PushResult,
    SyncEngine,
    SyncError,
    pull_until_caught_up,
    push_outbox,
)
from client.sync.engine import DEFAULT_NUDGE_DELAY_SECONDS
from client.sync.verify import Verification, verify_checkpoint
from shared.errors import AuthError, DeviceRevoked, DomainError

DEFAULT_SYNC_INTERVAL_MINUTES = 5.0


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows about sync, read from the local store only."""

    has_data: bool
    """False until a first pull has committed a page: show the first-sync screen."""
    last_success_at: datetime | None
    """When the device was last caught up with the server (UTC)."""
    unsynced: int
    """Local changes the server has not accepted yet."""
    issues: int = 0
    """Rejected changes and merge conflicts waiting for the seller."""


@dataclass(frozen=True, slots=True)
class SyncRound:
    """What one round did."""

    pushed: PushResult
    pulled: PullResult
    verified: Verification | None = None
    """What checkpoint verification found and repaired (None: not run)."""


def sync_now(session: Session, progress: ProgressCallback | None = None) -> SyncRound:
    """Run one round (push, pull, verify); blocking — call it from a worker thread.

    Raises Offline (retry later), AuthError (sign in again), DeviceRevoked, OutboxOutOfStep.
    On DeviceRevoked the user's local data is wiped first, as an administrator asked; the
    session is closed and the app must return to the sign-in screen.
    """
    try:
        # Push first: the pull then brings our own accepted changes back with their
        # server versions, and pending rows are re-applied over what it brings.
        pushed = _upload_then_push(session)
        pulled = pull_until_caught_up(session.store, session.api, progress, page_size=session.settings.pull_page_size)
        verified = _verify_checkpoint(session, pulled)
        refresh_policies(session)
        refresh_company(session)
        if release_approved_sends(session):
            # An approval just arrived for a send the seller queued: send it in this round.
            pushed = pushed.then(_upload_then_push(session))
        # Last: the figures wait for the round's own work (a released send goes first).
        _refresh_dashboard(session, moved=pushed.acknowledged > 0 or pulled.changes > 0)
    except DeviceRevoked:
        forget_device(session)
        raise
    return SyncRound(pushed=pushed, pulled=pulled, verified=verified)


def _upload_then_push(session: Session) -> PushResult:
    """Files go before the mutations that name them (a quote's PDF before its send): only the
    mutations queued before the upload began are pushed. One the seller queues meanwhile (a
    quote sent while the round runs) may name a file not uploaded yet; it waits for the next
    round, which the engine runs soon after, instead of being refused for a missing PDF."""
    with session.store.read() as db:
        up_to = last_queued(db)
    upload_kept_files(session)
    return push_outbox(session.store, session.api, up_to=up_to)


def _refresh_dashboard(session: Session, moved: bool = False) -> None:
    # The dashboard's figures as of this round (it opens offline on them). They are not the
    # round's data: a server slow or failing to compute them leaves the last ones and the
    # round a success. A round that moved records (a manager's decisions pushed, her team's
    # quotes pulled) fetches them again however young the kept ones are: the server keeps
    # the figures, so a snapshot costs it little, and the manager expects to see what she
    # just did.
    try:
        refresh_metrics(session, max_age=timedelta(0) if moved else REFRESH_AFTER)
    except (DeviceRevoked, AuthError):
        raise
    except (SyncError, DomainError) as exc:
        log.warning("metrics snapshot not refreshed: %s", exc)


def _verify_checkpoint(session: Session, pulled: PullResult) -> Verification:
    # Step 3 of the round (DESIGN §4.7): compare per-bucket counts and checksums with the
    # checkpoint stored with the caught-up page, and re-sync only a bucket that disagrees.
    return verify_checkpoint(session.store, session.api, page_size=session.settings.pull_page_size)


def sync_status(session: Session) -> SyncStatus:
    """The session's sync position and backlog, without touching the network."""
    with session.store.read() as db:
        state = read_state(db)
        unsynced = count_pending(db)
        issues = count_open_issues(db)
    return SyncStatus(
        has_data=state.cursor > 0, last_success_at=state.last_success_at, unsynced=unsynced, issues=issues
    )


def background_sync(
    session: Session,
    *,
    interval_minutes: float = DEFAULT_SYNC_INTERVAL_MINUTES,
    nudge_delay_seconds: float = DEFAULT_NUDGE_DELAY_SECONDS,
    backoff: Backoff | None = None,
    rng: Callable[[], float] = random.random,
) -> SyncEngine:
    """The session's background sync engine, nudged by every recorded change.

    Call `start()` on it inside the running event loop and `await stop()` before the
    session's store is closed (sign-out). One engine per session.
    """
    engine = SyncEngine(
        session.store,
        partial(sync_now, session),
        interval_seconds=interval_minutes * 60,
        nudge_delay_seconds=nudge_delay_seconds,
        backoff=backoff,
        rng=rng,
    )
    session.on_local_write = engine.nudge
    return engine


from client.sync import Offline, PullProgress, SyncEngine  # noqa: E402  (re-exported: views import services only)
from client.sync.status import Connection, SyncEngineStatus  # noqa: E402

__all__ = [
    "Connection",
    "Offline",
    "PullProgress",
    "SyncEngine",
    "SyncEngineStatus",
    "DEFAULT_SYNC_INTERVAL_MINUTES",
    "SyncRound",
    "SyncStatus",
    "background_sync",
    "sync_now",
    "sync_status",
]
