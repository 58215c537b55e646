"""Top bar on every signed-in screen: who, online/offline, pending count, sync, sign out."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.synchronization import Connection, SyncEngineStatus
from client.ui.frame import PHONE_WIDTH
from client.ui.widgets import GREEN, TOUCH, tagged


class StatusBar:
    """Always-visible online/offline indicator, what waits to be sent, and the seller's name."""

    def __init__(
        self,
        t: Translator,
        name: str,
        on_sync: Callable[[], Awaitable[None]],
        on_sign_out: Callable[[], Awaitable[None]],
    ) -> None:
        self.t = t
        self._on_sync = on_sync
        self._on_sign_out = on_sign_out
        self._name = name
        self.state = ft.Text("", size=13, color=ft.Colors.GREY_700)
        self.pending = ft.Text("", size=12, color=ft.Colors.WHITE, weight=ft.FontWeight.W_600)
        # Visibility sits on the Semantics wrapper: a hidden wrapped control draws an error box.
        self.pending_box = tagged(
            "pending-count",
            ft.Container(
                self.pending,
                bgcolor=ft.Colors.ORANGE_800,
                border_radius=12,
                padding=ft.Padding.symmetric(horizontal=8, vertical=2),
            ),
            visible=False,
        )
        self.icon = ft.Icon(ft.Icons.CLOUD_DONE, color=GREEN, size=22)
        self.name = ft.Text(self._name, size=14, weight=ft.FontWeight.W_500, max_lines=1)
        self.control = ft.Row(
            [
                ft.Text("Terreno", size=20, weight=ft.FontWeight.W_600, color=GREEN),
                self.icon,
                ft.Container(tagged("sync-state", self.state), expand=True, alignment=ft.Alignment.CENTER_RIGHT),
                self.pending_box,
                tagged(
                    "sync-now",
                    ft.IconButton(
                        ft.Icons.SYNC, tooltip=t("status.sync_now"), on_click=self._sync, width=TOUCH, height=TOUCH
                    ),
                ),
                self.name,
                tagged(
                    "sign-out",
                    ft.IconButton(
                        ft.Icons.LOGOUT,
                        tooltip=t("status.sign_out"),
                        on_click=self._sign_out,
                        width=TOUCH,
                        height=TOUCH,
                    ),
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=6,
        )

    def show(self, status: SyncEngineStatus) -> None:
        """Render the engine's status: syncing, offline, needs attention, or last success."""
        self._render(status)
        try:
            self.control.page.update()
        except RuntimeError:
            pass  # not on a screen yet, or the screen was replaced

    def fit(self, width: float) -> None:
        """Fit the bar to a screen `width` wide: on a phone the user's name gives its room to
        the sync state (with "2 to send" beside it, the state was squeezed to a letter a line)."""
        self.name.visible = not width or width >= PHONE_WIDTH

    def _render(self, status: SyncEngineStatus) -> None:
        t = self.t
        if status.is_syncing:
            text, icon, colour = t("status.syncing"), ft.Icons.SYNC, GREEN
        elif status.connection == Connection.OFFLINE:
            text, icon, colour = t("status.offline"), ft.Icons.CLOUD_OFF, ft.Colors.ORANGE_800
        else:
            when = t.time(status.last_success_at) if status.last_success_at else t("status.never")
            text, icon, colour = t("status.synced", time=when), ft.Icons.CLOUD_DONE, GREEN
        if status.issues:
            text += " · " + t.plural("status.issues", status.issues)
            icon, colour = ft.Icons.ERROR_OUTLINE, ft.Colors.RED_700
        self.state.value, self.icon.icon, self.icon.color = text, icon, colour
        self.pending.value = t.plural("status.pending", status.pending)
        self.pending_box.visible = bool(status.pending)

    async def _sync(self, _event=None) -> None:
        await self._on_sync()

    async def _sign_out(self, _event=None) -> None:
        await self._on_sign_out()
