"""Pulling until caught up (DESIGN §4.7–4.9): paged, resumable, with progress.

Each page is applied together with its cursor (`apply_pull_page`), so the loop keeps no
state of its own that matters: killed at any point, the next run reads the saved cursor and
continues from the last page that committed. A stale cursor or a changed server epoch is
answered with a replacement sync (local rows forgotten, outbox kept, pull from 0); each page
sends back the server's floor of the page before it, so a compaction meanwhile that left the
device's pages whole does not send it back to 0 again (see PullResponse.floor).

The sync engine grows around this: push before, checksum verification after, backoff and
the scheduler job around the whole round.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from client.store import Store, apply_pull_page, read_state, reset_reference_data, save_state
from client.sync.collector import collector_paused, existing_objects_frozen
from client.sync.errors import BadResponse, NoPullStream
from client.sync.pull_wire import PulledPage, StreamedPage
from shared.errors import StaleCursor
from shared.protocol import DEFAULT_PULL_LIMIT, PullResponse

log = logging.getLogger(__name__)


class PullApi(Protocol):
    """What the puller needs from the protocol client (`SyncApi` or a test double).

    One with `pull_stream` too (`SyncApi`) is asked for streams of pages; `pull` is for
    a server without them.
    """

    def pull(
        self, cursor: int, limit: int, *, epoch: str | None = None, with_total: bool = False, floor: int | None = None
    ) -> PullResponse | PulledPage: ...


@dataclass(frozen=True, slots=True)
class PullProgress:
    """Progress of one pull run, reported after every applied page."""

    changes: int
    """Changes received in this run so far (applied or skipped)."""
    total: int | None
    """Changes this run is expected to receive, from the server's `total_changes`."""
    cursor: int
    elapsed_seconds: float
    caught_up: bool

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None when the server gave no total."""
        if self.caught_up:
            return 100
        if self.total is None:
            return None
        return 100 if self.total <= 0 else min(99, self.changes * 100 // self.total)

    @property
    def seconds_left(self) -> float | None:
        """Estimate from the rate so far; None until there is a rate and a total."""
        if self.caught_up:
            return 0.0
        if self.total is None or self.changes <= 0 or self.elapsed_seconds <= 0:
            return None
        rate = self.changes / self.elapsed_seconds
        return max(0, self.total - self.changes) / rate


ProgressCallback = Callable[[PullProgress], None]


@dataclass(frozen=True, slots=True)
class PullResult:
    """Summary of a finished pull run."""

    pages: int
    changes: int
    applied: int
    cursor: int
    seconds: float
    was_reset: bool
    """True if a stale cursor or a new server epoch forced a replacement sync."""
    waited_seconds: float = 0.0
    """Of `seconds`, how long applying stood still waiting for the next page (server,
    wire, reading the stream): near 0 when the device's own writes are the bottleneck."""
    decoding_seconds: float = 0.0
    """Of `seconds`, how long the applying thread spent decoding streamed pages."""


def pull_until_caught_up(
    store: Store,
    api: PullApi,
    progress: ProgressCallback | None = None,
    *,
    page_size: int = DEFAULT_PULL_LIMIT,
    clock: Callable[[], float] = time.monotonic,
) -> PullResult:
    """Pull and apply pages from the saved cursor until the server has no more."""
    with existing_objects_frozen():
        try:
            return _pull_pages(store, api, progress, page_size, clock, was_reset=False)
        except StaleCursor as exc:
            log.warning("replacement sync: %s", exc)
        for attempt in range(1, REPLACEMENT_ATTEMPTS + 1):
            reset_reference_data(store)
            try:
                return _pull_pages(store, api, progress, page_size, clock, was_reset=True)
            except StaleCursor as exc:
                # Only a compaction that dropped a delete during this very sync does this;
                # again and again, it is a server problem: let it surface.
                if attempt == REPLACEMENT_ATTEMPTS:
                    raise
                log.warning("replacement sync again (%d): %s", attempt, exc)
        raise AssertionError("unreachable")


REPLACEMENT_ATTEMPTS = 2
"""Replacement syncs one pull run tries before a stale cursor surfaces as an error."""


def _pull_pages(
    store: Store,
    api: PullApi,
    progress: ProgressCallback | None,
    page_size: int,
    clock: Callable[[], float],
    *,
    was_reset: bool,
) -> PullResult:
    started = clock()
    with store.read() as db:
        state = read_state(db)
    cursor = state.cursor
    pages = changes = applied = 0
    total: int | None = None
    waited = decoding = 0.0
    # Pages are fetched and decoded on a thread of their own, each request sent as soon as
    # the page before it arrived: the server works on page N+1 while the device applies
    # page N, and neither waits for the other. Only applied pages move the saved cursor, so
    # a kill loses at most the pages in flight.
    with _PageFetcher(api, cursor, state.epoch, state.floor, page_size) as fetcher:
        while True:
            waiting_since = time.perf_counter()
            item = fetcher.next_page()
            with collector_paused():
                decoding_since = time.perf_counter()
                page = item.decoded() if isinstance(item, StreamedPage) else item
                waited += decoding_since - waiting_since
                decoding += time.perf_counter() - decoding_since
                if page.total_changes is not None:
                    # total_changes counts what follows the request's cursor, so add what came before.
                    total = changes + page.total_changes
                result = apply_pull_page(store, page)
                count, has_more = len(page.changes), page.has_more
                del item, page  # the page's objects go now, before the collector is back
            pages += 1
            changes += count
            applied += result.applied
            cursor = result.cursor
            if not has_more:
                with store.write() as db:
                    save_state(db, last_success_at=datetime.now(UTC))
            if progress is not None:
                progress(
                    PullProgress(
                        changes=changes,
                        total=total,
                        cursor=cursor,
                        elapsed_seconds=clock() - started,
                        caught_up=not has_more,
                    )
                )
            if not has_more:
                return PullResult(
                    pages=pages,
                    changes=changes,
                    applied=applied,
                    cursor=cursor,
                    seconds=clock() - started,
                    was_reset=was_reset,
                    waited_seconds=waited,
                    decoding_seconds=decoding,
                )


Page = PullResponse | PulledPage | StreamedPage


class _PageFetcher:
    """Pulls pages one after another on a worker thread, at most `ahead` decoded pages
    waiting to be applied (memory stays flat however long the sync).

    A failed request is handed over after the pages fetched before it, so those are
    applied first, as if the pages had been fetched one at a time. Leaving the `with`
    block stops the worker: no new request is sent, one in flight is waited for.
    """

    def __init__(
        self, api: PullApi, cursor: int, epoch: str | None, floor: int | None, page_size: int, ahead: int = 1
    ) -> None:
        self._api = api
        self._cursor = cursor
        self._epoch = epoch
        self._floor = floor
        self._page_size = page_size
        self._ready: queue.Queue[tuple[Page | None, BaseException | None]] = queue.Queue(ahead)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._fetch_all, name="pull-prefetch", daemon=True)

    def __enter__(self) -> "_PageFetcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        while self._thread.is_alive():
            try:  # make room for a page the worker may be waiting to hand over
                self._ready.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def next_page(self) -> Page:
        """The next page in cursor order (a streamed one still to be decoded, by the caller's
        thread); raises whatever fetching it raised."""
        page, error = self._ready.get()
        if error is not None:
            raise error
        assert page is not None
        return page

    def _fetch_all(self) -> None:
        at = _Place(self._cursor, self._epoch, self._floor)
        first = True  # the total costs the server a count: asked for once per run, for the progress bar
        # A protocol client with streams (SyncApi) is asked for them; a test double may have none.
        pull_stream = getattr(self._api, "pull_stream", None)
        streaming = pull_stream is not None
        try:
            while not self._stopping.is_set():
                if streaming:
                    assert pull_stream is not None
                    after = self._stream(
                        pull_stream(at.cursor, self._page_size, epoch=at.epoch, with_total=first, floor=at.floor),
                        at,
                    )
                    if after is None:  # an older server: one page a request from now on
                        streaming = False
                        continue
                    first = False
                    done, at = after
                else:
                    page = self._api.pull(at.cursor, self._page_size, epoch=at.epoch, with_total=first, floor=at.floor)
                    first = False
                    self._check_advance(page, at.cursor)
                    done = not self._hand_over(page, None) or not page.has_more
                    at = _Place.after(page)
                if done:
                    return
        except BaseException as exc:  # handed to the applying thread, which raises it
            self._hand_over(None, exc)

    def _stream(self, pages: Generator[StreamedPage, None, None], at: "_Place") -> tuple[bool, "_Place"] | None:
        """Hand over the pages of one stream; (done, place) after it, or None if the server
        has no stream. A stream that ends before the caught-up page is not done: the next
        one starts where it stopped."""
        got = 0
        with closing(pages):  # a stream left early is closed, not left half-read
            try:
                for page in pages:
                    got += 1
                    self._check_advance(page, at.cursor)
                    if not self._hand_over(page, None) or not page.has_more:
                        return True, _Place.after(page)
                    at = _Place.after(page)
            except NoPullStream:
                return None
        if not got:
            raise BadResponse("the server's pull stream ended without a page")
        return False, at

    @staticmethod
    def _check_advance(page: Page, cursor: int) -> None:
        if page.has_more and page.cursor <= cursor:
            raise BadResponse(f"server says has_more but the cursor did not advance past {cursor}")

    def _hand_over(self, page: Page | None, error: BaseException | None) -> bool:
        while not self._stopping.is_set():
            try:
                self._ready.put((page, error), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


@dataclass(frozen=True, slots=True)
class _Place:
    """Where the next request starts: after the last page fetched, in its epoch and floor."""

    cursor: int
    epoch: str | None
    floor: int | None

    @classmethod
    def after(cls, page: Page) -> "_Place":
        return cls(page.cursor, page.epoch, page.floor)


__all__ = ["ProgressCallback", "PullApi", "PullProgress", "PullResult", "pull_until_caught_up"]
