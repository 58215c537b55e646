"""Quoting fixtures: the seeded world, signed-in devices, a real SMTP server on loopback."""

import pytest

from tests.smtp import smtp_server
from tests.sync_server.quotes.helpers import SELLER, Device, seed_quoting


@pytest.fixture
def quoting(seed) -> None:
    """The quoting world seeded in the app's database."""
    seed(seed_quoting)


@pytest.fixture
def device(client, quoting):
    """`device(login)` → a signed-in Device."""
    return lambda login=SELLER: Device(client, login)


__all__ = ["device", "quoting", "smtp_server"]
