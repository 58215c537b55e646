"""Applying pulled changes to the device database (DESIGN §4.7–4.9).

A page and its cursor are stored in ONE transaction, so a crash at any point leaves either
the whole page with its cursor or neither: the next pull simply asks again. Changes at or
below the stored cursor were applied already and are skipped, which makes re-applying a
page a no-op. Rows with pending outbox mutations are written as the server sent them and
then get those mutations re-applied on top, in the same transaction (DESIGN §4.7), so the
seller never sees a local edit vanish and come back. Entities this app version has no table for are skipped and remembered; when a
later migration adds their table, `resync_if_schema_grew` (run when the store opens)
starts a replacement sync so the rows skipped earlier arrive after all.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol

from sqlite_utils import Database

from client.store.bucket_totals import clear_bucket_totals, save_checkpoint
from client.store.bulk_load import (
    BULK_PAGE_MIN,
    DEFAULT_WAL_PAGES,
    begin_bulk_load,
    emptied,
    finish_bulk_load,
    is_bulk_loading,
)
from client.store.effects import reapply_pending
from client.store.prospect_rows import mirror_prospects
from client.store.reference_ddl import SEARCH_INDEXES
from client.store.row_writes import SYNC_COLUMNS, delete_run, put_run
from client.store.schema import BUCKET_COLUMN, ENTITY_TABLES, FIELD_TABLES
from client.store.sync_state import read_state, save_state
from shared.errors import StaleCursor
from shared.models.prospect import Prospect
from shared.protocol import Change, Checkpoint, Op

if TYPE_CHECKING:  # database.py imports this module to resync on open
    from client.store.database import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AppliedPage:
    """What `apply_pull_page` did with one page."""

    applied: int
    """Puts and deletes written to tables."""
    skipped: int
    """Changes already applied (seq ≤ stored cursor), of unknown entities, or malformed."""
    cursor: int


class PageOfChanges(Protocol):
    """What applying reads of a page: a `PullResponse`, or the sync client's `PulledPage`."""

    @property
    def changes(self) -> Sequence[Any]: ...  # each with seq, bucket, entity, id, op, version, data
    @property
    def cursor(self) -> int: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def last_mutation_id(self) -> int: ...
    @property
    def epoch(self) -> str: ...
    @property
    def checkpoint(self) -> Checkpoint | None: ...
    @property
    def floor(self) -> int | None: ...


def apply_pull_page(store: "Store", page: PageOfChanges) -> AppliedPage:
    """Apply every change of `page` and save its cursor, epoch and last_mutation_id atomically."""
    with store.write(durable=False) as db:  # a page a power cut undoes is pulled again
        state = read_state(db)
        if state.cursor > 0 and state.epoch is not None and page.epoch != state.epoch:
            # Our rows belong to another server history (restored database): a full resync.
            raise StaleCursor("the server's epoch changed", epoch=page.epoch)
        fresh = [c for c in page.changes if c.seq > state.cursor]
        if state.cursor == 0 and page.has_more and len(fresh) >= BULK_PAGE_MIN:
            begin_bulk_load(db)
        applied, unknown, malformed, touched = _apply_changes(store, db, fresh)
        if touched:
            reapply_pending(db, touched)
        finished = not page.has_more and finish_bulk_load(db)
        # Set for each page by what it leaves (a page rolled back is set right by the next).
        # The page that ends a load keeps the bulk bound too: the WAL it leaves is checkpointed
        # in the background (Store.start_upkeep_after_load), not in this page's commit.
        store.checkpoint_every(store.bulk_wal_pages if is_bulk_loading(db) or finished else DEFAULT_WAL_PAGES)
        if page.checkpoint is not None:  # verified against bucket_totals after this commit
            save_checkpoint(db, page.checkpoint)
        if page.cursor >= state.cursor:  # an older page arriving late must not move anything back
            save_state(
                db,
                cursor=page.cursor,
                epoch=page.epoch,
                floor=page.floor,
                last_mutation_id=page.last_mutation_id,
                ignored_entities=(state.ignored_entities | unknown) or None,
            )
    if finished:
        store.start_upkeep_after_load()
    if unknown:
        log.info("pull skipped entities this version does not store: %s", sorted(unknown))
    skipped = len(page.changes) - applied
    if malformed:
        log.warning("pull skipped %d malformed change(s)", malformed)
    return AppliedPage(applied=applied, skipped=skipped, cursor=max(page.cursor, state.cursor))


def _apply_changes(
    store: "Store", db: Database, changes: list[Change]
) -> tuple[int, set[str], int, set[tuple[str, str]]]:
    """Write the changes; (applied, unknown entities, malformed, field records touched)."""
    applied = 0
    malformed = 0
    unknown: set[str] = set()
    touched: set[tuple[str, str]] = set()  # field data the seller may have pending edits of
    bulk = is_bulk_loading(db)
    for table, op, run in _runs(changes):
        columns = store.columns(table) if table else ()
        if table is None or not columns:
            unknown.update(c.entity for c in run)
            continue
        if run[0].entity in FIELD_TABLES:
            touched.update((c.entity, c.id) for c in run)
        if op == Op.PUT:
            fields = tuple(c for c in columns if c not in SYNC_COLUMNS)
            # A put without data is malformed: skipped (looked for in C, the run kept as it is).
            puts = run if None not in map(_DATA, run) else [c for c in run if c.data is not None]
            malformed += len(run) - len(puts)
            if puts:
                put_run(db, table, run[0].entity, fields, puts, tracked=BUCKET_COLUMN in columns, bulk=bulk)
            applied += len(puts)
        else:
            delete_run(db, table, [c.id for c in run], bulk=bulk)
            applied += len(run)
    # A prospect is shown as a customer too: its mirror follows each of its changes.
    mirror_prospects(db, [entity_id for entity, entity_id in touched if entity == Prospect.ENTITY])
    return applied, unknown, malformed, touched


def write_server_changes(store: "Store", db: Database, changes: list[Change]) -> int:
    """Write puts and deletes as the server sent them, in the caller's transaction; rows written.

    No cursor, no re-apply of pending mutations (the caller does that): a bucket repair
    writes the server's snapshot of one bucket with this. Unknown entities are skipped.
    """
    return _apply_changes(store, db, changes)[0]


def _runs(changes: list[Change]) -> Iterator[tuple[str | None, Op, list[Change]]]:
    """Consecutive changes to the same table with the same op (order kept across runs)."""
    # groupby and attrgetter walk the page in C: this runs once per change of a first sync.
    for (entity, op), run in groupby(changes, _RUN_KEY):
        yield ENTITY_TABLES.get(entity), op, list(run)


_RUN_KEY = attrgetter("entity", "op")
_DATA = attrgetter("data")


def reset_reference_data(store: "Store") -> None:
    """Forget every pulled row and the cursor, keeping identity, token and the outbox.

    Local work is not lost: it is in the outbox, and comes back with the pull after its push.
    """
    with store.write() as db:
        begin_bulk_load(db)  # emptied at once below, rebuilt when caught up again
        for table in _tables(store, ENTITY_TABLES.values()):
            db.execute(f'DELETE FROM "{table}"')
        for index in SEARCH_INDEXES:
            db.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
        reapply_pending(db)  # the seller's unsent work stays visible through the resync
        save_state(db, cursor=None, epoch=None, floor=None, ignored_entities=None)
        clear_bucket_totals(db)
        emptied(db)  # the pull that follows keeps search and totals from here


def restore_search_index(store: "Store") -> bool:
    """Finish a bulk load left half-way by an interrupted first sync (run on open).

    The device may be used offline before that sync can finish: its search and indexes must
    work on what did arrive. The rest of the sync then keeps them row by row.
    """
    with store.write() as db:
        finished = finish_bulk_load(db)
        store.checkpoint_every(store.bulk_wal_pages if finished else DEFAULT_WAL_PAGES)
    if finished:
        store.start_upkeep_after_load()
    return finished


def resync_if_schema_grew(store: "Store") -> bool:
    """Start a replacement sync if an entity skipped by earlier pulls now has a table."""
    with store.read() as db:
        ignored = read_state(db).ignored_entities
    if not ignored & ENTITY_TABLES.keys():
        return False
    reset_reference_data(store)
    return True


def _tables(store: "Store", names: Iterable[str]) -> list[str]:
    return [name for name in names if store.columns(name)]


__all__ = [
    "AppliedPage",
    "apply_pull_page",
    "reset_reference_data",
    "restore_search_index",
    "resync_if_schema_grew",
    "write_server_changes",
]
