"""The competitor form says whom it is noted at and the currency the price is in; a new
opportunity's value says its currency."""

import asyncio
from types import SimpleNamespace

import pytest

from client.store import apply_pull_page
from client.ui.observation_view import ObservationView
from client.ui.opportunity_dialog import open_opportunity_editor
from tests.client.factories import make_credit, make_customer, page, seq_changes
from tests.client.screen import Screen, find_tagged, loaded_view, screen_context, screen_words


@pytest.mark.parametrize(("language", "at"), [("en", "At Talleres Ruiz S.L."), ("es", "En Talleres Ruiz S.L.")])
def test_the_form_names_the_customer_and_the_prices_currency(seller_session, language, at):
    customer = make_customer("C7", legal_name="Talleres Ruiz S.L.", currency="GBP")
    apply_pull_page(seller_session.store, page(seq_changes([customer, make_credit("C7")])))

    view = loaded_view(lambda ctx: ObservationView(ctx, "C7", None), seller_session, language)
    assert at in screen_words(view.customer)
    assert view.form.price.suffix == "GBP"


def test_a_new_opportunitys_value_says_the_customers_currency(seller_session):
    customer = make_customer("C7", legal_name="Talleres Ruiz S.L.", currency="GBP")
    apply_pull_page(seller_session.store, page(seq_changes([customer, make_credit("C7")])))

    async def run() -> object:
        screen, shown = Screen(), []
        ctx = screen_context(seller_session, screen)
        real = ctx.page
        ctx.page = SimpleNamespace(show_dialog=shown.append, run_task=real.run_task, pop_dialog=lambda: None)
        open_opportunity_editor(ctx, "C7", on_saved=None)  # type: ignore[arg-type]
        for _ in range(50):  # the currency is read in a task of its own
            await asyncio.sleep(0.01)
            field = find_tagged(shown[0].content, "opportunity-value")
            if field is not None and field.content.suffix:
                return field.content.suffix
        return None

    assert asyncio.run(run()) == "GBP"
