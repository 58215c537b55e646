"""New device stores in tests start as copies of one migrated the real way per process.

A new store runs every client migration: about 0.11 CPU s, nearly all of it SQLite reloading
its whole schema after each of some forty `ALTER TABLE ... ADD COLUMN`. Tests sign in and
open several hundred stores in a process (55 CPU s of a 450 CPU s run, measured with
py-spy). A copy of a store that already ran them is the same database, and opening it
finds no migration pending. Made the real way: encrypted stores (a key given; a plain file
is no SQLCipher one), and stores opened as an older app that ships fewer migrations
(`tests.client.factories.app_before`). The migrations themselves are tested in
tests/client/store/test_store_migrations.py, and run once for every process here.
"""

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

from client.store import Store, open_user_store, user_db_path
from client.store.migrations import migrations

_LOGIN = "template"
_real_way_only: list[bool] = []
"""Not empty while `made_the_real_way` is open (a stack: it may nest)."""


@cache
def store_template() -> Path:
    """An empty store migrated the real way, once per test process (closed: checkpointed, so
    the one file holds it all)."""
    folder = Path(tempfile.mkdtemp(prefix="terreno-store-template-"))
    atexit.register(shutil.rmtree, folder, True)
    open_user_store(folder, _LOGIN).close()
    return user_db_path(folder, _LOGIN)


def _steps() -> tuple[str, ...]:
    return tuple(m.name for m in migrations._migrations)


@contextmanager
def new_stores_from_template() -> Iterator[None]:
    """While open, a plain store opened on a path where no database exists yet starts as a
    copy of the template."""
    template = store_template()  # before the patch: this one is made the real way
    steps = _steps()
    migrating_init = Store.__init__

    def from_template(self: Store, path: Path, *, key: str | None = None) -> None:
        path = Path(path)
        if key is None and not path.exists() and _steps() == steps and not _real_way_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, path)
        migrating_init(self, path, key=key)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "__init__", from_template)
        yield


@contextmanager
def made_the_real_way() -> Iterator[None]:
    """While open, new stores run their migrations (to compare with the template's copies)."""
    _real_way_only.append(True)
    try:
        yield
    finally:
        _real_way_only.pop()
