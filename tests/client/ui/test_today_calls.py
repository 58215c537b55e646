"""Today's customers to call: the lapsed ones, with what they bought and the number to call."""

import asyncio
from datetime import date

from client.store import apply_pull_page
from client.ui.today_view import TodayView
from tests.client.factories import make_credit, make_customer, make_invoice, page, seq_changes
from tests.client.screen import Screen, screen_context, screen_words


def test_a_customer_to_call_shows_the_number_to_call(seller_session):
    lapsed = make_invoice("F-OLD", issued=date(2024, 1, 15))
    customer = make_customer("C1", phone="+34 600 000 001")
    apply_pull_page(seller_session.store, page(seq_changes([customer, make_credit("C1"), lapsed])))

    async def run() -> str:
        screen = Screen()
        view = TodayView(screen_context(seller_session, screen))
        screen.show(view.build())
        await view.load()
        return screen_words(view.dormant)

    words = asyncio.run(run())
    assert "Last invoice 15 Jan 2024" in words and "+34 600 000 001" in words
