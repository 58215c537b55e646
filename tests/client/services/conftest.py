"""Service test fixtures: the real sync server in-process (`server`, `ana`). The seller on a
fake server (no network), `seller_session`, is in tests/client/conftest.py."""

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from client.services.session import Session, sign_in, sign_out
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.sync import SyncApi
from tests.client.servers import seed_north_team, serve_in_process


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    """The real sync server on its own database (both backends), with the north team seeded."""
    with serve_in_process(database_url, tmp_path, seed_north_team) as client:
        yield client


@pytest.fixture
def ana(server, tmp_path) -> Iterator[Session]:
    """ana.garcia signed in to the real server and synced once (her customer C1 on the device)."""
    http = httpx.Client(base_url="http://testserver", transport=server._transport)
    session = sign_in(
        ClientSettings(data_dir=tmp_path / "ana"), "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=http)
    )
    sync_now(session)
    yield session
    sign_out(session)
