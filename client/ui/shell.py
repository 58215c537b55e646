"""The app shell: routes, the signed-in session, and the sync in the background.

Routes: `/` sign-in, `/sync` first download, `/portfolio` the seller's customers. Every
blocking call (HTTP, SQLite) runs in a worker thread; progress from a thread reaches the
page through `page.run_task`.
"""

import asyncio
import logging
import platform

import flet as ft

from client.services.session import Session, remembered_login, resume_session, sign_in, sign_out, unsynced_count
from client.services.synchronization import (
    Offline,
    PullProgress,
    SyncEngine,
    SyncEngineStatus,
    background_sync,
    sync_status,
)
from client.settings import ClientSettings
from client.ui.first_sync_view import FirstSyncView
from client.ui.portfolio_view import PortfolioView
from client.ui.sign_in_view import SignInView
from client.ui.status_bar import StatusBar
from client.ui.widgets import GREEN
from shared.errors import AuthError, DeviceRevoked, DomainError

log = logging.getLogger(__name__)


def explain(error: Exception) -> str:
    """The words a seller reads when signing in or syncing fails."""
    if isinstance(error, DeviceRevoked):
        return "Your administrator removed this tablet, so its data was wiped. Ask them to enable it again."
    if isinstance(error, AuthError):
        return "Wrong login or password." if "password" in error.detail else "Please sign in again."
    if isinstance(error, Offline):
        return "No connection to the Terreno server. Check the network and try again."
    if isinstance(error, DomainError):
        return error.detail[:1].upper() + error.detail[1:]
    return "Something went wrong. Try again; if it keeps happening, tell your administrator."


class Shell:
    """One browser session (web) or window (desktop) of the app."""

    def __init__(self, page: ft.Page, settings: ClientSettings) -> None:
        self.page = page
        self.settings = settings
        self.session: Session | None = None
        self.status: StatusBar | None = None
        self.engine: SyncEngine | None = None
        self._sync_view: FirstSyncView | None = None

    async def start(self) -> None:
        """Configure the page and show the first screen (resuming a session offline)."""
        page = self.page
        page.title = "Terreno"
        page.theme = ft.Theme(color_scheme_seed=GREEN)
        page.theme_mode = ft.ThemeMode.LIGHT
        page.on_route_change = self._on_route_change
        page.on_close = self._on_close
        self.session = await asyncio.to_thread(resume_session, self.settings)
        if self.session is not None:
            self._start_engine(sync_at_once=True)
            await self._enter_portfolio()
        else:
            await self._show_route("/")

    async def _on_route_change(self, _event=None) -> None:
        await self._show_route(self.page.route)

    async def _show_route(self, route: str) -> None:
        if route != "/" and self.session is None:
            route = "/"
        self.page.views.clear()
        if route == "/portfolio":
            portfolio = self._portfolio_view()
            self.page.views.append(portfolio.build())
            self.page.update()
            await portfolio.load()
            await self._refresh_status()
            return
        if route == "/sync" and self.session is not None:
            self._sync_view = FirstSyncView(self.session.name, self.first_sync)
            self.page.views.append(self._sync_view.build())
        else:
            login = await asyncio.to_thread(remembered_login, self.settings)
            self.page.views.append(SignInView(self._sign_in, login or "").build())
        self.page.update()

    def _portfolio_view(self) -> PortfolioView:
        assert self.session is not None
        self.status = StatusBar(self.session.name, self.sync_in_background, self._ask_sign_out)
        return PortfolioView(self.session, self.status.control, self._ask_sign_out)

    async def _sign_in(self, login: str, password: str) -> str | None:
        try:
            self.session = await asyncio.to_thread(
                sign_in, self.settings, login, password, f"Terreno on {platform.node() or 'device'}"
            )
        except (DomainError, Offline) as exc:
            return explain(exc)
        status = await asyncio.to_thread(sync_status, self.session)
        if status.has_data:
            # This tablet already holds the user's data: open it now, refresh behind.
            self._start_engine(sync_at_once=True)
            await self._enter_portfolio()
        else:
            self._start_engine(sync_at_once=False)
            await self._go("/sync")
            self.page.run_task(self.first_sync)
        return None

    def _start_engine(self, sync_at_once: bool) -> None:
        """One background sync engine per session: periodic, after local writes, on demand."""
        assert self.session is not None
        self.engine = background_sync(self.session, interval_minutes=self.settings.sync_interval_minutes)
        self.engine.subscribe(self._on_sync_status)
        self.engine.start(sync_at_once=sync_at_once)

    def _on_sync_status(self, status: SyncEngineStatus) -> None:
        if self.status is not None:
            self.status.show(status)
        if status.needs_sign_in and self.session is not None:
            self.page.run_task(self._signed_out_by_server, status.last_error or "Please sign in again.")

    async def _signed_out_by_server(self, reason: str) -> None:
        await self._stop_engine()
        self.session = None
        await self._go("/")
        self.page.show_dialog(ft.SnackBar(ft.Text(reason), duration=10000))

    async def _stop_engine(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            await engine.stop()

    async def first_sync(self) -> None:
        """Download everything the seller needs, showing progress; then the portfolio."""
        view, engine = self._sync_view, self.engine
        if view is None or engine is None:
            return
        loop = asyncio.get_running_loop()

        def report(progress: PullProgress) -> None:  # called from the sync worker thread
            loop.call_soon_threadsafe(view.show_progress, progress)

        outcome = await engine.sync_now(progress=report)
        if not outcome.ok:
            error = outcome.error
            kept = " What was downloaded is kept." if isinstance(error, Offline) else ""
            view.show_error(explain(error) + kept)
            if isinstance(error, AuthError):
                await self._stop_engine()
                self.session = None
            return
        await self._enter_portfolio()

    async def sync_in_background(self) -> None:
        """A sync round on demand ("Sync now"); offline is a normal state, shown in the bar."""
        if self.engine is not None:
            await self.engine.sync_now()

    async def _refresh_status(self) -> None:
        if self.status is not None and self.engine is not None:
            self.status.show(self.engine.status)

    async def _enter_portfolio(self) -> None:
        await self._go("/portfolio")

    async def _go(self, route: str) -> None:
        if self.page.route == route:
            await self._show_route(route)
        else:
            await self.page.push_route(route)

    async def _ask_sign_out(self) -> None:
        session = self.session
        if session is None:
            return
        pending = await asyncio.to_thread(unsynced_count, session)
        if pending == 0:
            await self._sign_out()
            return
        dialog = ft.AlertDialog(
            title=ft.Text("Sign out with unsent work?"),
            content=ft.Text(f"{pending} change(s) have not reached the server yet. They stay on this tablet "
                            "and are sent the next time you sign in here."),
            actions=[
                ft.TextButton("Stay signed in", on_click=lambda _e: self.page.pop_dialog()),
                ft.TextButton("Sign out", on_click=self._confirm_sign_out),
            ],
        )
        self.page.show_dialog(dialog)

    async def _confirm_sign_out(self, _event=None) -> None:
        self.page.pop_dialog()
        await self._sign_out()

    async def _sign_out(self) -> None:
        await self._stop_engine()
        session, self.session, self.status = self.session, None, None
        if session is not None:
            await asyncio.to_thread(sign_out, session)
        await self._go("/")

    async def _on_close(self, _event=None) -> None:
        await self._stop_engine()
        if self.session is not None:
            await asyncio.to_thread(self.session.store.close)
