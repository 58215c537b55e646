"""The quote's lines are drawn anew whenever a re-price comes back (a line added, another
field left). What the seller was typing into a line's quantity or discount just then, not
entered yet, stays in the field; a value entered shows the quote's answer."""

import asyncio
from decimal import Decimal

import flet as ft

from client.services.quoting import add_line
from tests.client.quoting.builder_screen import builder_on
from tests.client.screen import Screen, find_tagged


def test_a_discount_being_typed_outlives_a_reprice_that_comes_back(ana):
    async def run() -> tuple[str | None, Decimal, str | None]:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        await view._run(add_line, "GUA-NIT-09", Decimal(10))
        typing = _field(view, 0, "Discount %")
        typing.value = "25"  # what Flutter reports as she types; not entered yet
        await view._run(add_line, "TAL-18V-BL", Decimal(1))  # the line added before comes back
        drawn = _field(view, 0, "Discount %")
        assert drawn is not typing  # drawn anew, and still holding her typing
        kept = drawn.value
        await screen.session.dispatch_event(drawn._i, "submit", None)  # she presses Enter
        assert view.priced is not None
        entered = view.priced.lines[0].result.discount_percent
        await view._run(add_line, "GUA-NIT-09", Decimal(1))  # a later re-price: the quote's value
        return kept, entered, _field(view, 0, "Discount %").value

    kept, entered, after = asyncio.run(run())
    assert kept == "25"
    assert entered == Decimal(25)
    assert after == "25"


def test_a_quantity_entered_shows_the_quotes_answer_not_the_typing(ana):
    """The field the seller entered is not carried over: the quote's own value is drawn
    (here "12" for the "12.0" she typed)."""

    async def run() -> tuple[str | None, Decimal, str | None]:
        screen = Screen()
        view = builder_on(ana, screen, [], [])
        await view.load()
        await view._run(add_line, "GUA-NIT-09", Decimal(10))
        field = _field(view, 0, "Quantity")
        field.value = "12.0"
        await screen.session.dispatch_event(field._i, "submit", None)
        assert view.priced is not None
        return field.value, view.priced.lines[0].result.quantity, _field(view, 0, "Quantity").value

    typed, quantity, shown = asyncio.run(run())
    assert (typed, quantity, shown) == ("12.0", Decimal(12), "12")


def _field(view, index: int, label: str) -> ft.TextField:
    line = find_tagged(view.body, f"quote-line-{index}")
    assert line is not None, f"no line {index} on the screen"
    found = [c for c in _walk(line) if isinstance(c, ft.TextField) and str(c.label).startswith(label)]
    assert len(found) == 1, f"line {index} has {len(found)} fields labelled {label!r}"
    return found[0]


def _walk(control: object):
    yield control
    for name in ("content", "controls"):
        child = getattr(control, name, None)
        for item in child if isinstance(child, list) else [child]:
            if isinstance(item, ft.Control):
                yield from _walk(item)
