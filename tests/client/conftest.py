"""Client test fixtures: a fresh store and settings per test, under the test's tmp_path, and
a seller signed in on a fake server."""

from collections.abc import Iterator

import pytest

from client.services.session import Session, sign_in, sign_out
from client.settings import ClientSettings
from client.store import Store, open_user_store
from client.sync import SyncApi
from tests.client.fakes import FakeSyncServer

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


@pytest.fixture
def seller_session(client_settings) -> Iterator[Session]:
    """ana.garcia signed in on a fresh device; signed out after the test."""
    server = FakeSyncServer([])
    opened = sign_in(
        client_settings, "ana.garcia", "secret-pass-1", api=SyncApi("http://terreno.test", transport=server.transport())
    )
    yield opened
    sign_out(opened)
