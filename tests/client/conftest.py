"""Client test fixtures: a fresh store and settings per test, under the test's tmp_path."""

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from client.settings import ClientSettings
from client.store import Store, open_user_store
from client.store.database import user_db_path

LOGIN = "ana.garcia"


@cache
def _store_template() -> Path:
    """An empty store migrated the real way, once per test process. A new store runs every
    client migration (a tenth of a second, most of it DDL and fsyncs) and a hundred tests
    each want one: they get a copy of this file, which `open_user_store` finds migrated."""
    folder = Path(tempfile.mkdtemp(prefix="terreno-store-template-"))
    atexit.register(shutil.rmtree, folder, True)
    open_user_store(folder, LOGIN).close()  # closing checkpoints: the one file holds it all
    return user_db_path(folder, LOGIN)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """A migrated, empty database of user ana.garcia."""
    path = user_db_path(tmp_path / "device", LOGIN)
    path.parent.mkdir(parents=True)
    shutil.copyfile(_store_template(), path)
    opened = open_user_store(tmp_path / "device", LOGIN)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client_settings(tmp_path) -> ClientSettings:
    """Settings pointing at a test-only data folder and an unroutable server."""
    return ClientSettings(data_dir=tmp_path / "device", server_url="https://terreno.test")
