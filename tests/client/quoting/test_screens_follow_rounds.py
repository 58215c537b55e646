"""The screen on view shows what a sync round brought, without the seller or the manager
leaving it and coming back: the manager's approvals and team visits, the seller's quotes,
portfolio and Customer 360. A round that brought nothing for the screen draws nothing (a
redraw would replace the buttons under a finger and fold what was opened)."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from client.services.quote_reading import quote_trail
from client.services.quoting import add_line, request_approval, save_quote, start_quote
from client.services.synchronization import sync_now
from client.services.visit_comments import comment_on_visit
from client.services.visits import add_addendum, check_in, check_out, save_visit
from client.ui.approvals_view import ApprovalsView
from client.ui.customer_view import CustomerView
from client.ui.portfolio_view import PortfolioView
from client.ui.quotes_view import QuotesView
from client.ui.team_visit_view import TeamVisitView
from client.ui.team_visits_view import TeamVisitsView
from client.ui.today_view import TodayView
from client.ui.visit_view import VisitView
from shared.models import VisitOutcome
from sync_server.repository.database import write_transaction
from tests.client.quoting.world import Wire, decide, seller_session
from tests.client.screen import Screen, find_tagged, screen_context, screen_words
from tests.sync_server.quotes.helpers import MANAGER, SELLER, set_credit


def _follow(session, make_view: Callable[[Any], Any], change: Callable[[], None]) -> tuple[str, bytes, str, bytes]:
    """The view on a screen: its words; what a round with nothing new sent; its words after
    `change` and a round; what that round sent."""

    async def run() -> tuple[str, bytes, str, bytes]:
        screen = Screen()
        view = make_view(screen_context(session, screen))
        screen.show(view.build())
        await view.load()
        before = screen_words(view)
        mark = len(screen.wire.sent)
        sync_now(session)
        await view.after_round()
        quiet = screen.sent_since(mark)
        change()
        sync_now(session)
        mark = len(screen.wire.sent)
        await view.after_round()
        return before, quiet, screen_words(view), screen.sent_since(mark)

    return asyncio.run(run())


def _asked(ana, note: str = "Volume order"):
    quote = save_quote(ana, add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(100), Decimal(15)))
    request_approval(ana, quote.id, note=note)
    return quote


@pytest.mark.parametrize(
    ("screen", "arrived"),
    [(ApprovalsView, "Volume order"), (TodayView, "1 approval waits for you")],
    ids=["approvals", "today"],
)
def test_a_managers_screen_shows_a_request_a_round_brings(server, ana, tmp_path, screen, arrived):
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    def a_seller_asks() -> None:
        _asked(ana)
        sync_now(ana)

    before, quiet, after, drawn = _follow(marta, screen, a_seller_asks)
    assert "Nothing waits for your decision" in before and "0 approvals" not in before
    assert quiet == b""
    assert arrived in after and "Nothing waits for your decision" not in after
    assert arrived.encode() in drawn


def test_a_customer_context_the_manager_opened_stays_open_when_a_request_arrives(server, ana, tmp_path):
    first = _asked(ana)
    sync_now(ana)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    async def run() -> tuple[str, str]:
        screen = Screen()
        view = ApprovalsView(screen_context(marta, screen))
        screen.show(view.build())
        await view.load()
        await screen.tap(find_tagged(view.waiting, f"approvals-customer-{first.number}").content._i)
        opened = screen_words(view)
        second = _asked(ana, note="Second order")
        sync_now(ana)
        sync_now(marta)
        await view.after_round()
        assert f"{second.number} v1" in screen_words(view)
        return opened, screen_words(view)

    opened, after = asyncio.run(run())
    assert opened.count("Credit limit") == 1
    assert after.count("Credit limit") == 1  # the first request's, opened again


@pytest.mark.parametrize(
    ("screen", "decision", "word"),
    [
        (QuotesView, "approved", "Approved"),
        (lambda ctx: CustomerView(ctx, "C1"), "rejected", "Rejected"),
    ],
    ids=["quote-list", "customer-360"],
)
def test_a_managers_decision_a_round_brings_shows_on_the_sellers_screen(server, ana, screen, decision, word):
    quote = _asked(ana)
    sync_now(ana)

    def the_manager_decides() -> None:
        [request] = quote_trail(ana, quote.id).requests
        decide(server, request.id, decision, "Not at this price")

    before, quiet, after, drawn = _follow(ana, screen, the_manager_decides)
    assert word not in before
    assert quiet == b""
    assert word in after
    assert word.encode() in drawn


def test_the_portfolio_shows_a_credit_block_a_round_brings(server, ana):
    def the_erp_blocks_c1() -> None:
        with write_transaction(server.app.state.engine) as conn:
            set_credit(conn, "C1", SELLER, blocked=True, block_reason="Unpaid invoices")

    before, quiet, after, drawn = _follow(ana, PortfolioView, the_erp_blocks_c1)
    assert "Blocked" not in before
    assert quiet == b""
    assert "Blocked" in after
    assert b"Blocked" in drawn


def test_the_team_visits_show_a_visit_a_round_brings(server, ana, tmp_path):
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    def a_seller_visits() -> None:
        _closed_visit(ana)
        sync_now(ana)

    before, quiet, after, drawn = _follow(marta, TeamVisitsView, a_seller_visits)
    assert "Wants nitrile gloves" not in before
    assert quiet == b""
    assert "Wants nitrile gloves, size M" in after
    assert b"Wants nitrile gloves" in drawn


def test_a_screen_still_loading_when_a_round_ends_is_drawn_once_it_has_read(server, ana):
    """A round can end before the screen's first read has: the screen is drawn by whichever
    read ends, and nothing is lost or drawn twice over the other."""
    quote = _asked(ana)
    sync_now(ana)

    async def run() -> str:
        screen = Screen()
        view = QuotesView(screen_context(ana, screen))
        screen.show(view.build())
        await asyncio.gather(view.after_round(), view.load())
        return screen_words(view)

    words = asyncio.run(run())
    assert words.count(f"{quote.number} · v1") == 1


def _closed_visit(ana) -> Any:
    at = datetime.now(UTC) - timedelta(hours=2)
    visit = check_in(ana, "C1", now=at)
    save_visit(
        ana, visit.id, purpose="", notes="Wants nitrile gloves, size M", outcome=VisitOutcome.QUOTE, next_step=""
    )
    return check_out(ana, visit.id, now=at + timedelta(minutes=30))


@pytest.mark.parametrize("side", ["manager", "seller"])
def test_a_visits_thread_shows_what_a_round_brings_and_keeps_what_is_typed(server, ana, tmp_path, side):
    """The manager on one of the team's visits, or the seller on her own: the other side's
    comment arrives with a round, and the half-written comment in the box stays; sent, it
    leaves an empty box."""
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)
    visit = _closed_visit(ana)
    sync_now(ana)
    sync_now(marta)
    reader, writer = (marta, ana) if side == "manager" else (ana, marta)
    box_id, send_id = ("thread-box", "thread-send") if side == "manager" else ("visit-addendum", "visit-addendum-save")

    def the_other_side_writes() -> None:
        if side == "manager":
            add_addendum(ana, visit.id, "They ordered by phone")
        else:
            comment_on_visit(marta, visit.id, "They ordered by phone")
        sync_now(writer)

    async def run() -> tuple[bytes, str, str, str, str]:
        screen = Screen()
        ctx = screen_context(reader, screen)
        view = TeamVisitView(ctx, visit.id) if side == "manager" else VisitView(ctx, visit.id)
        screen.show(view.build())
        await view.load()
        sync_now(reader)  # nothing new for the visit (its thread read just now, at most)
        await view.after_round()
        mark = len(screen.wire.sent)
        sync_now(reader)
        await view.after_round()
        quiet = screen.sent_since(mark)
        find_tagged(view.body, box_id).content.value = "Call me when"  # typed, not sent
        the_other_side_writes()
        sync_now(reader)
        await view.after_round()
        words, typed = screen_words(view), find_tagged(view.body, box_id).content.value
        find_tagged(view.body, box_id).content.value = "Call me when it ships"
        await screen.tap(find_tagged(view.body, send_id).content._i)
        return quiet, words, typed, find_tagged(view.body, box_id).content.value, screen_words(view)

    quiet, words, typed, after_sending, sent = asyncio.run(run())
    assert quiet == b""
    assert "They ordered by phone" in words
    assert typed == "Call me when"
    assert after_sending == ""
    assert "Call me when it ships" in sent.splitlines()  # in the thread, on the device


def test_a_filter_typed_and_not_entered_waits_for_the_manager(server, ana, tmp_path):
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    async def run() -> str:
        screen = Screen()
        view = TeamVisitsView(screen_context(marta, screen))
        screen.show(view.build())
        await view.load()
        view.words.value = "tornillos"  # typed, not entered: no visit says it
        _closed_visit(ana)
        sync_now(ana)
        sync_now(marta)
        await view.after_round()
        return screen_words(view.list)

    assert "Wants nitrile gloves, size M" in asyncio.run(run())
