"""After a bulk load, in the background: the search indexes merged, the WAL checkpointed into the database file.

A bulk load writes fast and leaves some debt behind (bulk_load.py): every page's rows went
into a search index as a segment of their own, left unmerged, and the new pages are still
in the WAL. Left alone, the first small writes after it would pay at once: FTS5 merges a
level's segments in one go when they pile up (a sync round of 100 changes took 0.55 s after
a 1M-row first sync, the others 20 ms). Here it is paid in small steps on a thread of its
own: each merge step is a short write transaction of its own, so the seller's writes and
sync rounds take turns with it. Passive checkpoints copy the WAL into the database file (checkpoint) before
and after, on a connection of their own, holding nobody up.
"""

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Protocol

from sqlite_utils import Database

log = logging.getLogger(__name__)

MERGE_STEP_PAGES = 256
"""Index pages one merge step writes at most (a few tens of milliseconds of the writer)."""
PAUSE_SECONDS = 0.005
"""Between steps: room for a waiting writer."""


class WriteTransaction(Protocol):
    """`Store.write`: a write transaction, durable or not."""

    def __call__(self, *, durable: bool = True) -> AbstractContextManager[Database]: ...


class AfterLoadUpkeep:
    """One pass of after-load upkeep on a daemon thread; `stop` ends it at the next step.

    `on_merged(db)` runs in the write transaction after every index is merged (the store
    notes there is nothing left to merge); `on_done()` when the thread ends, the WAL checkpointed
    or not (stopped, failed).
    """

    def __init__(
        self,
        write: WriteTransaction,
        connect: Callable[[], sqlite3.Connection],
        search_indexes: Iterable[str],
        busy_timeout_seconds: float,
        on_merged: Callable[[Database], None],
        on_done: Callable[[], None] = lambda: None,
    ) -> None:
        self._write = write
        self._on_merged = on_merged
        self._on_done = on_done
        self._connect = connect
        """Opens a connection of the upkeep's own to the file (keyed if it is encrypted)."""
        self._indexes = tuple(search_indexes)
        self._busy_timeout = busy_timeout_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-upkeep", daemon=True)
        self.merge_steps = 0
        """Merge steps that did some work (tests, logs)."""

    def start(self) -> "AfterLoadUpkeep":
        self._thread.start()
        return self

    @property
    def is_running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to stop after the step it is in, and wait for it (at most `timeout`)."""
        self._stopping.set()
        self.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            # The load's own pages first: merging then writes into a WAL started over, which
            # stays below the bound the writer keeps meanwhile (Store.start_upkeep_after_load).
            self._fold_wal()
            for index in self._indexes:
                self._merge(index)
            if self._stopping.is_set():
                return
            with self._write() as db:
                self._on_merged(db)
            self._fold_wal()
        except Exception:
            log.exception("after-load upkeep stopped")
        finally:
            self._on_done()

    def _merge(self, index: str) -> None:
        while not self._stopping.is_set():
            # A step merges segments until about MERGE_STEP_PAGES pages are written, only on a
            # level holding more than FTS5's usermerge; less than two changes: nothing left.
            with self._write(durable=False) as db:  # a step a power cut undoes is done again
                before = db.conn.total_changes
                db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('merge', {MERGE_STEP_PAGES})")
                worked = db.conn.total_changes - before >= 2
            if not worked:
                return
            self.merge_steps += 1
            self._stopping.wait(PAUSE_SECONDS)

    def _fold_wal(self) -> None:
        conn = self._connect()
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # copies what no reader still needs
        finally:
            conn.close()


__all__ = ["MERGE_STEP_PAGES", "AfterLoadUpkeep"]
