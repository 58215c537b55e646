"""The app shell: routes, the signed-in session, language, and the sync in the background.

Routes: `/` sign-in, `/settings`, `/sync` first download; signed in: `/today`, `/portfolio`,
`/customer/<code>`, `/visit/<id>`, `/observation/<code>?visit=<id>`, `/quotes`, `/opportunities?customer=<code>`,
`/leads`, `/outbox`, `/quote?customer=<code>&visit=<id>&sku=<first product>`; managers: `/approvals` and the
team's visits (`/team-visits`, `/team-visit/<id>`); administrators: their own Today, `/users`, `/teams`, `/devices`,
`/policies` (client/ui/admin_screens.py); everyone: `/dashboard`. Each role's navigation is one table (`frame.NAVIGATION`).
Every blocking call (HTTP, SQLite) runs in a worker thread; progress from a thread reaches the page through
the event loop.
"""

import asyncio
import logging
import platform
from functools import partial
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID

import flet as ft

from client.i18n import DEFAULT_LANGUAGE, Translator
from client.i18n.messages import words
from client.services.app_lock import check_offline_grace
from client.services.company import company_of
from client.services.preferences import effective_settings, load_preferences
from client.services.session import (
    SecretStore,
    Session,
    holds_portfolio,
    remembered_login,
    resume_session,
    sign_in,
    sign_out,
)
from client.services.synchronization import (
    Offline,
    PullProgress,
    SyncEngine,
    SyncEngineStatus,
    background_sync,
    sync_status,
)
from client.settings import ClientSettings
from client.ui import quote_entry
from client.ui.admin_screens import admin_screen
from client.ui.app_lock import AppLock
from client.ui.approvals_view import ApprovalsView
from client.ui.context import AppContext, explain
from client.ui.customer_view import CustomerView
from client.ui.dashboard_view import DashboardView
from client.ui.first_sync_view import FirstSyncView
from client.ui.frame import Destination, destinations_for, framed_view, is_portrait
from client.ui.leads_view import LeadsView
from client.ui.observation_view import ObservationView
from client.ui.opportunities_view import OpportunitiesView
from client.ui.outbox_view import OutboxView
from client.ui.portfolio_view import PortfolioView
from client.ui.quotes_view import QuotesView
from client.ui.secure_storage import secret_store_for
from client.ui.settings_view import SettingsView
from client.ui.sign_in_view import SignInView
from client.ui.sign_out_dialog import ask_sign_out
from client.ui.status_bar import StatusBar
from client.ui.suggestion_warmup import SuggestionWarmup
from client.ui.team_visit_view import TeamVisitView
from client.ui.team_visits_view import TeamVisitsView
from client.ui.today_view import TodayView
from client.ui.visit_view import VisitView
from client.ui.widgets import GREEN
from shared.errors import AuthError, DeviceRevoked, DomainError

log = logging.getLogger(__name__)
HOME = "/today"


class Shell:
    """One browser session (web) or window (desktop) of the app."""

    def __init__(self, page: ft.Page, settings: ClientSettings) -> None:
        self.page = page
        self.base_settings = settings
        self.settings = settings
        self.t = Translator(DEFAULT_LANGUAGE)
        self.session: Session | None = None
        self.status: StatusBar | None = None
        self.engine: SyncEngine | None = None
        self._sync_view: FirstSyncView | None = None
        self._portrait: bool | None = None
        self._framed: tuple[str, ft.Control, tuple[Destination, ...]] | None = None
        """The route shown and its screen as built: a turn of the tablet re-frames it."""
        self._on_show: object | None = None
        """The framed screen on show, told when a sync round ends if it shows what syncs change."""
        self._was_syncing = False
        self._warmup = SuggestionWarmup()
        self._notice: str | None = None
        """Said once on the next sign-in screen: why the seller is back there."""
        self.secrets: SecretStore | None = None
        self.lock = AppLock(page, self.t, self._signed_out_by_server, self._sign_out)

    async def start(self) -> None:
        """Configure the page and show the first screen (resuming a session offline)."""
        page = self.page
        preferences = await asyncio.to_thread(load_preferences, self.base_settings.data_dir)
        self.t = self.lock.t = Translator(preferences.language or DEFAULT_LANGUAGE)
        self.settings = await asyncio.to_thread(effective_settings, self.base_settings)
        page.title = "Terreno"
        # Screens switch at once: a seller taps through many of them standing at a counter.
        instant = ft.PageTransitionTheme.NONE
        page.theme = ft.Theme(
            color_scheme_seed=GREEN,
            page_transitions=ft.PageTransitionsTheme(
                android=instant, ios=instant, linux=instant, macos=instant, windows=instant
            ),
        )
        page.theme_mode = ft.ThemeMode.LIGHT
        page.on_route_change = self._on_route_change
        page.on_close = self._on_close
        page.on_resize = self._on_resize
        page.on_app_lifecycle_state_change = self.lock.lifecycle_changed
        page.on_keyboard_event = lambda _event: self.lock.touch()
        self._portrait = is_portrait(page)
        self.secrets = secret_store_for(page, self.settings)
        self.session = await asyncio.to_thread(resume_session, self.settings, secrets=self.secrets)
        if self.session is not None and self.settings.app_lock:
            try:
                await asyncio.to_thread(check_offline_grace, self.session)
            except AuthError as exc:  # too long without the server: it must see the tablet first
                await asyncio.to_thread(sign_out, self.session)
                self.session, self._notice = None, explain(self.t, exc)
        if self.session is not None and self.settings.app_lock and not await self.lock.open(self.session):
            return  # signed out from the lock screen: the sign-in screen is shown already
        if self.session is not None:
            self.session.language = self.t.language
            self._start_engine(sync_at_once=True)
            # A screen asked for in the address (a kiosk's start page, a bookmark) opens directly.
            opened = page.route if page.route and page.route not in ("/", "/sync") else HOME
            await self._go(opened)
        else:
            await self._show_route("/")

    # -- routing ---------------------------------------------------------------------------

    async def _on_route_change(self, _event=None) -> None:
        log.info("route changed to %s", self.page.route)
        self.lock.touch()
        await self._show_route(self.page.route)

    async def _on_resize(self, _event=None) -> None:
        # Rail in landscape, bar in portrait: rebuild the screen only when the shape flips.
        portrait = is_portrait(self.page)
        if portrait != self._portrait:
            log.info("screen turned (portrait: %s), redrawing %s", portrait, self.page.route)
            self._portrait = portrait
            if self.session is not None and self.page.route not in ("/", "/sync"):
                shown = self._framed
                if shown is not None and shown[0] == self.page.route and self.status is not None:
                    # The same screen in a new frame: what the seller was typing stays (a
                    # rebuilt screen would drop an unsaved quote or a half-written comment).
                    self._show(self._frame(*shown))
                else:
                    await self._show_route(self.page.route)

    async def _show_route(self, route: str) -> None:
        self._on_show = None
        path, params = self._split(route)
        if path == "/settings" and self.session is None:
            self._show(ft.View(route="/settings", padding=24, controls=[self._settings_view(signed_in=False).build()]))
            return
        if path != "/" and self.session is None:
            path = "/"
        if path == "/sync" and self.session is not None:
            self._sync_view = FirstSyncView(self.t, self.session.name, self.first_sync)
            self._show(self._sync_view.build())
            return
        if path == "/" or self.session is None:
            login = await asyncio.to_thread(remembered_login, self.settings)
            notice, self._notice = self._notice, None
            self._show(SignInView(self.t, self._sign_in, login or "", self._open_settings, notice).build())
            return
        screen = self._screen(path, params)
        if screen is None:
            await self._go(HOME)
            return
        assert self.status is not None
        sells = await asyncio.to_thread(holds_portfolio, self.session)
        destinations = destinations_for(self.session.role, sells=sells)
        content = screen.build()
        self._framed = (route, content, destinations)
        self._on_show = screen
        self._show(self._frame(route, content, destinations))
        await self._refresh_status()
        await screen.load()

    def _frame(self, route: str, content: ft.Control, destinations: tuple[Destination, ...]) -> ft.View:
        """The screen in its frame: the status bar on top, the navigation for the page's shape."""
        assert self.status is not None
        self.status.fit(self.page.width or 0)
        return framed_view(self.page, self.t, route, self.status.control, content, self._go, destinations)

    def _show(self, view: ft.View) -> None:
        if self.lock.hold(view):
            return  # shown when the seller unlocks
        self.page.views.clear()
        self.page.views.append(view)
        self.page.update()

    @staticmethod
    def _split(route: str) -> tuple[str, dict[str, str]]:
        parts = urlsplit(route or "/")
        return parts.path or "/", dict(parse_qsl(parts.query))

    def _screen(self, path: str, params: dict[str, str]):
        ctx = self._context()
        segments = [s for s in path.split("/") if s]
        if (own := admin_screen(ctx, segments)) is not None:
            return own
        match segments:
            case ["today"]:
                return TodayView(ctx)
            case ["approvals"] if self.session is not None and self.session.is_manager:
                return ApprovalsView(ctx)
            case ["portfolio"]:
                return PortfolioView(ctx)
            case ["customer", code]:
                return CustomerView(ctx, code)
            case ["visit", visit_id] if _uuid(visit_id):
                return VisitView(ctx, UUID(visit_id))
            case ["observation", code]:
                visit = params.get("visit")
                return ObservationView(ctx, code, UUID(visit) if visit and _uuid(visit) else None)
            case ["quotes"]:
                return QuotesView(ctx)
            case ["opportunities"]:
                return OpportunitiesView(ctx, params.get("customer") or None)
            case ["leads"]:
                return LeadsView(ctx)
            case ["team-visits"]:
                return TeamVisitsView(ctx)
            case ["dashboard"]:
                return DashboardView(ctx)
            case ["team-visit", visit_id] if _uuid(visit_id):
                return TeamVisitView(ctx, UUID(visit_id))
            case ["outbox"]:
                return OutboxView(ctx)
            case ["settings"]:
                return self._settings_view(signed_in=True)
            case ["quote"]:
                return quote_entry.quote_screen(ctx, params)
            case ["quote", quote_id] if _uuid(quote_id):
                return quote_entry.saved_quote_screen(ctx, quote_id)
        return None

    def _context(self) -> AppContext:
        assert self.session is not None
        ctx = AppContext(
            page=self.page,
            t=self.t,
            session=self.session,
            go=self._go,
            sync_now=self.sync_in_background,
            open_quote_builder=self._open_quote_builder,
            refresh_sync_status=self._refresh_engine,
        )
        self._ctx = ctx
        return ctx

    async def _open_quote_builder(
        self,
        customer_code: str,
        visit_id: UUID | None,
        *,
        sku: str | None = None,
        opportunity_id: UUID | None = None,
    ) -> None:
        await quote_entry.open_quote_builder(self._ctx, customer_code, visit_id, sku=sku, opportunity_id=opportunity_id)

    def _settings_view(self, signed_in: bool) -> SettingsView:
        return SettingsView(
            self.t,
            self.settings,
            self._change_language,
            self._change_server,
            asyncio.to_thread,
            signed_in,
            on_back=None if signed_in else self._back_to_sign_in,
            load_company=partial(company_of, self.session) if signed_in and self.session else None,
        )

    async def _open_settings(self) -> None:
        await self._go("/settings")

    async def _back_to_sign_in(self) -> None:
        await self._go("/")

    async def _change_language(self, language: str) -> None:
        """Speak the chosen language everywhere at once: rebuild the bar and the screen."""
        self.t = self.lock.t = Translator(language)
        if self.session is not None:
            self.session.language = language
            self.status = StatusBar(self.t, self.session.name, self.sync_in_background, self._ask_sign_out)
        await self._show_route(self.page.route)
        await self._refresh_status()

    async def _change_server(self, server_url: str) -> None:
        # A signed-in session keeps its connection; the new address is used at the next sign-in.
        self.settings = self.base_settings.model_copy(update={"server_url": server_url})

    async def _go(self, route: str) -> None:
        if self.page.route == route:
            await self._show_route(route)
        else:
            await self.page.push_route(route)

    # -- session ---------------------------------------------------------------------------

    async def _sign_in(self, login: str, password: str) -> str | None:
        try:
            self.session = await asyncio.to_thread(
                partial(sign_in, secrets=self.secrets),
                self.settings,
                login,
                password,
                f"Terreno on {platform.node() or 'device'}",
            )
        except (DomainError, Offline) as exc:
            return explain(self.t, exc)
        self.session.language = self.t.language
        if self.settings.app_lock and not await self.lock.after_sign_in(self.session):
            return None
        status = await asyncio.to_thread(sync_status, self.session)
        if status.has_data:
            # This tablet already holds the user's data: open it now, refresh behind.
            self._start_engine(sync_at_once=True)
            await self._go(HOME)
        else:
            self._start_engine(sync_at_once=False)
            await self._go("/sync")
            self.page.run_task(self.first_sync)
        return None

    def _start_engine(self, sync_at_once: bool) -> None:
        """One background sync engine per session: periodic, after local writes, on demand."""
        assert self.session is not None
        self.status = StatusBar(self.t, self.session.name, self.sync_in_background, self._ask_sign_out)
        self.engine = background_sync(self.session, interval_minutes=self.settings.sync_interval_minutes)
        self.engine.subscribe(self._on_sync_status)
        self.engine.start(sync_at_once=sync_at_once)

    def _on_sync_status(self, status: SyncEngineStatus) -> None:
        # The engine reports from its own thread. Flet's controls are not thread-safe: a
        # page.update() from here, walking the tree while the loop handled a keystroke,
        # could take the dirty marks of the loop's own changes (a search's new count and
        # rows) and lose them. So the page changes on its event loop only (FLET.md), in the
        # order the statuses came. Once the page's loop is gone (the tab closed as a round
        # ended), there is nothing to show.
        if self.page.loop.is_closed():
            return
        self.page.run_task(self._show_sync_status, status)

    async def _show_sync_status(self, status: SyncEngineStatus) -> None:
        if self.status is not None:
            self.status.show(status)
        round_ended, self._was_syncing = self._was_syncing and not status.is_syncing, status.is_syncing
        after_round = getattr(self._on_show, "after_round", None)
        if round_ended and after_round is not None:
            # Any round, not only the one a screen asked for: the round after a write, or the
            # scheduled one, changes what the Sync screen lists and what Today shows.
            self.page.run_task(after_round)
        if status.last_success_at is not None and not status.is_syncing and self.session is not None:
            self._warmup.start(self.session)
        if status.needs_sign_in and self.session is not None:
            said = words(self.t, status.last_error) if status.last_error else self.t("error.sign_in_again")
            self.page.run_task(self._signed_out_by_server, said)

    async def _signed_out_by_server(self, reason: str) -> None:
        # Said on the sign-in screen itself, where the seller lands: a revoked tablet was
        # wiped, and a toast that fades would leave her wondering where her data went.
        await self._stop_engine()
        await self.lock.stop()
        self.session = None
        self._notice = reason
        await self._go("/")

    async def _stop_engine(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            await engine.stop()

    async def first_sync(self) -> None:
        """Download everything the seller needs, showing progress; then Today."""
        view, engine = self._sync_view, self.engine
        if view is None or engine is None:
            return
        loop = asyncio.get_running_loop()

        def report(progress: PullProgress) -> None:  # called from the sync worker thread
            loop.call_soon_threadsafe(view.show_progress, progress)

        outcome = await engine.sync_now(progress=report)
        if not outcome.ok:
            error = outcome.error
            kept = " " + self.t("first_sync.kept") if isinstance(error, Offline) else ""
            view.show_error(
                (explain(self.t, error) if isinstance(error, Exception) else self.t("error.sign_in_again")) + kept
            )
            if isinstance(error, DeviceRevoked):
                await self._signed_out_by_server(explain(self.t, error))
            elif isinstance(error, AuthError):
                await self._stop_engine()
                self.session = None
            return
        await self._go(HOME)

    async def sync_in_background(self) -> None:
        """A sync round on demand ("Sync now"); offline is a normal state, shown in the bar."""
        if self.engine is not None:
            await self.engine.sync_now()

    async def _refresh_engine(self) -> None:
        if self.engine is not None:
            await self.engine.refresh()

    async def _refresh_status(self) -> None:
        if self.status is not None and self.engine is not None:
            self.status.show(self.engine.status)

    async def _ask_sign_out(self) -> None:
        if self.session is not None:
            await ask_sign_out(self.page, self.t, self.session, self._sign_out)

    async def _sign_out(self) -> None:
        await self._stop_engine()
        await self.lock.stop()
        session, self.session, self.status = self.session, None, None
        if session is not None:
            await asyncio.to_thread(sign_out, session)
        await self._go("/")

    async def _on_close(self, _event=None) -> None:
        await self._stop_engine()
        if self.session is not None:
            await asyncio.to_thread(self.session.store.close)


def _uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
