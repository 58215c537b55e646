"""A list or a row of buttons drawn again (the portfolio when a sync ends, the visit after a
check-in or a claim) keeps the controls under the seller's finger: a tap Flutter sent for a
row or a button just as it was drawn again reaches the one now on the screen. Before, Flet
dropped it (the control it was meant for was gone) and the seller had to tap again."""

import asyncio
from datetime import UTC, datetime, time
from types import SimpleNamespace

from client.i18n import Translator
from client.services.visits import plan_visit
from client.store import apply_pull_page
from client.ui.portfolio_view import PortfolioView
from client.ui.today_view import TodayView
from client.ui.visit_view import VisitView
from tests.client.factories import make_credit, make_customer, page, seq_changes
from tests.client.screen import Screen, find_tagged


def _ctx(session, screen: Screen, went: list[str]) -> SimpleNamespace:
    async def call(service, *args, **kwargs):
        return service(*args, **kwargs)

    async def go(route: str) -> None:
        went.append(route)

    async def open_quote_builder(customer_code: str, visit_id, **_links) -> None:
        went.append(f"/quote?customer={customer_code}&visit={visit_id}")

    return SimpleNamespace(
        t=Translator("en"),
        session=session,
        call=call,
        refresh=screen.refresh,
        toast=lambda *a, **k: None,
        go=go,
        open_quote_builder=open_quote_builder,
    )


def _on_the_tablet(session, *codes: str) -> None:
    records = [record for code in codes for record in (make_customer(code), make_credit(code))]
    apply_pull_page(session.store, page(seq_changes(records)))


def test_a_customer_tapped_as_the_portfolio_is_drawn_again_opens(seller_session):
    _on_the_tablet(seller_session, "C1", "C2")

    async def run() -> list[str]:
        screen, went = Screen(), []
        view = PortfolioView(_ctx(seller_session, screen, went))  # type: ignore[arg-type]
        screen.show(view.build())
        await view.load()
        row = find_tagged(view.list, "customer-C2")
        assert row is not None
        under_finger = row.content._i
        await view.load()  # a sync ended: the list is read and drawn again
        await screen.tap(under_finger)
        return went

    assert asyncio.run(run()) == ["/customer/C2"]


def test_new_quote_tapped_as_the_visit_is_drawn_again_opens_the_builder(seller_session):
    _on_the_tablet(seller_session, "C1")
    visit = plan_visit(seller_session, "C1", datetime(2026, 12, 8, 9, tzinfo=UTC))

    async def run() -> list[str]:
        screen, went = Screen(), []
        view = VisitView(_ctx(seller_session, screen, went), visit.id)  # type: ignore[arg-type]
        screen.show(view.build())
        await view.load()
        button = find_tagged(view.body, "visit-quote")
        assert button is not None
        under_finger = button.content._i
        await view.load()  # read again after a claim or a comment
        await screen.tap(under_finger)
        return went

    assert asyncio.run(run()) == [f"/quote?customer=C1&visit={visit.id}"]


def test_the_visit_form_is_not_sent_again_when_the_visit_is_read_again(seller_session):
    """Flutter keeps the fields it has (the one being typed in keeps its cursor): the form
    is refilled, not made anew, when a check-in, a claim or a comment reads the visit again."""
    _on_the_tablet(seller_session, "C1")
    visit = plan_visit(seller_session, "C1", datetime(2026, 12, 8, 9, tzinfo=UTC))

    async def run() -> tuple[bytes, bytes]:
        screen = Screen()
        view = VisitView(_ctx(seller_session, screen, []), visit.id)  # type: ignore[arg-type]
        screen.show(view.build())
        mark = len(screen.wire.sent)
        await view.load()
        first = screen.sent_since(mark)
        mark = len(screen.wire.sent)
        view.form.notes.value = "Wants 200 anchors"  # a change the app makes to a kept field
        await view.load()
        return first, screen.sent_since(mark)

    first, again = asyncio.run(run())
    assert b"Next step" in first  # the form's words, sent with the first drawing
    assert b"Next step" not in again
    assert b"Wants 200 anchors" in again  # what changed in the kept form is still sent


def test_a_visit_tapped_on_today_as_a_sync_round_redraws_the_day_opens_it(seller_session):
    """Two visits to one customer today (their rows share a tag, so they are keyed by the
    visit): a round brings an earlier third, and the day is drawn again, the tapped row one
    place lower, under the seller's finger."""
    _on_the_tablet(seller_session, "C1")
    day = datetime.now(UTC).date()
    plan_visit(seller_session, "C1", datetime.combine(day, time(0, 30), UTC))
    second = plan_visit(seller_session, "C1", datetime.combine(day, time(0, 40), UTC))

    async def run() -> list[str]:
        screen, went = Screen(), []
        view = TodayView(_ctx(seller_session, screen, went))  # type: ignore[arg-type]
        screen.show(view.build())
        await view.load()
        under_finger = view.visits.controls[1].content._i  # the second visit's row
        plan_visit(seller_session, "C1", datetime.combine(day, time(0, 20), UTC))  # what the round brought
        await view.after_round()
        assert len(view.visits.controls) == 3  # the day was drawn again
        await screen.tap(under_finger)
        return went

    assert asyncio.run(run()) == [f"/visit/{second.id}"]


def test_more_customers_after_a_sync_brought_one_do_not_list_a_customer_twice(seller_session):
    """Rows are keyed by their customer, so one must not show twice: a customer synced in
    before the first page shifts the next page by one, which would repeat its first row."""
    _on_the_tablet(seller_session, *[f"C{n:02}" for n in range(1, 22)])  # 21: a page of 20 and one more

    async def run() -> list[str]:
        screen = Screen()
        view = PortfolioView(_ctx(seller_session, screen, []))  # type: ignore[arg-type]
        screen.show(view.build())
        await view.load()
        apply_pull_page(seller_session.store, page(seq_changes([make_customer("C00")], start=100)))
        await view._on_more()
        return [row.identifier.removeprefix("customer-") for row in view.list.controls]

    assert asyncio.run(run()) == [f"C{n:02}" for n in range(1, 22)]


def test_the_portfolio_counts_one_customer_and_several(seller_session):
    """The count agrees with its number: one customer, two customers."""
    _on_the_tablet(seller_session, "C1")

    async def count() -> str:
        screen = Screen()
        view = PortfolioView(_ctx(seller_session, screen, []))  # type: ignore[arg-type]
        screen.show(view.build())
        await view.load()
        return view.count.value

    assert asyncio.run(count()) == "Showing 1 of 1 customer"
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C2"), make_credit("C2")], start=3)))
    assert asyncio.run(count()) == "Showing 2 of 2 customers"
