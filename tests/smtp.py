"""A real SMTP server on loopback (aiosmtpd) for the quote e-mail tests of server and device."""

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port


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
