"""The quote being built says whom it is for by name (and code), not by code alone."""

import asyncio

from tests.client.quoting.builder_screen import builder_on
from tests.client.screen import Screen, screen_words


def test_the_builder_names_the_customer(ana):
    async def run() -> str:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        return screen_words(view.body)

    words = asyncio.run(run())
    assert "Customer Suministros Peñalara C1 S.L. (C1) · terms NET30" in words
