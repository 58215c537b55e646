"""The app lock over the screens: a PIN (or the device's own unlock) on open and after idling.

A modal dialog with an opaque barrier covers whatever screen is open: unlocking puts the
seller back exactly where she was (an unsaved quote stays). It asks for a new PIN after a
sign-in when she has none on this device yet. Idle time is measured from the last screen
change or key press; a tablet sent to the background (screen off, another app) locks when it
comes back after the policy's idle time. Device authentication (`flet-local-auth`) is offered
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
        self._dialog: ft.AlertDialog | None = None
        self._last_activity = datetime.now(UTC)
        self._watcher: asyncio.Task | None = None

    # -- what the shell calls ----------------------------------------------------------------

    async def guard(self, session: Session) -> None:
        """Watch `session`: lock it now (at open) and again after idling."""
        self.session = session
        await self.lock()
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch_idle())

    async def after_sign_in(self, session: Session) -> None:
        """Just signed in with the password: ask for a PIN if none is kept, then watch."""
        self.session = session
        self.touch()
        if not await asyncio.to_thread(has_pin, session):
            self._show(self._choose_pin_dialog())
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch_idle())

    def touch(self) -> None:
        """The seller did something: the idle time starts again."""
        if not self.is_locked:
            self._last_activity = datetime.now(UTC)

    async def lifecycle_changed(self, event: ft.AppLifecycleStateChangeEvent) -> None:
        """Back from the background: lock if the tablet lay idle for the policy's time."""
        if event.state in (ft.AppLifecycleState.RESUME, ft.AppLifecycleState.SHOW):
            await self._lock_if_idle()

    async def stop(self) -> None:
        """Stop watching (signed out)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
        self.session, self.is_locked = None, False
        self._close()

    async def lock(self) -> None:
        """Cover the screen until the seller proves it is her (chooses a PIN if she has none)."""
        session = self.session
        if session is None:
            return
        self.is_locked = True
        pin_kept = await asyncio.to_thread(has_pin, session)
        self._show(self._unlock_dialog() if pin_kept else self._choose_pin_dialog())
        if pin_kept and await self._device_auth_available():
            await self._device_unlock()

    # -- dialogs -------------------------------------------------------------------------------

    def _unlock_dialog(self) -> ft.AlertDialog:
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
        return _dialog(
            t("lock.title"),
            [ft.Text(t("lock.body"), width=320), tagged("lock-pin", pin), tagged("lock-error", error)],
            actions,
        )

    def _choose_pin_dialog(self) -> ft.AlertDialog:
        t = self.t
        pin = _pin_field(t("lock.new_pin"), None)
        again = _pin_field(t("lock.new_pin_again"), self._submit_choice)
        error = ft.Text("", color=ft.Colors.RED_700, width=320)
        self._choice = (pin, again, error)
        return _dialog(
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
        self._close()

    def _show(self, dialog: ft.AlertDialog) -> None:
        self._close()
        self._dialog = dialog
        self.page.show_dialog(dialog)

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog = None
            try:
                self.page.pop_dialog()
            except Exception:  # the page is gone (the browser tab closed)
                log.debug("no dialog to close", exc_info=True)


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


def _dialog(title: str, controls: list[ft.Control], actions: list[ft.Control]) -> ft.AlertDialog:
    return ft.AlertDialog(
        modal=True,
        # Opaque: what is behind the lock is not to be read by whoever holds the tablet.
        barrier_color=ft.Colors.BLUE_GREY_900,
        title=tagged("lock-title", ft.Text(title)),
        content=ft.Column(controls, tight=True, spacing=12),
        actions=actions,
    )


def _local_auth():
    import flet_local_auth as fla  # type: ignore[import-untyped]  # an extension: a build may lack it

    return fla.LocalAuthentication()


__all__ = ["AppLock"]
