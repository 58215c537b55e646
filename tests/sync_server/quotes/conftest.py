"""Quoting fixtures: the seeded world, signed-in devices, a real SMTP server on loopback."""

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.sync_server.quotes.helpers import SELLER, Device, free_port, seed_quoting


@pytest.fixture
def quoting(seed) -> None:
    """The quoting world seeded in the app's database."""
    seed(seed_quoting)


@pytest.fixture
def device(client, quoting):
    """`device(login)` → a signed-in Device."""
    return lambda login=SELLER: Device(client, login)


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """`smtp_server(handler)` → a started aiosmtpd Controller on loopback (stopped after the test)."""
    started: list[Controller] = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()
