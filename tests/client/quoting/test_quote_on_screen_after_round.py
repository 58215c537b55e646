"""A saved quote open on the seller's screen shows what a sync round brought for it (the
manager's decision here; the e-mail's delivery and the order alike), without her leaving
the screen and coming back. A round that brought nothing for it draws nothing."""

import asyncio
from decimal import Decimal

import pytest

from client.i18n import Translator
from client.services.quote_reading import get_quote, quote_trail
from client.services.quoting import add_line, request_approval, save_quote, start_quote
from client.services.synchronization import sync_now
from client.ui.quote_panels import answer_lines
from tests.client.quoting.builder_screen import builder_on
from tests.client.quoting.world import Wire, decide, quoting_server, seller_session
from tests.client.screen import Screen, find_tagged
from tests.sync_server.quotes.helpers import MANAGER


@pytest.fixture
def server(database_url, tmp_path):
    with quoting_server(database_url, tmp_path) as client:
        yield client


def test_a_decision_a_round_brings_shows_on_the_quote_on_screen(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    quote = save_quote(ana, add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(100), Decimal(15)))
    request_approval(ana, quote.id, note="Volume order")
    sync_now(ana)

    async def run() -> tuple[str, bytes, str, bytes]:
        screen = Screen()
        view = builder_on(ana, screen, [], [], quote_id=str(quote.id))
        await view.load()
        before = _status(view)
        mark = len(screen.wire.sent)
        sync_now(ana)  # a round that brings nothing for this quote
        await view.after_round()
        quiet = screen.sent_since(mark)
        [request] = quote_trail(ana, quote.id).requests
        decide(server, request.id, "approved", "OK for this volume")
        sync_now(ana)
        mark = len(screen.wire.sent)
        await view.after_round()
        return before, quiet, _status(view), screen.sent_since(mark)

    before, quiet, after, drawn = asyncio.run(run())
    assert before == "Waiting for approval"
    assert quiet == b""
    assert after == "Approved"
    assert b"Approved" in drawn and b"OK for this volume" in drawn


def _status(view) -> str:
    tag = find_tagged(view.body, "quote-status")
    assert tag is not None, "the saved quote's status is not on the screen"
    return tag.content.value


def test_the_seller_reads_who_decided_by_name(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    quote = save_quote(ana, add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(100), Decimal(15)))
    request_approval(ana, quote.id, note="Volume order")
    sync_now(ana)
    [request] = quote_trail(ana, quote.id).requests
    decide(server, request.id, "rejected", "Too much off")
    sync_now(ana)

    trail = quote_trail(ana, quote.id)
    lines = answer_lines(Translator("en"), get_quote(ana, quote.id), trail)
    [decided] = [line for line in lines if "Rejected" in line]
    name = trail.names[MANAGER]
    assert name and name != MANAGER
    assert decided == f"Rejected by {name}: “Too much off”"
    # In Spanish the word agrees with the quote («el presupuesto»), not with the decision.
    [decidido] = [line for line in answer_lines(Translator("es"), get_quote(ana, quote.id), trail) if name in line]
    assert decidido == f"Rechazado por {name}: «Too much off»"
