"""Service test fixtures: a signed-in seller on a fake server (no network)."""

import pytest

from client.services.session import sign_in, sign_out
from client.sync import SyncApi
from tests.client.fakes import FakeSyncServer


@pytest.fixture
def seller_session(client_settings):
    """ana.garcia signed in on a fresh device; signed out after the test."""
    server = FakeSyncServer([])
    opened = sign_in(client_settings, "ana.garcia", "secret-1",
                     api=SyncApi("http://terreno.test", transport=server.transport()))
    yield opened
    sign_out(opened)
