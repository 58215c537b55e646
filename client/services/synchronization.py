"""A sync round for the signed-in user, as the UI and the scheduler start it.

Today a round is a pull until caught up; the sync engine of the next issue adds the push
before it and the checkpoint verification after it (DESIGN §4.12), behind this same call.
"""

from dataclasses import dataclass
from datetime import datetime

from client.services.session import Session, forget_device
from client.store import count_pending, read_state
from client.sync import ProgressCallback, PullResult, pull_until_caught_up
from shared.errors import DeviceRevoked


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows about sync, read from the local store only."""

    has_data: bool
    """False until a first pull has committed a page: show the first-sync screen."""
    last_success_at: datetime | None
    """When the device was last caught up with the server (UTC)."""
    unsynced: int
    """Local changes the server has not accepted yet."""


def sync_now(session: Session, progress: ProgressCallback | None = None) -> PullResult:
    """Run one sync round; raises Offline (retry later), AuthError (sign in again) or DeviceRevoked.

    On DeviceRevoked the user's local data is wiped first, as an administrator asked; the
    session is closed and the app must return to the sign-in screen.
    """
    try:
        return pull_until_caught_up(session.store, session.api, progress,
                                    page_size=session.settings.pull_page_size)
    except DeviceRevoked:
        forget_device(session)
        raise


def sync_status(session: Session) -> SyncStatus:
    """The session's sync position and backlog, without touching the network."""
    with session.store.read() as db:
        state = read_state(db)
        unsynced = count_pending(db)
    return SyncStatus(has_data=state.cursor > 0, last_success_at=state.last_success_at, unsynced=unsynced)


__all__ = ["SyncStatus", "sync_now", "sync_status"]
