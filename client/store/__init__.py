"""The device's local store: one SQLite database per signed-in user (DESIGN §2, §4).

database.py     Store (one writer, one reader), open_user_store, user_db_path
device.py       read_last_login, write_last_login (device.json beside the databases)
migrations.py   the schema, one transactional step per migration
schema.py       entity → table, stored row → model
changes.py      apply_pull_page, reset_reference_data
sync_state.py   SyncState, read_state, save_state
outbox.py       enqueue, pending_mutations, last_queued, count_pending, remove_acknowledged
effects.py      EFFECTS per mutation name, record (row + outbox), reapply_pending
issues.py       SyncIssue: rejected mutations and merge conflicts for the seller
"""

from client.store.changes import (
    AppliedPage,
    apply_pull_page,
    reset_reference_data,
    restore_search_index,
    resync_if_schema_grew,
)
from client.store.database import NAME_COLLATION, Store, user_db_path
from client.store.device import files_dir, forget_device_record, read_last_login, write_last_login
from client.store.effects import EFFECTS, Effect, reapply_pending, record, row_version, target_of, undo_effect
from client.store.issues import (
    SyncIssue,
    count_open_issues,
    discard_issue,
    get_issue,
    list_issues,
    record_args,
    record_conflict,
    record_rejection,
    resolve_issue,
)
from client.store.opening import delete_user_store, open_user_store, wipe_user_data
from client.store.outbox import (
    OutsideTransaction,
    count_pending,
    enqueue,
    last_queued,
    pending_mutations,
    remove_acknowledged,
)
from client.store.schema import ENTITY_TABLES, FIELD_TABLES, REFERENCE_TABLES, record_from_row
from client.store.sync_state import SyncState, read_state, save_state

__all__ = [
    "EFFECTS",
    "ENTITY_TABLES",
    "FIELD_TABLES",
    "NAME_COLLATION",
    "REFERENCE_TABLES",
    "AppliedPage",
    "Effect",
    "OutsideTransaction",
    "Store",
    "SyncIssue",
    "SyncState",
    "apply_pull_page",
    "count_open_issues",
    "count_pending",
    "delete_user_store",
    "discard_issue",
    "enqueue",
    "files_dir",
    "forget_device_record",
    "get_issue",
    "last_queued",
    "list_issues",
    "open_user_store",
    "pending_mutations",
    "read_last_login",
    "read_state",
    "reapply_pending",
    "record",
    "record_args",
    "record_conflict",
    "record_from_row",
    "record_rejection",
    "remove_acknowledged",
    "reset_reference_data",
    "resolve_issue",
    "restore_search_index",
    "resync_if_schema_grew",
    "row_version",
    "save_state",
    "target_of",
    "undo_effect",
    "user_db_path",
    "wipe_user_data",
    "write_last_login",
]
