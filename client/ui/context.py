"""What every signed-in screen is given: the session, the words, navigation, and a worker.

Screens hold no rule and touch no database: they call services through `call`, which runs
the blocking service in a worker thread so the event loop (and the UI) never waits.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from uuid import UUID

import flet as ft

from client.i18n import Translator
from client.services.session import Session
from client.ui.location import LocationSource
from client.ui.wording import describe_error

T = TypeVar("T")

TOAST_SECONDS = 4


class QuoteOpener(Protocol):
    """Opens the quote builder for a customer (from a visit or an opportunity; with a first product)."""

    def __call__(
        self,
        customer_code: str,
        visit_id: UUID | None,
        *,
        sku: str | None = None,
        opportunity_id: UUID | None = None,
    ) -> Awaitable[None]: ...


@dataclass(slots=True)
class AppContext:
    """Shared by the screens of one signed-in session."""

    page: ft.Page
    t: Translator
    session: Session
    go: Callable[[str], Awaitable[None]]
    """Navigate to a route."""
    sync_now: Callable[[], Awaitable[None]]
    open_quote_builder: QuoteOpener
    """Open the quote builder for a customer, from a visit when `visit_id` is given, for an
    opportunity when `opportunity_id` is, with a first line of `sku` when given (a suggestion
    tapped on Customer 360)."""
    refresh_sync_status: Callable[[], Awaitable[None]]
    """Recount pending changes and issues for the status bar (after fixing or discarding)."""
    location: LocationSource = field(default_factory=LocationSource)
    """Where the tablet is, asked at check-in; one per session, so an app without a
    geolocator is found out once, not on every screen."""

    async def call(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a (blocking) service off the event loop and return its result."""
        return await asyncio.to_thread(service, *args, **kwargs)

    def toast(self, text: str, *, error: bool = False) -> None:
        """A short message at the bottom of the screen, closed after a few seconds."""
        colour = ft.Colors.RED_700 if error else None
        bar = ft.SnackBar(ft.Text(text), bgcolor=colour, duration=TOAST_SECONDS * 1000, persist=False)
        self.page.show_dialog(bar)
        # Flutter keeps a snack bar up while a screen reader is on, and the page shows it
        # again after every screen change while it is still marked open: close it ourselves.
        self.page.run_task(self._close_later, bar)

    async def _close_later(self, bar: ft.SnackBar) -> None:
        await asyncio.sleep(TOAST_SECONDS)
        bar.open = False
        try:
            bar.update()
        except RuntimeError:
            pass  # already gone with its page

    def refresh(self) -> None:
        """Push pending control changes to the screen (for work finished in the background)."""
        try:
            self.page.update()
        except RuntimeError:
            pass  # the session ended while we worked


def explain(t: Translator, error: Exception) -> str:
    """The words a seller reads when something they asked for fails (see client.ui.wording)."""
    return describe_error(t, error)


__all__ = ["AppContext", "QuoteOpener", "explain"]
