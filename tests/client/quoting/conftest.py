"""Quoting on the device: a quoting server in process, Ana's signed-in device on it, and a
real SMTP server on loopback for quote e-mails."""

import pytest

from tests.client.quoting.world import Wire, quoting_server, seller_session
from tests.smtp import smtp_server


@pytest.fixture
def server(tmp_path):
    with quoting_server(f"sqlite:///{(tmp_path / 'server.db').as_posix()}", tmp_path) as client:
        yield client


@pytest.fixture
def ana(server, tmp_path):
    return seller_session(server, tmp_path, Wire(server))


__all__ = ["smtp_server"]
