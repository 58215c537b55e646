"""The visit screen is read again after a claim, a check-in or a comment.
What the seller typed and has not saved yet stays on it; what she has not touched shows the
stored visit."""

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from client.i18n import Translator
from client.services.field_work import get_visit
from client.services.visits import plan_visit, save_visit
from client.store import apply_pull_page
from client.ui.visit_view import VisitView
from shared.models import VisitOutcome
from tests.client.factories import make_credit, make_customer, page, seq_changes


@pytest.fixture
def visit_view(seller_session) -> VisitView:
    apply_pull_page(seller_session.store, page(seq_changes([make_customer("C1"), make_credit("C1")])))
    visit = plan_visit(seller_session, "C1", datetime(2026, 12, 7, 9, 0, tzinfo=UTC), purpose="Stock review")

    async def call(service, *args, **kwargs):
        return service(*args, **kwargs)

    said: list[str] = []
    ctx = SimpleNamespace(
        t=Translator("en"), session=seller_session, call=call, refresh=lambda: None,
        toast=lambda text, error=False: said.append(text),
    )  # fmt: skip
    view = VisitView(ctx, visit.id)  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    return view


def test_a_reload_keeps_what_she_typed_and_has_not_saved(visit_view):
    form = visit_view.form
    assert (form.purpose.value, form.notes.value) == ("Stock review", "")
    form.notes.value = "Wants 200 anchors before Friday"
    form.outcome.value = VisitOutcome.QUOTE.value

    asyncio.run(visit_view.load())  # what a saved claim does next

    assert form.notes.value == "Wants 200 anchors before Friday"
    assert form.outcome.value == VisitOutcome.QUOTE.value
    assert form.purpose.value == "Stock review"


def test_a_saved_visit_and_one_changed_elsewhere_show_as_stored(visit_view):
    form, session = visit_view.form, visit_view.ctx.session
    form.notes.value = "Wants 200 anchors"
    asyncio.run(visit_view._save())
    assert get_visit(session, visit_view.visit_id).notes == "Wants 200 anchors"
    assert form.notes.value == "Wants 200 anchors"

    # Not touched since: the next reading shows the stored visit, whatever wrote it.
    save_visit(
        session, visit_view.visit_id, purpose="Stock review", notes="Called back: 300",
        outcome=VisitOutcome.QUOTE, next_step="Quote on Monday",
    )  # fmt: skip
    asyncio.run(visit_view.load())
    assert (form.notes.value, form.next_step.value) == ("Called back: 300", "Quote on Monday")
