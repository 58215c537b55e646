"""The quote builder on a real Flet page without a browser (tests/client/screen.py): its
context runs services in line, records where it went and what it toasted."""

from types import SimpleNamespace

from client.i18n import Translator
from client.ui.quote_builder_view import QuoteBuilderView
from tests.client.screen import Screen


def builder_on(
    session, screen: Screen, went: list[str], toasts: list[str], quote_id: str | None = None
) -> QuoteBuilderView:
    """A new quote for customer C1, or the saved quote `quote_id`, shown on `screen`."""

    async def call(service, *args, **kwargs):
        return service(*args, **kwargs)

    async def go(route: str) -> None:
        went.append(route)

    ctx = SimpleNamespace(
        t=Translator("en"),
        session=session,
        call=call,
        refresh=screen.refresh,
        toast=lambda text, error=False: toasts.append(text),
        go=go,
    )
    view = QuoteBuilderView(ctx, None if quote_id else "C1", quote_id)  # type: ignore[arg-type]
    screen.show(view.build())
    return view
