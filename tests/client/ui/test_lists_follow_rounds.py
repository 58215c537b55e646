"""The seller's opportunities and leads show what a sync round brought (a lead the manager
handed her, an opportunity won by an order) without her leaving the screen and coming back;
a round that brought nothing for them draws nothing. What she opened stays open."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from client.store import apply_pull_page
from client.ui.customer_view import CustomerView
from client.ui.leads_view import LeadsView
from client.ui.opportunities_view import OpportunitiesView
from shared.models import LeadChannel
from shared.models.field import Lead
from tests.client.factories import make_credit, make_customer, make_invoice, make_opportunity, page, put, seq_changes
from tests.client.screen import Screen, find_tagged, screen_context, screen_words


def _round(session, record, seq: int) -> None:
    """What a sync round applies on the device: one pulled change."""
    apply_pull_page(session.store, page([put(record, seq, bucket="activity:ana.garcia")]))


def _follow(session, make_view, record, seq: int) -> tuple[bytes, bytes]:
    """What a round with nothing new sent, and what the round bringing `record` sent."""

    async def run() -> tuple[bytes, bytes]:
        screen = Screen()
        view = make_view(screen_context(session, screen))
        screen.show(view.build())
        await view.load()
        mark = len(screen.wire.sent)
        await view.after_round()
        quiet = screen.sent_since(mark)
        _round(session, record, seq)
        mark = len(screen.wire.sent)
        await view.after_round()
        return quiet, screen.sent_since(mark)

    return asyncio.run(run())


def test_an_opportunity_won_by_an_order_shows_as_won(seller_session):
    opportunity = make_opportunity(title="Guantes 2027")
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1")])))
    _round(seller_session, opportunity, 3)

    won = opportunity.model_copy(update={"stage": "won", "probability_percent": 100})
    quiet, drawn = _follow(seller_session, OpportunitiesView, won, 4)
    assert quiet == b""
    assert b"Won" in drawn


def test_a_lead_handed_to_her_shows_in_the_list(seller_session):
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1")])))
    lead = Lead(
        id=uuid4(),
        seller_login="ana.garcia",
        name="Talleres Ribera",
        channel=LeadChannel.WEB_FORM,
        created_at=datetime.now(UTC),
    )
    quiet, drawn = _follow(seller_session, LeadsView, lead, 3)
    assert quiet == b""
    assert b"Talleres Ribera" in drawn


def test_the_whole_timeline_the_seller_opened_stays_open_when_a_round_draws_customer_360(seller_session):
    invoices = [make_invoice(f"F-{n:03d}", issued=date(2026, 1, 1) + timedelta(days=n)) for n in range(1, 16)]
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1"), *invoices])))

    async def run() -> tuple[bool, bool, str]:
        screen = Screen()
        view = CustomerView(screen_context(seller_session, screen), "C1")
        screen.show(view.build())
        await view.load()
        folded = find_tagged(view.body, "timeline-more") is not None
        await screen.tap(find_tagged(view.body, "timeline-more").content._i)
        later = make_invoice("F-100", issued=date(2026, 3, 1))
        apply_pull_page(seller_session.store, page([put(later, 30)]))
        await view.after_round()
        return folded, find_tagged(view.body, "timeline-more") is not None, screen_words(view.body)

    folded, folded_again, words = asyncio.run(run())
    assert folded and not folded_again
    assert "F-100" in words and "F-001" in words  # the new invoice, and the oldest


def test_a_won_opportunity_says_the_hundred_percent_it_counts_with(seller_session):
    """Won by an order, it still carries the 40 % the seller once typed; the card says what the
    pipeline weighs it at (100 %), as a lost one says 0 %."""
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1")])))
    _round(seller_session, make_opportunity(title="Guantes 2027", stage="won"), 3)
    _round(seller_session, make_opportunity(title="Botas 2027", stage="lost", lost_reason="price"), 4)

    async def run() -> str:
        screen = Screen()
        view = OpportunitiesView(screen_context(seller_session, screen))
        screen.show(view.build())
        await view.load()
        return screen_words(view)

    words = asyncio.run(run())
    assert "Won · €12,000.00 · 100%" in words and "Lost · €12,000.00 · 0%" in words, words
