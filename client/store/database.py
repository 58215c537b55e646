"""The device database of one signed-in user: `<data_dir>/users/<login>.db`.

A `Store` owns two connections to the file. Every write goes through `Store.write()`: one
writer per database, `BEGIN IMMEDIATE` so a second process or connection waits for the
lock instead of failing half-way, and a lock so threads (a sync job and a UI handler) take
turns. Reads go through `Store.read()` on a second connection: in WAL mode a search on the
tablet never waits for a sync page being applied, and sees only committed pages.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from client.store import driver
from client.store.bucket_totals import register_checksum_function
from client.store.bulk_load import (
    BULK_WAL_BYTES,
    DEFAULT_WAL_PAGES,
    is_bulk_loading,
    merge_done,
    recreate_dropped_for_load,
)
from client.store.migrations import SEARCH_INDEXES, migrate
from client.store.search_text import register_fold_function
from client.store.upkeep import AfterLoadUpkeep

_LOGIN = re.compile(r"^[a-z0-9._-]{2,64}$")
_BUSY_TIMEOUT_MS = 30_000
_WAL_SIZE_LIMIT = 64 * 2**20
_STOP_UPKEEP_SECONDS = 2.0
PAGE_SIZE = 8192
"""Bytes per database page of a new device database (SQLite's default is 4096). A first sync
writes hundreds of MB: twice the page size is about 8% less device time on a 1M-row one
(fewer B-tree pages to split and WAL frames to write), and a point lookup still reads a
page or three. A database made with another size keeps it (WAL mode cannot change it)."""


def user_db_path(data_dir: Path, login: str) -> Path:
    """Path of a user's database; refuses a login that is not [a-z0-9._-]."""
    if not _LOGIN.fullmatch(login):
        raise ValueError(f"not a valid login for a file name: {login!r}")
    return Path(data_dir) / "users" / f"{login}.db"


NAME_COLLATION = "terreno_name"
"""ORDER BY ... COLLATE terreno_name sorts names as people expect: Álvarez with the A's."""


@lru_cache(maxsize=65536)
def _name_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _compare_names(a: str, b: str) -> int:
    key_a, key_b = _name_key(a), _name_key(b)
    if key_a == key_b:
        key_a, key_b = a, b  # a stable order among names that differ only by accents or case
    return (key_a > key_b) - (key_a < key_b)


def _connect(path: Path, key: str | None) -> Database:
    # check_same_thread=False: Flet runs blocking handlers in worker threads; the Store's
    # locks, not sqlite3's thread check, keep each connection to one thread at a time.
    conn = driver.connect(path, key=key, timeout=_BUSY_TIMEOUT_MS / 1000)
    conn.create_collation(NAME_COLLATION, _compare_names)
    register_checksum_function(conn)  # the bucket-total triggers call it on every write
    register_fold_function(conn)  # and the infix search triggers this one
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only while the file is new and empty
    db = Database(conn)
    db.enable_wal()
    # A WAL a bulk load grew is cut back to this when it starts over after a checkpoint,
    # instead of keeping its largest size on the tablet's storage.
    db.execute(f"PRAGMA journal_size_limit={_WAL_SIZE_LIMIT}")
    # FULL, not NORMAL: an outbox row is a visit or quote the seller recorded; it must
    # survive the tablet's battery dying right after the commit.
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    return db


class Store:
    """One user's local database: migrated on open, one writer, a separate reader.

    With a `key` the file is a SQLCipher database encrypted with it (driver.py); without,
    plain SQLite.
    """

    def __init__(self, path: Path, *, key: str | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.is_encrypted = key is not None
        self._key = key
        self._writer = _connect(self.path, key)
        self._write_lock = threading.RLock()
        try:
            with self.write() as db:  # a first sync killed mid-way: migrations get the full schema
                recreate_dropped_for_load(db)
            migrate(self._writer)
        except BaseException:
            self._writer.close()
            raise
        self._reader = _connect(self.path, key)
        # int(): SQLCipher answers this pragma as text (and keeps its own 4096-byte pages).
        self.page_size: int = int(self._reader.execute("PRAGMA page_size").fetchone()[0])
        """Bytes per page of this file (PAGE_SIZE for a file made now)."""
        self._read_lock = threading.Lock()
        self._reading_thread: int | None = None
        self._columns: dict[str, tuple[str, ...]] = {}
        self._upkeep: AfterLoadUpkeep | None = None
        self._closing = False
        self._checkpoint_pages = DEFAULT_WAL_PAGES
        self._upkeep_running = False
        """Upkeep started and not ended: it folds the WAL back, so the writer holds off meanwhile."""
        self._upkeep_again = False

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Database]:
        """A write transaction (BEGIN IMMEDIATE); nested calls become savepoints.

        `durable=False` commits without waiting for the disk (synchronous=NORMAL). Only for
        what can be fetched again: WAL keeps the file consistent, but a power cut may undo
        the last such commits. A pull page is one (it commits with its own cursor, so an
        undone page is simply pulled again); what the seller records never is.
        """
        with self._write_lock:
            db = self._writer
            if db.conn.in_transaction:
                with db.atomic():
                    yield db
                return
            if not durable:
                db.conn.execute("PRAGMA synchronous=NORMAL")
            try:
                db.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.rollback()
                    raise
                else:
                    try:
                        db.conn.execute("COMMIT")
                    except BaseException:
                        db.rollback()
                        raise
            finally:
                if not durable:
                    db.conn.execute("PRAGMA synchronous=FULL")

    @contextmanager
    def read(self) -> Iterator[Database]:
        """A read transaction: every query inside sees the same committed snapshot.

        A read inside a read on the same thread joins the one under way (same snapshot);
        reads of other threads wait for it.
        """
        if self._reading_thread == threading.get_ident():
            yield self._reader
            return
        with self._read_lock:
            db = self._reader
            db.conn.execute("BEGIN")
            self._reading_thread = threading.get_ident()
            try:
                yield db
            finally:
                self._reading_thread = None
                db.rollback()

    def columns(self, table: str) -> tuple[str, ...]:
        """Column names of a table, in order (cached; empty if the table does not exist)."""
        if table not in self._columns:
            with self._write_lock:
                rows = self._writer.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
            self._columns[table] = tuple(r[1] for r in rows)
        return self._columns[table]

    @property
    def bulk_wal_pages(self) -> int:
        """WAL pages at which the writer copies back during a bulk load and its upkeep."""
        return BULK_WAL_BYTES // self.page_size

    def checkpoint_every(self, pages: int) -> None:
        """Have the writer copy the WAL back into the file once it holds `pages` pages.

        A bulk load raises this (bulk_load.py): copying after every page copies the pages it
        keeps rewriting (index interiors, search segments) over and over, about a tenth of
        a first sync's device time; the WAL stays bounded all the same.

        While after-load upkeep runs, a lower figure waits for it to end: it folds the WAL
        itself, in the background (`start_upkeep_after_load`).
        """
        with self._write_lock:
            self._checkpoint_pages = int(pages)
            self._set_checkpoints()

    def _set_checkpoints(self) -> None:
        pages = self._checkpoint_pages
        if self._upkeep_running:
            pages = max(pages, self.bulk_wal_pages)
        self._writer.conn.execute(f"PRAGMA wal_autocheckpoint={pages}")

    def start_upkeep_after_load(self) -> None:
        """After a bulk load: merge the search indexes in small steps, then checkpoint the WAL into the database file
        into the file, on a thread of its own (upkeep.py). Writes take turns with it.

        Until it is done, the writer does not copy the WAL back below the bulk load's bound:
        otherwise the first write after the load (the seller's, or the next sync round)
        would copy the whole load's WAL back in its own commit.
        """
        with self._write_lock:
            if self._closing:
                return
            if self._upkeep_running:
                self._upkeep_again = True  # a load that ended while the last one's upkeep ran
                return
            self._start_upkeep()

    def _start_upkeep(self) -> None:  # under the write lock
        self._upkeep_running, self._upkeep_again = True, False
        self._set_checkpoints()
        try:
            self._upkeep = AfterLoadUpkeep(
                self.write,
                self._open_side_connection,
                SEARCH_INDEXES,
                _BUSY_TIMEOUT_MS / 1000,
                on_merged=merge_done,
                on_done=self._upkeep_finished,
            ).start()
        except BaseException:
            self._upkeep_running = False
            self._set_checkpoints()
            raise

    def _upkeep_finished(self) -> None:
        """The upkeep thread's last act: another pass if a load ended meanwhile, else the
        writer's own WAL bound again."""
        with self._write_lock:
            self._upkeep_running = False
            if self._closing:
                return
            if self._upkeep_again:
                self._start_upkeep()
                return
            if not is_bulk_loading(self._writer):  # the load that ended before is checkpointed: SQLite's bound again
                self._checkpoint_pages = DEFAULT_WAL_PAGES
            self._set_checkpoints()

    def _open_side_connection(self):
        """A bare connection to the file (the upkeep thread's WAL checkpoints), keyed like ours."""
        return driver.connect(self.path, key=self._key, timeout=_BUSY_TIMEOUT_MS / 1000)

    def wait_for_upkeep(self, timeout: float | None = None) -> None:
        """Wait until background upkeep started earlier is done, a second pass too (tests)."""
        while (upkeep := self._upkeep) is not None:
            upkeep.join(timeout)
            if self._upkeep is upkeep:
                return

    def vacuum(self) -> None:
        """Compact the file, then rebuild the search indexes.

        VACUUM may renumber the rowids of tables without an INTEGER PRIMARY KEY, and the
        search indexes point at rowids: never VACUUM this file any other way.
        """
        with self._write_lock:
            self._writer.execute("VACUUM")
            with self.write() as db:
                for index in SEARCH_INDEXES:
                    db.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")

    def close(self) -> None:
        """Close both connections (checkpointing the WAL into the main file)."""
        with self._write_lock:
            self._closing, upkeep = True, self._upkeep
        if upkeep is not None:
            # At its next step; a checkpoint under way goes on, on its own connection. What is
            # left is merged from the next open (the merge stays due in sync_state).
            upkeep.stop(timeout=_STOP_UPKEEP_SECONDS)
        with self._write_lock, self._read_lock:
            self._reader.close()
            self._writer.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = ["NAME_COLLATION", "PAGE_SIZE", "Store", "user_db_path"]
