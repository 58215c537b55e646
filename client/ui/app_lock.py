"""The app lock over the screens: a PIN (or the device's own unlock) on open and after idling.

Locked, the page shows only the lock screen: the screen that was open is taken off the page
(nothing of it can be read or tapped) and kept, and a screen the app shows meanwhile (a sync
finishing) is kept instead (`hold`). Unlocking puts the seller back exactly where she was —
an unsaved quote stays. At open the lock comes before any screen is built, and after a
sign-in she chooses a PIN first when she has none on this device yet.

Idle time is measured from the last screen change or key press; a tablet sent to the
background (screen off, another app) locks when it comes back after the policy's idle time. Device authentication (`flet-local-auth`) is offered
on Android, iOS, macOS and Windows; it is not available on the web build or Linux, where the
PIN is the way in.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import flet as ft

from client.i18n import Translator
from client.services.app_lock import choose_pin, device_policy, has_pin, unlock, unlocked_by_device
from client.services.session import Session
from client.ui.context import explain
from client.ui.widgets import GREEN, TOUCH, tagged
from shared.errors import AuthError, DomainError
from shared.rules.device_lock import is_idle_too_long

log = logging.getLogger(__name__)
_IDLE_CHECK_SECONDS = 15.0


class AppLock:
    """Locks one page's session; `on_signed_out(reason)` runs when too many wrong PINs ended it."""

    def __init__(
        self,
        page: ft.Page,
        t: Translator,
        on_signed_out: Callable[[str], Awaitable[None]],
        on_sign_out: Callable[[], Awaitable[None]],
    ) -> None:
        self.page = page
        self.t = t
        self._on_signed_out = on_signed_out
        self._on_sign_out = on_sign_out
        self.session: Session | None = None
        self.is_locked = False
        self._behind: ft.View | None = None
        """The screen the lock covers, shown again when it opens."""
        self._waiting: asyncio.Future[None] | None = None
        """Resolved when the lock the app opened on (or the PIN chosen at sign-in) is passed."""
        self._last_activity = datetime.now(UTC)
        self._watcher: asyncio.Task | None = None

    # -- what the shell calls ----------------------------------------------------------------

    async def open(self, session: Session) -> bool:
        """The app opens on `session`: only the lock shows until the seller unlocks (or
        chooses a PIN if she has none). True then; False if she signed out instead."""
        self.session = session
        self.is_locked, self._behind = True, None
        pin_kept = await asyncio.to_thread(has_pin, session)
        unlocked = self._wait_for_unlock()
        self._cover(self._unlock_view() if pin_kept else self._choose_pin_view())
        if pin_kept and await self._device_auth_available():
            await self._device_unlock()
        return await self._watch_after(unlocked)

    async def after_sign_in(self, session: Session) -> bool:
        """Just signed in with the password: she chooses a PIN first if none is kept here."""
        self.session = session
        self.touch()
        if not await asyncio.to_thread(has_pin, session):
            self.is_locked, self._behind = True, None
            unlocked = self._wait_for_unlock()
            self._cover(self._choose_pin_view())
            return await self._watch_after(unlocked)
        return await self._watch_after(None)

    def _wait_for_unlock(self) -> "asyncio.Future[None]":
        self._waiting = asyncio.get_running_loop().create_future()
        return self._waiting

    async def _watch_after(self, unlocked: "asyncio.Future[None] | None") -> bool:
        if unlocked is not None:
            try:
                await unlocked
            except asyncio.CancelledError:
                return False  # signed out from the lock
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch_idle())
        return True

    def hold(self, view: ft.View) -> bool:
        """While locked, keep `view` to show on unlocking instead of showing it; whether it was kept."""
        if not self.is_locked:
            return False
        self._behind = view
        return True

    def touch(self) -> None:
        """The seller did something: the idle time starts again."""
        if not self.is_locked:
            self._last_activity = datetime.now(UTC)

    async def lifecycle_changed(self, event: ft.AppLifecycleStateChangeEvent) -> None:
        """Back from the background: lock if the tablet lay idle for the policy's time."""
        if event.state in (ft.AppLifecycleState.RESUME, ft.AppLifecycleState.SHOW):
            await self._lock_if_idle()

    async def stop(self) -> None:
        """Stop watching (signed out); the shell shows what comes next."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
        self.session, self.is_locked, self._behind = None, False, None
        if self._waiting is not None and not self._waiting.done():
            self._waiting.cancel()

    async def lock(self) -> None:
        """Cover the screen until the seller proves it is her (chooses a PIN if she has none)."""
        session = self.session
        if session is None or self.is_locked:
            return
        self.is_locked = True
        self._behind = self.page.views[-1] if self.page.views else None
        pin_kept = await asyncio.to_thread(has_pin, session)
        self._cover(self._unlock_view() if pin_kept else self._choose_pin_view())
        if pin_kept and await self._device_auth_available():
            await self._device_unlock()

    # -- screens -------------------------------------------------------------------------------

    def _unlock_view(self) -> ft.View:
        t = self.t
        pin = _pin_field(t("lock.pin"), self._submit_unlock)
        error = ft.Text("", color=ft.Colors.RED_700, width=320)
        self._fields = (pin, error)
        actions: list[ft.Control] = [
            tagged("lock-sign-out", ft.TextButton(t("lock.sign_out"), on_click=self._sign_out)),
            tagged(
                "lock-unlock",
                ft.FilledButton(
                    t("lock.unlock"),
                    icon=ft.Icons.LOCK_OPEN,
                    height=TOUCH,
                    on_click=self._submit_unlock,
                    style=ft.ButtonStyle(bgcolor=GREEN),
                ),
            ),
        ]
        if not self.page.web:
            actions.insert(1, tagged("lock-device", ft.TextButton(t("lock.device"), on_click=self._device_unlock)))
        return self._screen(
            t("lock.title"),
            [ft.Text(t("lock.body"), width=320), tagged("lock-pin", pin), tagged("lock-error", error)],
            actions,
        )

    def _choose_pin_view(self) -> ft.View:
        t = self.t
        pin = _pin_field(t("lock.new_pin"), None)
        again = _pin_field(t("lock.new_pin_again"), self._submit_choice)
        error = ft.Text("", color=ft.Colors.RED_700, width=320)
        self._choice = (pin, again, error)
        return self._screen(
            t("lock.choose_title"),
            [
                ft.Text(t("lock.choose_body"), width=320),
                tagged("choose-pin", pin),
                tagged("choose-pin-again", again),
                tagged("choose-pin-error", error),
            ],
            [
                tagged(
                    "save-pin",
                    ft.FilledButton(
                        t("lock.save_pin"),
                        icon=ft.Icons.SAVE,
                        height=TOUCH,
                        on_click=self._submit_choice,
                        style=ft.ButtonStyle(bgcolor=GREEN),
                    ),
                )
            ],
        )

    async def _submit_unlock(self, _event=None) -> None:
        session = self.session
        if session is None:
            return
        pin, error = self._fields
        try:
            await asyncio.to_thread(unlock, session, pin.value or "")
        except AuthError as exc:  # the last attempt: the service signed her out
            await self.stop()
            await self._on_signed_out(explain(self.t, exc))
            return
        except DomainError as exc:
            pin.value, error.value = "", explain(self.t, exc)
            self.page.update()
            return
        self._unlocked()

    async def _submit_choice(self, _event=None) -> None:
        session = self.session
        if session is None:
            return
        pin, again, error = self._choice
        try:
            await asyncio.to_thread(choose_pin, session, pin.value or "", again.value or "")
        except DomainError as exc:
            pin.value, again.value, error.value = "", "", explain(self.t, exc)
            self.page.update()
            return
        self._unlocked()

    async def _device_auth_available(self) -> bool:
        if self.page.web or self.page.platform == ft.PagePlatform.LINUX:
            return False
        try:
            return bool(await _local_auth().is_device_supported())
        except Exception:  # an extension missing from this build: the PIN stays
            log.info("device authentication not available", exc_info=True)
            return False

    async def _device_unlock(self, _event=None) -> None:
        session = self.session
        if session is None or not await self._device_auth_available():
            return
        try:
            ok = await _local_auth().authenticate(self.t("lock.device_reason"))
        except Exception:  # cancelled or failed: the PIN is still there
            log.info("device authentication did not unlock", exc_info=True)
            return
        if ok:
            await asyncio.to_thread(unlocked_by_device, session)
            self._unlocked()

    async def _sign_out(self, _event=None) -> None:
        await self.stop()
        await self._on_sign_out()

    # -- idle ----------------------------------------------------------------------------------

    async def _watch_idle(self) -> None:
        while True:
            await asyncio.sleep(_IDLE_CHECK_SECONDS)
            try:
                await self._lock_if_idle()
            except Exception:  # a store closed under us (signed out meanwhile): try again later
                log.info("idle check failed", exc_info=True)

    async def _lock_if_idle(self) -> None:
        session = self.session
        if session is None or self.is_locked:
            return
        policy = await asyncio.to_thread(device_policy, session)
        if is_idle_too_long(self._last_activity, datetime.now(UTC), policy):
            await self.lock()

    def _unlocked(self) -> None:
        self.is_locked = False
        self._last_activity = datetime.now(UTC)
        behind, self._behind = self._behind, None
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(None)  # the opening or the sign-in goes on with its own screen
        elif behind is not None:
            self._replace(behind)

    def _cover(self, view: ft.View) -> None:
        self._replace(view)

    def _replace(self, view: ft.View) -> None:
        self.page.views.clear()
        self.page.views.append(view)
        self.page.update()

    def _screen(self, title: str, controls: list[ft.Control], actions: list[ft.Control]) -> ft.View:
        card = ft.Container(
            ft.Column(
                [
                    tagged("lock-title", ft.Text(title, size=22, weight=ft.FontWeight.W_500)),
                    *controls,
                    ft.Row(actions, alignment=ft.MainAxisAlignment.END),
                ],
                tight=True,
                spacing=12,
            ),
            width=380,
            padding=24,
            border_radius=16,
            bgcolor=ft.Colors.SURFACE,
        )
        return ft.View(
            route=self.page.route or "/",
            bgcolor=ft.Colors.BLUE_GREY_900,
            vertical_alignment=ft.MainAxisAlignment.CENTER,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            controls=[card],
        )


def _pin_field(label: str, on_submit) -> ft.TextField:
    return ft.TextField(
        label=label,
        password=True,
        can_reveal_password=True,
        keyboard_type=ft.KeyboardType.NUMBER,
        max_length=12,
        width=320,
        autofocus=True,
        on_submit=on_submit,
    )


def _local_auth():
    import flet_local_auth as fla  # type: ignore[import-untyped]  # an extension: a build may lack it

    return fla.LocalAuthentication()


__all__ = ["AppLock"]
