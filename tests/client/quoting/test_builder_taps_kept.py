"""The quote builder draws itself again whenever a re-priced quote comes back (a line added,
a quantity changed, the terms applied). A tap the seller made on "Save" just then was lost:
the redraw had replaced the button, and Flet dropped a tap meant for a control it no longer
had. The buttons are now kept across drawings (keyed), so the tap reaches them. (The lines,
with their quantity and discount fields, are still made anew: a field updated in place while
the seller types into it is a different risk, not taken here.)"""

import asyncio
from decimal import Decimal

from client.services.quote_reading import get_quote
from client.services.quoting import add_line, save_quote, start_quote
from tests.client.quoting.builder_screen import builder_on
from tests.client.screen import Screen, button_in, find_tagged


def test_a_tap_on_save_as_the_repriced_quote_comes_back_saves_it(ana):
    async def run() -> tuple[list[str], list[str], bytes]:
        screen, went, toasts = Screen(), [], []
        view = builder_on(ana, screen, went, toasts)
        await view.load()
        await view._run(add_line, "GUA-NIT-09", Decimal(10))
        under_finger = button_in(view.body, "quote-save")._i
        mark = len(screen.wire.sent)
        await view._run(add_line, "TAL-18V-BL", Decimal(1))  # comes back as the seller taps
        drawn = screen.sent_since(mark)
        await screen.tap(under_finger)
        return went, toasts, drawn

    went, toasts, drawn = asyncio.run(run())
    assert b"TAL-18V-BL" in drawn  # the panels kept across drawings still send what they hold
    assert toasts == ["Quote saved on this tablet"]
    assert len(went) == 1 and went[0].startswith("/quote/")
    saved = get_quote(ana, went[0].removeprefix("/quote/"))
    assert [line.sku for line in saved.lines] == ["GUA-NIT-09", "TAL-18V-BL"]  # the quote as last priced


def test_a_saved_draft_opened_for_editing_shows_its_lines(ana):
    """The builder's panels are made once, before the view knows whether it shows a saved
    quote: a saved draft opened and then edited still draws them, with its lines."""
    priced = add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(10))
    quote = save_quote(ana, priced)

    async def run() -> bytes:
        screen = Screen()
        view = builder_on(ana, screen, [], [], quote_id=str(quote.id))
        await view.load()
        assert find_tagged(view.body, "quote-lines") is None  # the saved view first
        mark = len(screen.wire.sent)
        await screen.tap(button_in(view.body, "quote-edit")._i)
        assert find_tagged(view.body, "quote-line-0") is not None
        return screen.sent_since(mark)

    assert b"GUA-NIT-09" in asyncio.run(run())


def test_a_tap_on_a_product_found_as_the_search_draws_again_adds_it(ana):
    """The search draws its hits again at every key typed: a tap on a hit just then (the
    seller typed one more character, the same product still found) adds the product."""

    async def run() -> list[str]:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        view.search.value = "GUA-NIT"
        await view._on_search()
        under_finger = button_in(view.hits, "hit-GUA-NIT-09")._i
        view.search.value = "GUA-NIT-0"  # one more key: the hits are drawn again
        await view._on_search()
        await screen.tap(under_finger)
        assert view.priced is not None
        return [line.sku for line in view.priced.lines]

    assert asyncio.run(run()) == ["GUA-NIT-09"]
