"""Client test fixtures: a fresh store and settings per test, under the test's tmp_path."""

from collections.abc import Iterator

import pytest

from client.settings import ClientSettings
from client.store import Store, open_user_store

LOGIN = "ana.garcia"


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """A migrated, empty database of user ana.garcia (a copy of the template: tests/store_template.py)."""
    opened = open_user_store(tmp_path / "device", LOGIN)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client_settings(tmp_path) -> ClientSettings:
    """Settings pointing at a test-only data folder and an unroutable server."""
    return ClientSettings(data_dir=tmp_path / "device", server_url="https://terreno.test")
