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
from client.services.synchronization import sync_now, sync_status
from client.settings import ClientSettings
from client.sync import Offline, PullProgress
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
        self._sync_view: FirstSyncView | None = None
        self._sync_lock = asyncio.Lock()

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
            await self._enter_portfolio()
            self.page.run_task(self.sync_in_background)
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
            await self._enter_portfolio()
            self.page.run_task(self.sync_in_background)
        else:
            await self._go("/sync")
            self.page.run_task(self.first_sync)
        return None

    async def first_sync(self) -> None:
        """Download everything the seller needs, showing progress; then the portfolio."""
        session, view = self.session, self._sync_view
        if session is None or view is None:
            return
        loop = asyncio.get_running_loop()

        def report(progress: PullProgress) -> None:
            loop.call_soon_threadsafe(view.show_progress, progress)

        try:
            async with self._sync_lock:
                await asyncio.to_thread(sync_now, session, report)
        except (DomainError, Offline) as exc:
            view.show_error(explain(exc) + (" What was downloaded is kept." if isinstance(exc, Offline) else ""))
            if isinstance(exc, AuthError):
                self.session = None
            return
        await self._enter_portfolio()

    async def sync_in_background(self) -> None:
        """One sync round without blocking the seller; offline is a normal state."""
        session = self.session
        if session is None or self._sync_lock.locked():
            return
        async with self._sync_lock:
            await self._refresh_status(busy=True)
            online: bool | None = True
            try:
                await asyncio.to_thread(sync_now, session)
            except Offline:
                online = False
            except DeviceRevoked as exc:
                self.session = None
                await self._go("/")
                self.page.show_dialog(ft.SnackBar(ft.Text(explain(exc)), duration=10000))
                return
            except DomainError as exc:
                log.warning("sync failed: %s", exc.detail)
                online = None
            await self._refresh_status(online=online)

    async def _refresh_status(self, online: bool | None = None, busy: bool = False) -> None:
        if self.status is None or self.session is None:
            return
        status = await asyncio.to_thread(sync_status, self.session)
        self.status.show(online, status.last_success_at, status.unsynced, busy=busy)

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
        session, self.session, self.status = self.session, None, None
        if session is not None:
            async with self._sync_lock:
                await asyncio.to_thread(sign_out, session)
        await self._go("/")

    async def _on_close(self, _event=None) -> None:
        if self.session is not None:
            await asyncio.to_thread(self.session.store.close)
