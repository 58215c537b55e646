"""A first sync as a bulk load: what stands down while it runs, and how it comes back.

Row-by-row upkeep of the search indexes and the bucket totals costs about three times a
single rebuild at the end (tests/client/store/test_store_apply_rate.py), and a rebuild
after every page would be quadratic. Secondary indexes are the same story: one sorted
CREATE INDEX at the end is cheaper than keeping a B-tree in order row by row. So a sync
that starts from cursor 0 with more than one big page:

- sets the `search_index_deferred` flag in sync_state (every search and bucket-total
  trigger has `WHEN <flag absent>`, so it stands down even if it exists);
- saves the CREATE statement of every such trigger and of every non-unique secondary index
  of the synced tables in sync_state, and drops them (the flag would have made the triggers
  idle, but SQLite still evaluates their WHEN on every row);
- when the page that catches up is applied, re-creates them, rebuilds the search indexes and
  the bucket totals, and clears both rows, in that page's transaction.

Both steps are single transactions, so a kill leaves either the full schema or a flag with
the statements to restore it: `restore_bulk_load` (run when the store opens) finishes what
arrived, and `recreate_stood_down` (run before migrations) gives a migration the full schema.
Unique indexes never stand down: they are what keeps duplicates out.
"""

import json

from sqlite_utils import Database

from client.store.bucket_totals import rebuild_bucket_totals
from client.store.reference_ddl import SEARCH_INDEXES
from client.store.schema import ENTITY_TABLES

BULK_PAGE_MIN = 1000
"""A first page at least this big (with more to come) starts a bulk load."""

_FLAG = "search_index_deferred"  # the triggers' WHEN names it (reference_ddl.LIVE): never rename
_SAVED = "bulk_load_stood_down"


def begin_bulk_load(db: Database) -> None:
    """Stand the search and bucket-total upkeep and the secondary indexes down (idempotent)."""
    if _is_flagged(db):
        return
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, '1')", [_FLAG])
    tables = sorted(set(ENTITY_TABLES.values()))
    marks = ", ".join("?" for _ in tables)
    objects = db.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL AND ("
        f"(type = 'trigger' AND instr(sql, ?) > 0) OR "
        f"(type = 'index' AND upper(substr(ltrim(sql), 1, 13)) <> 'CREATE UNIQUE'))"
        " ORDER BY type, name",
        [*tables, _FLAG],
    ).fetchall()
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)", [_SAVED, json.dumps([sql for _, _, sql in objects])])
    for kind, name, _ in objects:
        db.execute(f'DROP {kind.upper()} "{name}"')


def finish_bulk_load(db: Database) -> bool:
    """Re-create what stood down and rebuild search and totals; False if no bulk load was on."""
    if not _is_flagged(db):
        return False
    recreate_stood_down(db)
    for index in SEARCH_INDEXES:
        db.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    rebuild_bucket_totals(db)
    db.execute("DELETE FROM sync_state WHERE key = ?", [_FLAG])
    return True


def recreate_stood_down(db: Database) -> None:
    """Re-create the dropped indexes and triggers, keeping the flag (the rebuild is still due).

    Runs before migrations too, so that a migration always finds the schema it expects.
    """
    if not db["sync_state"].exists():
        return
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [_SAVED]).fetchone()
    if row is None:
        return
    for sql in json.loads(row[0]):
        db.execute(sql)
    db.execute("DELETE FROM sync_state WHERE key = ?", [_SAVED])


def _is_flagged(db: Database) -> bool:
    return db.execute("SELECT 1 FROM sync_state WHERE key = ?", [_FLAG]).fetchone() is not None


__all__ = ["BULK_PAGE_MIN", "begin_bulk_load", "finish_bulk_load", "recreate_stood_down"]
