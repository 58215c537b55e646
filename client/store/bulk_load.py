"""A first sync as a bulk load: what is dropped while it runs, and how it comes back.

Row-by-row upkeep of the search indexes and the bucket totals by triggers costs about
three times keeping them per run of rows (measured when the bulk load came in; `make
bench-sync` times a first sync against plain tables, bench/sync_baseline.py), and
secondary indexes are cheaper built once, sorted, than kept in order row by row. So a sync
that starts from cursor 0 with more than one big page:

- sets the `search_index_deferred` flag in sync_state (every search and bucket-total
  trigger has `WHEN <flag absent>`, so it is switched off even if it exists);
- saves the CREATE statement of every such trigger and of every non-unique secondary index
  of the synced tables in sync_state, and drops them (the flag would have made the triggers
  idle, but SQLite still evaluates their WHEN on every row);
- keeps the search indexes and bucket totals itself, run by run, as pages arrive
  (row_writes.py), so that work overlaps the server's; where it could not (a row that was
  there already), it marks that part stale;
- when the page that catches up is applied, re-creates what was dropped for the load, rebuilds the
  stale parts from the tables, and clears the rows it kept, in that page's transaction;
  the search segments it left unmerged are merged in the background (upkeep.py).

Both steps are single transactions, so a kill leaves either the full schema or a flag with
the statements to restore it: `restore_bulk_load` (run when the store opens) finishes what
arrived, and `recreate_dropped_for_load` (run before migrations) gives a migration the full schema.
Unique indexes are never dropped: they are what keeps duplicates out. A bulk load begun by
an app that did not keep search and totals as it went (no `bulk_load_keeps_up` row)
finishes with both rebuilt.
"""

import json

from sqlite_utils import Database

from client.store.bucket_totals import rebuild_bucket_totals
from client.store.reference_ddl import SEARCH_INDEXES, SEARCHED_TABLES
from client.store.schema import ENTITY_TABLES

BULK_PAGE_MIN = 1000
"""A first page at least this big (with more to come) starts a bulk load."""

BULK_WAL_BYTES = 256 * 2**20
"""While a bulk load is on, the writer copies the WAL back into the file at 256 MiB
(SQLite's usual is 1000 pages); after it, the copy runs in the background."""
DEFAULT_WAL_PAGES = 1000

_FLAG = "search_index_deferred"  # the triggers' WHEN names it (reference_ddl.LIVE): never rename
_SAVED = "bulk_load_stood_down"  # the sync_state key stores already hold: kept as it is
_KEEPS_UP = "bulk_load_keeps_up"
_STALE = "bulk_load_stale"
_MERGE_DUE = "search_merge_due"
_AFTER_MERGE = "search_settings_after_merge"

TOTALS = "totals"
"""Stale part: the bucket totals."""


def search_part(search_index: str) -> str:
    """Stale part: one search index."""
    return f"search:{search_index}"


def is_bulk_loading(db: Database) -> bool:
    """Whether a bulk load is on (the upkeep triggers are down)."""
    return _is_flagged(db)


def mark_stale(db: Database, *parts: str) -> None:
    """Have the end of this bulk load rebuild `parts` from the tables."""
    stale = _stale(db)
    if not stale.issuperset(parts):
        db.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [_STALE, json.dumps(sorted(stale.union(parts)))],
        )


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
    restore = [sql for _, _, sql in objects] + _search_settings_restore(db, _SEARCH_DEFAULTS)
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)", [_SAVED, json.dumps(restore)])
    for kind, name, _ in objects:
        db.execute(f'DROP {kind.upper()} "{name}"')
    # Kept from the first load if a second begins before the first one's merge is done.
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
        [_AFTER_MERGE, json.dumps(_search_settings_restore(db, _AFTER_MERGE_DEFAULTS))],
    )
    for index in SEARCH_INDEXES:
        for setting, value in {**_BULK_SEARCH_SETTINGS, **_UNTIL_MERGED_SETTINGS}.items():
            db.execute(f"INSERT INTO {index} ({index}, rank) VALUES (?, ?)", [setting, value])
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, '1')", [_KEEPS_UP])
    # Kept as it goes only from empty: whatever is there already is rebuilt at the end.
    if db.execute("SELECT 1 FROM bucket_totals LIMIT 1").fetchone():
        mark_stale(db, TOTALS)
    for table, search_indexes in SEARCHED_TABLES.items():
        if db.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            mark_stale(db, *(search_part(index.name) for index in search_indexes))


# While a bulk load inserts a page's rows into a search index at once: pending terms are
# flushed in 8 MiB segments rather than 1 MiB ones, and segments are not merged as they
# come (a merge rewrites what was just written): about a seventh of a first sync's
# device time, on the demo seller's 80,000 products. Both are FTS5 settings kept in
# the index's config table; what they were is saved with the statements dropped for the load.
# Nor are 16 segments on a level merged at once when the 16th comes (FTS5's crisis
# merge: 0.45 s half-way through the 1M-row reference set's products): up to 64 wait
# for the background merge (upkeep.py), and FTS5's bound comes back once that is done
# (`merge_done`), not when the load ends, or the next small write would pay it.
_BULK_SEARCH_SETTINGS = {"hashsize": 8 * 2**20, "automerge": 0}
_SEARCH_DEFAULTS = {"hashsize": 2**20, "automerge": 4}  # FTS5's own, when never set
_UNTIL_MERGED_SETTINGS = {"crisismerge": 64}
_AFTER_MERGE_DEFAULTS = {"crisismerge": 16}


def _search_settings_restore(db: Database, defaults: dict[str, int]) -> list[str]:
    statements = []
    marks = ", ".join("?" for _ in defaults)
    for index in SEARCH_INDEXES:
        found = dict(db.execute(f'SELECT k, v FROM "{index}_config" WHERE k IN ({marks})', list(defaults)).fetchall())
        for setting, default in defaults.items():
            value = int(found.get(setting, default))
            statements.append(f"INSERT INTO {index} ({index}, rank) VALUES ('{setting}', {value})")
    return statements


def emptied(db: Database) -> None:
    """Record that the synced tables, search indexes and totals were just emptied under the
    bulk load `begin_bulk_load` started: from here on, it keeps them itself and nothing is stale."""
    if not _is_flagged(db):
        raise RuntimeError("emptied() belongs to a bulk load: call begin_bulk_load() first")
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, '1') ON CONFLICT(key) DO NOTHING", [_KEEPS_UP])
    db.execute("DELETE FROM sync_state WHERE key = ?", [_STALE])


def finish_bulk_load(db: Database) -> bool:
    """Re-create what was dropped for the load and rebuild what went stale; False if no bulk load was on."""
    if not _is_flagged(db):
        return False
    recreate_dropped_for_load(db)
    kept_up = db.execute("SELECT 1 FROM sync_state WHERE key = ?", [_KEEPS_UP]).fetchone() is not None
    stale = _stale(db)
    for index in SEARCH_INDEXES:
        if not kept_up or search_part(index) in stale:
            db.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    if not kept_up or TOTALS in stale:
        rebuild_bucket_totals(db)
    db.execute("DELETE FROM sync_state WHERE key IN (?, ?, ?)", [_FLAG, _KEEPS_UP, _STALE])
    # The search segments were left unmerged: merged in the background (upkeep.py), and again
    # from the next open if the app stops first.
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, '1') ON CONFLICT(key) DO NOTHING", [_MERGE_DUE])
    return True


def is_merge_due(db: Database) -> bool:
    """Whether a bulk load left search segments to merge."""
    return db.execute("SELECT 1 FROM sync_state WHERE key = ?", [_MERGE_DUE]).fetchone() is not None


def merge_done(db: Database) -> None:
    """The search segments a bulk load left are merged: FTS5's crisis merge bound back."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [_AFTER_MERGE]).fetchone()
    for sql in json.loads(row[0]) if row else []:
        db.execute(sql)
    db.execute("DELETE FROM sync_state WHERE key IN (?, ?)", [_MERGE_DUE, _AFTER_MERGE])


def recreate_dropped_for_load(db: Database) -> None:
    """Re-create the dropped indexes and triggers and restore the search settings, keeping
    the flag (what went stale is still due).

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


def _stale(db: Database) -> set[str]:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [_STALE]).fetchone()
    return set(json.loads(row[0])) if row else set()


def _is_flagged(db: Database) -> bool:
    return db.execute("SELECT 1 FROM sync_state WHERE key = ?", [_FLAG]).fetchone() is not None


__all__ = [
    "BULK_PAGE_MIN",
    "BULK_WAL_BYTES",
    "DEFAULT_WAL_PAGES",
    "TOTALS",
    "begin_bulk_load",
    "emptied",
    "is_merge_due",
    "merge_done",
    "finish_bulk_load",
    "is_bulk_loading",
    "mark_stale",
    "recreate_dropped_for_load",
    "search_part",
]
