"""Customer 360: the suggestions arrive after the rest of the page, and its header stays the
same control then (Flet leaves a control it has already sent as it is). A header drawn
again would replace the buttons under the seller's finger: a tap on "New quote" as the
suggestions came in did nothing."""

import asyncio
from types import SimpleNamespace

import flet as ft
import pytest

from client.i18n import Translator
from client.services.account_intelligence import account_suggestions
from client.store import apply_pull_page
from client.ui.customer_view import CustomerView
from shared.errors import NotFound
from tests.client.factories import make_credit, make_customer, page, seq_changes
from tests.client.screen import screen_words


@pytest.fixture
def seller(seller_session):
    """ana.garcia with her customer C1 on the tablet."""
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1")])))
    return seller_session


def _open(seller, suggestions_fail: bool) -> tuple[CustomerView, list[ft.Control], list[int]]:
    """The view loaded; the page's controls as they stood when the suggestions were asked
    for; how often the page was pushed to the screen."""
    seen: list[ft.Control] = []
    pushed: list[int] = []

    async def call(service, *args):
        if service is account_suggestions:
            seen.extend(view.body.controls)
            if suggestions_fail:
                raise NotFound("segment shares for retail")
        return service(*args)

    ctx = SimpleNamespace(t=Translator("en"), session=seller, call=call, refresh=lambda: pushed.append(1))
    view = CustomerView(ctx, "C1")  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    return view, seen, pushed


@pytest.mark.parametrize("suggestions_fail", [False, True])
def test_the_header_and_its_buttons_stay_while_the_suggestions_come_in(seller, suggestions_fail):
    view, seen, pushed = _open(seller, suggestions_fail)
    assert seen, "the page was drawn before the suggestions were asked for"
    header = view.body.controls[0]
    assert header is seen[0]  # the same control, which Flet does not send again
    assert "New quote" in screen_words(header).splitlines()
    words = screen_words(view.body).splitlines()
    if suggestions_fail:
        assert any("retail" in w for w in words)  # the panel says what went wrong
    else:
        assert "Suggestions" in words
    assert len(pushed) == 2  # the page, then the page with the suggestions
