"""The device's local store: one SQLite database per signed-in user (DESIGN §2, §4).

    database.py     Store (one writer, one reader), open_user_store, user_db_path
    device.py       read_last_login, write_last_login (device.json beside the databases)
    migrations.py   the schema, one transactional step per migration
    schema.py       entity → table, stored row → model
    changes.py      apply_pull_page, reset_reference_data
    sync_state.py   SyncState, read_state, save_state
    outbox.py       enqueue, pending_mutations, count_pending, remove_acknowledged
"""

from client.store.changes import (
    AppliedPage,
    apply_pull_page,
    reset_reference_data,
    restore_search_index,
    resync_if_schema_grew,
)
from client.store.database import NAME_COLLATION, Store, delete_user_store, open_user_store, user_db_path
from client.store.device import read_last_login, write_last_login
from client.store.outbox import OutsideTransaction, count_pending, enqueue, pending_mutations, remove_acknowledged
from client.store.schema import ENTITY_TABLES, REFERENCE_TABLES, record_from_row
from client.store.sync_state import SyncState, read_state, save_state

__all__ = [
    "ENTITY_TABLES",
    "NAME_COLLATION",
    "REFERENCE_TABLES",
    "AppliedPage",
    "OutsideTransaction",
    "Store",
    "SyncState",
    "apply_pull_page",
    "count_pending",
    "delete_user_store",
    "enqueue",
    "open_user_store",
    "pending_mutations",
    "read_last_login",
    "read_state",
    "record_from_row",
    "remove_acknowledged",
    "reset_reference_data",
    "restore_search_index",
    "resync_if_schema_grew",
    "save_state",
    "user_db_path",
    "write_last_login",
]
