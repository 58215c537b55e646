"""Opening a seller's store: finish what an interrupted first sync or a newer app version left.

Apart from `database.Store` because these steps apply pulled changes (`changes`), which
themselves write through a Store: the store knows nothing of sync, opening it does.
"""

import shutil
from pathlib import Path

from client.store.bulk_load import is_merge_due
from client.store.changes import restore_search_index, resync_if_schema_grew
from client.store.database import Store, user_db_path
from client.store.device import files_dir, forget_device_record


def open_user_store(data_dir: Path, login: str, *, key: str | None = None) -> Store:
    """Open (creating and migrating if needed) the database of `login` under `data_dir`.

    With `key`, the database is encrypted with it (SQLCipher; see driver.py).
    """
    store = Store(user_db_path(data_dir, login), key=key)
    try:
        if not resync_if_schema_grew(store):
            restore_search_index(store)
        with store.read() as db:
            due = is_merge_due(db)
        if due:  # a bulk load ended and the app stopped before its search was merged
            store.start_upkeep_after_load()
    except BaseException:
        store.close()
        raise
    return store


def delete_user_store(data_dir: Path, login: str) -> None:
    """Delete a user's database file with its WAL (the Store must be closed)."""
    path = user_db_path(data_dir, login)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def wipe_user_data(data_dir: Path, login: str) -> None:
    """Delete everything of `login` on this device: database, kept files, device record.

    What an administrator's revocation asks for (the Store must be closed). The secrets
    (token, database key) live in the secret store and are removed by the caller.
    """
    delete_user_store(data_dir, login)
    shutil.rmtree(files_dir(data_dir, login), ignore_errors=True)
    forget_device_record(data_dir)


__all__ = ["delete_user_store", "open_user_store", "wipe_user_data"]
