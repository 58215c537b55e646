"""The background sync engine: one round at a time — on a schedule, after writes, on demand.

An APScheduler 3.x `AsyncIOScheduler`, created inside the running event loop (FLET.md),
holds one interval job. Rather than adding jobs, the engine moves that job's next run:
after a round to `interval` later on success, or to the backoff delay after a failure;
after a local write (`nudge`) to a couple of seconds from now. Every round — scheduled,
nudged or asked for — goes through `sync_now`, which holds a lock: requests made while a
round runs share ONE following round (the running one may have pushed before their
write). The round itself (HTTP, SQLite) runs in a worker thread: the event loop, and so
the UI, never waits for it. `status` is an observable snapshot for the status bar.

One engine per signed-in session: `start()` in the loop, `await stop()` before the
session's store is closed.
"""

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from client.store import Store, count_open_issues, count_pending, driver, read_state
from client.sync.backoff import Backoff
from client.sync.errors import SyncError
from client.sync.puller import ProgressCallback
from client.sync.status import Connection, StatusBoard, Subscriber, SyncEngineStatus, connection_after, describe
from shared.errors import AuthError, DomainError

log = logging.getLogger(__name__)

JOB_ID = "terreno-sync"
DEFAULT_INTERVAL_SECONDS = 5 * 60.0
DEFAULT_NUDGE_DELAY_SECONDS = 2.0
"""After a write, wait this long so a burst of writes (a visit, then its claim) is one round."""

RoundFunction = Callable[[ProgressCallback | None], Any]
"""A blocking sync round (push, pull, verify) taking an optional progress callback."""


class SyncStopped(SyncError):
    """The engine was stopped before the requested round could run."""


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    """How one round ended: `result` of the round function, or the `error` it raised."""

    ok: bool
    started_at: datetime
    finished_at: datetime
    result: Any = None
    error: BaseException | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class SyncEngine:
    """Runs sync rounds in the background for one session's store."""

    def __init__(
        self,
        store: Store,
        run_round: RoundFunction,
        *,
        interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
        nudge_delay_seconds: float = DEFAULT_NUDGE_DELAY_SECONDS,
        backoff: Backoff | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if interval_seconds <= 0 or nudge_delay_seconds < 0:
            raise ValueError("the sync interval must be positive and the nudge delay not negative")
        self.store = store
        self.interval_seconds = interval_seconds
        self.nudge_delay_seconds = nudge_delay_seconds
        self.backoff = backoff or Backoff()
        self.board = StatusBoard()
        self._run_round = run_round
        self._rng = rng
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task] = set()
        self._failures = 0
        self._requested = 0
        self._completed_for = 0
        self._last: RoundOutcome | None = None
        self._nudged_during_round = False
        self._paused = False
        self._stopped = False

    @property
    def status(self) -> SyncEngineStatus:
        """The current status snapshot."""
        return self.board.current

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Get every status change (on the event loop, must not block); returns unsubscribe."""
        return self.board.subscribe(callback)

    def start(self, *, sync_at_once: bool = True) -> None:
        """Start the scheduler; call inside the running event loop (e.g. Flet's async main)."""
        if self._scheduler is not None:
            raise RuntimeError("the sync engine is already started")
        self._loop = asyncio.get_running_loop()
        self._lock = asyncio.Lock()
        scheduler = AsyncIOScheduler(event_loop=self._loop, timezone=UTC)
        first = _now() if sync_at_once else _now() + timedelta(seconds=self.interval_seconds)
        # misfire_grace_time=None: a tablet waking from sleep runs the late round, not skips it.
        scheduler.add_job(
            self._scheduled_round,
            IntervalTrigger(seconds=self.interval_seconds, timezone=UTC),
            id=JOB_ID,
            next_run_time=first,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        scheduler.start()
        self._scheduler = scheduler
        self.board.update(next_attempt_at=first)
        self._spawn(self.refresh())

    async def stop(self) -> None:
        """Stop scheduling and wait for a round in progress (its thread) to finish."""
        self._stopped = True
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.remove_all_jobs()
            scheduler.shutdown(wait=False)
        # Rounds run in tasks of our own, not the scheduler's: shutting it down cannot cut
        # one off half-way, and the caller may close the store once this returns.
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        self.board.update(is_syncing=False, next_attempt_at=None)

    async def sync_now(self, progress: ProgressCallback | None = None) -> RoundOutcome:
        """Run a round now, whatever the backoff, or join the one about to start.

        Never raises for a failed round: the outcome (and the status) carries the error.
        `progress` is called from the worker thread running the round.
        """
        if self._loop is None:
            raise RuntimeError("start the sync engine first")
        # Shielded: a caller that gives up (a closed view) does not cancel the round itself.
        return await asyncio.shield(self._request(progress))

    def nudge(self) -> None:
        """A local write happened: sync soon unless known offline (callable from any thread)."""
        self._call_on_loop(self._on_nudge)

    def set_network(self, available: bool) -> None:
        """The platform reports the network came back or went away (callable from any thread)."""
        self._call_on_loop(self._on_network, available)

    def pause(self) -> None:
        """Stop automatic rounds (the app went to the background on a phone)."""
        self._paused = True
        if self._scheduler is not None and not self._stopped:
            self._scheduler.pause_job(JOB_ID)
        self.board.update(next_attempt_at=None)

    def resume(self) -> None:
        """Automatic rounds again, the first one soon."""
        self._paused = False
        if self._scheduler is not None and not self._stopped and not self.status.needs_sign_in:
            self._scheduler.resume_job(JOB_ID)
            self._move_next_run(self.nudge_delay_seconds)

    async def refresh(self) -> None:
        """Re-read pending changes, open issues and last success from the store."""
        counts = await asyncio.to_thread(self._read_store)
        if counts is not None:
            pending, issues, last_success_at = counts
            self.board.update(pending=pending, issues=issues, last_success_at=last_success_at)

    # --- internals, all on the event loop ---

    async def _scheduled_round(self) -> None:
        # The interval trigger fires again during a long round (a first sync): skip, the
        # running round sets the next run when it ends. Otherwise only ask for a round and
        # return: it runs in a task of ours, which the scheduler's shutdown cannot cancel.
        if self._lock is not None and self._lock.locked():
            return
        self._request(None)

    def _request(self, progress: ProgressCallback | None) -> asyncio.Task:
        self._requested += 1
        return self._spawn(self._serve(self._requested, progress))

    async def _serve(self, ticket: int, progress: ProgressCallback | None) -> RoundOutcome:
        assert self._lock is not None
        async with self._lock:
            if self._completed_for >= ticket and self._last is not None:
                return self._last  # a round that started after this request has run: coalesced
            if self._stopped:
                now = _now()
                return RoundOutcome(ok=False, started_at=now, finished_at=now, error=SyncStopped("sync stopped"))
            covers = self._requested
            outcome = await self._round(progress)
            self._completed_for, self._last = covers, outcome
            return outcome

    async def _round(self, progress: ProgressCallback | None) -> RoundOutcome:
        self._nudged_during_round = False
        started = _now()
        self.board.update(is_syncing=True)
        try:
            result = await asyncio.to_thread(self._run_round, progress)
            outcome = RoundOutcome(ok=True, started_at=started, finished_at=_now(), result=result)
        except Exception as exc:
            if isinstance(exc, SyncError | DomainError):
                log.info("sync round failed: %s: %s", type(exc).__name__, exc)
            else:
                log.exception("sync round failed unexpectedly")
            outcome = RoundOutcome(ok=False, started_at=started, finished_at=_now(), error=exc)
        await self.refresh()
        self._after_round(outcome)
        return outcome

    def _after_round(self, outcome: RoundOutcome) -> None:
        # One status change per round end (is_syncing with the verdict): no flicker.
        error = outcome.error
        if outcome.ok:
            self._failures = 0
            self.board.update(
                is_syncing=False,
                connection=Connection.ONLINE,
                last_error=None,
                retry_in_seconds=None,
                needs_sign_in=False,
            )
            # Writes made while the round ran may have missed its push: go again soon.
            soon = self._nudged_during_round or self.status.pending > 0
            self._move_next_run(self.nudge_delay_seconds if soon else self.interval_seconds)
            return
        if isinstance(error, AuthError):  # also DeviceRevoked: nothing automatic can fix it
            self.board.update(
                is_syncing=False,
                needs_sign_in=True,
                connection=Connection.ONLINE,
                last_error=describe(error),
                retry_in_seconds=None,
                next_attempt_at=None,
            )
            if self._scheduler is not None and not self._stopped:
                self._scheduler.pause_job(JOB_ID)
            return
        self._failures += 1
        delay = self.backoff.delay(self._failures, self._rng)
        self.board.update(
            is_syncing=False,
            connection=connection_after(error, self.status.connection),
            last_error=describe(error) if error else None,
            retry_in_seconds=delay,
        )
        self._move_next_run(delay)

    def _on_nudge(self) -> None:
        self._spawn(self.refresh())  # the pending count just grew
        if self._lock is not None and self._lock.locked():
            self._nudged_during_round = True
            return
        if self._stopped or self._paused or self.status.needs_sign_in:
            return
        if self.status.connection is Connection.OFFLINE:
            return  # the backoff's next attempt carries the write; don't hammer a dead network
        self._move_next_run(self.nudge_delay_seconds, only_earlier=True)

    def _on_network(self, available: bool) -> None:
        if not available:
            self.board.update(connection=Connection.OFFLINE)
            return
        self._failures = 0
        if self.status.connection is Connection.OFFLINE:
            self.board.update(connection=Connection.UNKNOWN, retry_in_seconds=None)
        if not (self._stopped or self._paused or self.status.needs_sign_in):
            self._move_next_run(self.nudge_delay_seconds, only_earlier=True)

    def _move_next_run(self, delay: float, *, only_earlier: bool = False) -> None:
        if self._scheduler is None or self._stopped or self._paused:
            return
        job = self._scheduler.get_job(JOB_ID)
        if job is None:
            return
        when = _now() + timedelta(seconds=delay)
        if only_earlier and job.next_run_time is not None and job.next_run_time <= when:
            return
        job.modify(next_run_time=when)
        self.board.update(next_attempt_at=when)

    def _read_store(self) -> tuple[int, int, datetime | None] | None:
        try:
            with self.store.read() as db:
                return count_pending(db), count_open_issues(db), read_state(db).last_success_at
        except driver.ProgrammingError:
            return None  # the store was closed (signed out, or wiped after a revocation)

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task:
        assert self._loop is not None
        task = self._loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _call_on_loop(self, callback: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or self._stopped:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            callback(*args)
        else:
            loop.call_soon_threadsafe(callback, *args)


__all__ = [
    "DEFAULT_INTERVAL_SECONDS",
    "DEFAULT_NUDGE_DELAY_SECONDS",
    "JOB_ID",
    "RoundFunction",
    "RoundOutcome",
    "SyncEngine",
    "SyncStopped",
]
