"""The quote being built says whom it is for by name (and code), not by code alone, and
offers a substitute by its name, not only its code."""

import asyncio
from decimal import Decimal

from client.services.quoting import add_line
from tests.client.quoting.builder_screen import builder_on
from tests.client.quoting.world import NO_STOCK, SUBSTITUTE
from tests.client.screen import Screen, screen_words


def test_the_builder_names_the_customer(ana):
    async def run() -> str:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        return screen_words(view.body)

    words = asyncio.run(run())
    assert "For Suministros Peñalara C1 S.L. (C1) · Payment within 30 days" in words


def test_a_substitute_is_offered_by_name(ana):
    async def run() -> str:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        await view._run(add_line, NO_STOCK, Decimal(5))
        return screen_words(view.body)

    words = asyncio.run(run())
    assert f"Use {SUBSTITUTE} · Broca HSS 10 mm cobalto (" in words
